/**
 * The registry clients' secrets: generated once, at the first start of the secure profile, into
 * <registryCredentialsDir>/<client>.password (mode 0600, the directory 0700). Keycloak's realm is rendered
 * from these files at every start, so replacing a file and restarting Keycloak rotates that secret.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ensurePasswordFile, newPassword } from "./secrets";

/** 32 random bytes, URL-safe so the secret needs no escaping in HTTP basic or a shell. */
export const newClientSecret = newPassword;

/** Each client's secret, creating the missing ones; existing files are kept as they are. */
export function ensureClientSecrets(dir: string, clients: readonly string[]): Record<string, string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const secrets: Record<string, string> = {};
  for (const client of clients) {
    const file = join(dir, `${client}.password`);
    const value = ensurePasswordFile(file);
    if (!value)
      throw new Error(`the registry client secret file ${file} is empty; delete it to get a new one`);
    secrets[client] = value;
  }
  return secrets;
}
