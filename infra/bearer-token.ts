/**
 * Bearer tokens of phonepipe's local HTTP endpoints (the stream's Prometheus endpoint): where a token comes
 * from and how a request's Authorization header is checked.
 *
 * For a variable NAME (e.g. PHONEPIPE_METRICS_TOKEN) the token is NAME itself, else the content of the file
 * NAME_FILE names, else a default file, which `tokenOrCreate` writes with a random token (mode 0600) when it
 * is missing. Setting both NAME and NAME_FILE is an error: which one wins would be a guess. Every error names
 * the variable or the file, never the token.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigurationError } from "./config";

/** RFC 6750's token68: the characters a bearer credential may carry in an Authorization header. */
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;
export const MIN_TOKEN_LENGTH = 16;

export class TokenError extends ConfigurationError {}

export interface Token {
  value: string;
  /** Where it came from, for messages: a variable's name or a file's path. */
  origin: string;
}

export function checkedToken(value: string, origin: string): Token {
  if (value.length < MIN_TOKEN_LENGTH)
    throw new TokenError(`the token in ${origin} is shorter than ${MIN_TOKEN_LENGTH} characters`);
  if (!TOKEN_CHARS.test(value))
    throw new TokenError(
      `the token in ${origin} has characters a bearer token cannot carry (A-Z a-z 0-9 -._~+/=)`,
    );
  return { value, origin };
}

function readTokenFile(path: string, origin: string): Token {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new TokenError(`cannot read the token file ${path} (${origin}): ${code}`);
  }
  return checkedToken(text.trim(), `${origin} (${path})`);
}

/** The token NAME, NAME_FILE or `defaultFile` give (in that order); undefined when none of them exists. */
export function configuredToken(
  env: NodeJS.ProcessEnv,
  name: string,
  defaultFile?: string,
): Token | undefined {
  const value = env[name] ?? "";
  const file = env[`${name}_FILE`] ?? "";
  if (value && file) throw new TokenError(`both ${name} and ${name}_FILE are set; set one of them`);
  if (value) return checkedToken(value.trim(), name);
  if (file) return readTokenFile(file, `${name}_FILE`);
  if (defaultFile !== undefined && existsSync(defaultFile))
    return readTokenFile(defaultFile, "the default token file");
  return undefined;
}

/**
 * The configured token, else a new random one written to `defaultFile` (mode 0600), and whether it was
 * created. A file another process created meanwhile is read, not replaced.
 */
export function tokenOrCreate(
  env: NodeJS.ProcessEnv,
  name: string,
  defaultFile: string,
): { token: Token; created: boolean } {
  const token = configuredToken(env, name, defaultFile);
  if (token) return { token, created: false };
  const value = randomBytes(32).toString("base64url");
  mkdirSync(dirname(defaultFile), { recursive: true });
  try {
    writeFileSync(defaultFile, `${value}\n`, { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return { token: readTokenFile(defaultFile, "the default token file"), created: false };
  }
  return { token: { value, origin: `the default token file (${defaultFile})` }, created: true };
}

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/**
 * Whether an Authorization header carries `Bearer <token>`. The two are compared as SHA-256 digests, equal-length
 * buffers, so timingSafeEqual's time reveals neither the token's content nor its length.
 */
export function isAuthorized(header: string | undefined, token: Token): boolean {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match !== null && timingSafeEqual(digest(match[1]), digest(token.value));
}
