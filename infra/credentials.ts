/**
 * The user name and password a client presents to Kafka or the registry, resolved the same way for both.
 *
 * For a system S (KAFKA or REGISTRY) and the component's role R (PHONEPIPE_ROLE; the CLI sets it to the
 * command's role unless it is set already):
 *   1. PHONEPIPE_S_USERNAME with PHONEPIPE_S_PASSWORD or PHONEPIPE_S_PASSWORD_FILE: one principal for the
 *      process (production: each deployment sets its own);
 *   2. else PHONEPIPE_S_CREDENTIALS_DIR/R.password, user name R (the secure profile writes these);
 *   3. else none: the system is used without authentication.
 * Errors name the variable or the file, never the password.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "./config";

export type CredentialSystem = "KAFKA" | "REGISTRY";

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages: variables' names or a file's path. */
  origin: string;
}

export class CredentialsError extends ConfigurationError {}

function readSecretFile(path: string, origin: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new CredentialsError(`cannot read the password file ${path} (${origin}): ${code}`);
  }
  const value = text.trim();
  if (!value) throw new CredentialsError(`the password file ${path} (${origin}) is empty`);
  return value;
}

function explicitCredentials(env: NodeJS.ProcessEnv, system: CredentialSystem): Credentials | undefined {
  const prefix = `PHONEPIPE_${system}`;
  const username = env[`${prefix}_USERNAME`] ?? "";
  const password = env[`${prefix}_PASSWORD`] ?? "";
  const file = env[`${prefix}_PASSWORD_FILE`] ?? "";
  if (!username) {
    if (password || file)
      throw new CredentialsError(
        `${password ? `${prefix}_PASSWORD` : `${prefix}_PASSWORD_FILE`} is set without ${prefix}_USERNAME`,
      );
    return undefined;
  }
  if (password && file)
    throw new CredentialsError(
      `both ${prefix}_PASSWORD and ${prefix}_PASSWORD_FILE are set; set one of them`,
    );
  if (password) return { username, password, origin: `${prefix}_USERNAME/${prefix}_PASSWORD` };
  if (file)
    return {
      username,
      password: readSecretFile(file, `${prefix}_PASSWORD_FILE`),
      origin: `${prefix}_PASSWORD_FILE (${file})`,
    };
  throw new CredentialsError(
    `${prefix}_USERNAME is set without ${prefix}_PASSWORD or ${prefix}_PASSWORD_FILE`,
  );
}

/** The credentials for `system` as the component in PHONEPIPE_ROLE, or undefined when none are configured. */
export function resolveCredentials(
  env: NodeJS.ProcessEnv,
  system: CredentialSystem,
): Credentials | undefined {
  const explicit = explicitCredentials(env, system);
  if (explicit) return explicit;
  const dir = env[`PHONEPIPE_${system}_CREDENTIALS_DIR`];
  if (!dir) return undefined;
  const role = env.PHONEPIPE_ROLE ?? "";
  if (!/^[a-z][a-z0-9-]*$/.test(role))
    throw new CredentialsError(
      `PHONEPIPE_${system}_CREDENTIALS_DIR is set but PHONEPIPE_ROLE ${role ? `(${role}) is not a role name` : "is not"}; set PHONEPIPE_ROLE or PHONEPIPE_${system}_USERNAME`,
    );
  const file = join(dir, `${role}.password`);
  return {
    username: role,
    password: readSecretFile(file, `PHONEPIPE_${system}_CREDENTIALS_DIR`),
    origin: `PHONEPIPE_${system}_CREDENTIALS_DIR (${file})`,
  };
}
