/**
 * Keycloak, the secure profile's OpenID Connect server: it issues the tokens the registry checks. Runs from
 * the distribution infra/bootstrap.sh unpacks and builds once (`kc.sh build`, so each start is an optimized
 * one), with its own home under the run dir: the shared distribution's lib, providers and themes are linked
 * in, the realm to import and Keycloak's scratch files stay per run dir.
 *
 * The database is an H2 file under the run dir, kept while the realm stays the same (a restart then takes
 * ~15 s instead of ~30 s: no schema creation, no import) and wiped when the realm rendered from the client
 * secret files changes, so a rotated secret takes effect at the next start, with new signing keys.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findJava } from "../java";
import { ManagedProcess, startDetached } from "../process";
import { answersOk, requireArtifact, Service } from "../service";
import { ensureClientSecrets } from "./client-secrets";
import { SecureConfig } from "./config";
import { REALM, REGISTRY_CLIENTS, renderRealm } from "./keycloak-realm";

export const KEYCLOAK_VERSION = "26.7.3";
/** Keycloak's default heap ceiling; it idles at ~250 MiB used with one small realm. */
export const KEYCLOAK_HEAP = "-Xms64m -Xmx512m";

export function keycloakDist(cacheDir: string): string {
  return join(cacheDir, `keycloak-${KEYCLOAK_VERSION}`);
}

/** The issuer of the realm's tokens; the registry's quarkus.oidc.auth-server-url. */
export function realmUrl(sc: SecureConfig): string {
  return `http://127.0.0.1:${sc.keycloakPort}/realms/${REALM}`;
}

export function keycloakDbDir(sc: SecureConfig): string {
  return join(sc.runDir, "keycloak", "db");
}

/** `kc.sh` arguments for an optimized start (the build-time options live in infra/bootstrap.sh). Pure. */
export function keycloakArgs(sc: SecureConfig, home: string): string[] {
  return [
    "start",
    "--optimized",
    `-Dkc.home.dir=${home}`,
    "--http-enabled=true",
    "--http-host=127.0.0.1",
    `--http-port=${sc.keycloakPort}`,
    `--http-management-port=${sc.keycloakManagementPort}`,
    // Tokens' issuer is this URL whatever address a request came in on, so the registry's check matches.
    `--hostname=http://127.0.0.1:${sc.keycloakPort}`,
    // One node: no cluster discovery (its default, JGroups, binds every interface and waits for peers).
    "--cache=local",
    `--db-url=jdbc:h2:file:${join(keycloakDbDir(sc), "keycloak")};NON_KEYWORDS=VALUE`,
    "--import-realm",
  ];
}

/** A fresh database when the realm differs from the one it holds (Keycloak skips importing an existing realm). */
function resetDbOnRealmChange(sc: SecureConfig, realmJson: string): void {
  const dir = keycloakDbDir(sc);
  const marker = join(dir, "realm.sha256");
  const digest = createHash("sha256").update(realmJson).digest("hex");
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === digest) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(marker, `${digest}\n`, { mode: 0o600 });
}

/** A home directory per run dir that shares the distribution's code and keeps the realm file. */
function prepareHome(sc: SecureConfig, dist: string): string {
  const home = join(sc.runDir, "keycloak", "home");
  for (const d of ["lib", "providers", "themes"]) {
    const link = join(home, d);
    if (existsSync(link)) continue;
    mkdirSync(home, { recursive: true });
    symlinkSync(join(dist, d), link);
  }
  const importDir = join(home, "data", "import");
  rmSync(importDir, { recursive: true, force: true });
  mkdirSync(importDir, { recursive: true, mode: 0o700 });
  const secrets = ensureClientSecrets(sc.registryCredentialsDir, REGISTRY_CLIENTS);
  const realmJson = JSON.stringify(renderRealm(secrets), null, 2);
  writeFileSync(join(importDir, `${REALM}-realm.json`), realmJson, { mode: 0o600 });
  resetDbOnRealmChange(sc, realmJson);
  return home;
}

export function keycloakService(sc: SecureConfig): Service {
  const proc: ManagedProcess = {
    name: "keycloak",
    pidFile: join(sc.runDir, "pids", "keycloak.pid"),
    logFile: join(sc.runDir, "logs", "keycloak.log"),
  };
  const healthUrl = `http://127.0.0.1:${sc.keycloakManagementPort}/health/ready`;
  return {
    proc,
    endpoint: realmUrl(sc),
    ports: [sc.keycloakPort, sc.keycloakManagementPort],
    startTimeoutMs: 240_000,
    // Ready only once the realm is imported ("Keycloak Initialized"), so the registry can start after it.
    healthy: () => answersOk(healthUrl),
    start() {
      const dist = keycloakDist(sc.cacheDir);
      requireArtifact(join(dist, ".complete"), `Keycloak ${KEYCLOAK_VERSION}`);
      const home = prepareHome(sc, dist);
      // Keycloak 26 needs Java 21+; the machine's default may be older. kc.sh runs $JAVA when it is set.
      const java = findJava(21, "PHONEPIPE_KEYCLOAK_JAVA_HOME");
      startDetached(proc, join(dist, "bin", "kc.sh"), keycloakArgs(sc, home), {
        cwd: home,
        env: { ...process.env, JAVA: java, JAVA_OPTS_KC_HEAP: KEYCLOAK_HEAP },
      });
    },
  };
}
