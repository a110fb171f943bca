/**
 * How a registry request authenticates and how a refusal reads. Pure: the credentials come from
 * infra/credentials.ts (`resolveCredentials(env, "REGISTRY")`), the requests from producers/registry.ts.
 *
 * HTTP basic with the client id and secret: Apicurio (with basic-client-credentials) exchanges them for a token
 * at its OpenID Connect server; Confluent's registry and Confluent Cloud take an API key and secret the same way.
 */
import { Credentials } from "./credentials";

/** The Authorization header for `creds`, or none when the registry is used without authentication. */
export function registryAuthHeaders(creds: Credentials | undefined): Record<string, string> {
  if (!creds) return {};
  const token = Buffer.from(`${creds.username}:${creds.password}`, "utf8").toString("base64");
  return { Authorization: `Basic ${token}` };
}

/** The registry's own words from an error body ({"message": ...} in the Confluent API), else the text. */
function registryMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return body.slice(0, 200);
}

/**
 * The message for a 401 or 403 from the registry: the operation with its URL (e.g. "PUT http://…/config/s"),
 * who asked (user name and where it came from, never the secret) and what to do about it. Undefined for any
 * other status.
 */
export function registryAccessMessage(
  operation: string,
  status: number,
  body: string,
  creds: Credentials | undefined,
): string | undefined {
  if (status !== 401 && status !== 403) return undefined;
  const said = registryMessage(body);
  const head = `the schema registry refused ${operation}: ${status}${said ? ` ${said}` : ""}`;
  if (!creds) {
    return (
      `${head}; no credentials were sent: set PHONEPIPE_REGISTRY_CREDENTIALS_DIR (with PHONEPIPE_ROLE) or ` +
      `PHONEPIPE_REGISTRY_USERNAME and PHONEPIPE_REGISTRY_PASSWORD(_FILE)`
    );
  }
  const who = `${creds.username} (from ${creds.origin})`;
  return status === 401
    ? `${head}; ${who} was not accepted: wrong or rotated secret, or an unknown client`
    : `${head}; ${who} lacks the registry role for it`;
}
