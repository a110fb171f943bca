/**
 * The secure profile's registry for tests: the one the environment points at (PHONEPIPE_REGISTRY_URL and
 * PHONEPIPE_REGISTRY_CREDENTIALS_DIR exported from `phonepipe infra env --profile secure`, as
 * infra/with-secure.sh does), else the profile started here on PHONEPIPE_SECURE_PORT_BASE and stopped after.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { loadConfig } from "../../infra/config";
import { Credentials } from "../../infra/credentials";
import { platformDown, platformUp } from "../../infra/platform";
import { stopProcess } from "../../infra/process";
import { profileServices } from "../../infra/profiles";
import { loadSecureConfig, secureClientEnv } from "../../infra/secure/config";
import { readFileSync } from "node:fs";
import { repoRoot } from "../../infra/fixture-site";

export interface SecureRegistry {
  url: string;
  credentialsDir: string;
  /** The environment commands run with: the profile's client variables, no role chosen. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function secureRegistry(log: (m: string) => void = () => {}): Promise<SecureRegistry> {
  const { PHONEPIPE_REGISTRY_URL: url, PHONEPIPE_REGISTRY_CREDENTIALS_DIR: dir } = process.env;
  if (url && dir) return { url, credentialsDir: dir, env: { ...process.env }, stop: async () => {} };
  const cfg = loadConfig();
  const svcs = profileServices("secure", cfg);
  await platformUp(svcs, log);
  const clientEnv = secureClientEnv(loadSecureConfig(cfg));
  return {
    url: clientEnv.PHONEPIPE_REGISTRY_URL,
    credentialsDir: clientEnv.PHONEPIPE_REGISTRY_CREDENTIALS_DIR,
    env: { ...process.env, ...clientEnv },
    stop: async () => {
      await platformDown(svcs);
    },
  };
}

/**
 * Stops the profile's registry and Keycloak and starts them again (Kafka keeps running), as a secret rotation
 * asks. The profile must be this process's configuration (PHONEPIPE_SECURE_RUN_DIR and _PORT_BASE).
 */
export async function restartKeycloakAndRegistry(): Promise<void> {
  const svcs = profileServices("secure", loadConfig());
  for (const name of ["registry", "keycloak"]) {
    const svc = svcs.find((s) => s.proc.name === name);
    if (!svc) throw new Error(`the secure profile has no ${name} service`);
    await stopProcess(svc.proc);
  }
  await platformUp(svcs);
}

/** The client's credentials as the secure profile wrote them. */
export function clientCredentials(reg: SecureRegistry, client: string): Credentials {
  const file = join(reg.credentialsDir, `${client}.password`);
  return { username: client, password: readFileSync(file, "utf8").trim(), origin: `test (${file})` };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `bin/phonepipe ARGS` with `env`, waiting for it to end. */
export function phonepipe(args: string[], env: NodeJS.ProcessEnv): CliResult {
  const r = spawnSync(join(repoRoot(), "bin", "phonepipe"), args, {
    env,
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
