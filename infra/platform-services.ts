/**
 * The local platform's services, each a detached process with its ports, health check and start timeout: the
 * Service shape, the Apicurio registry and the single-node set (infra/kafka-node.ts holds the Kafka node).
 * platform.ts starts, stops and reports on them.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PlatformConfig } from "./config";
import { findJava } from "./java";
import { kafkaNodeService } from "./kafka-node";
import { ManagedProcess, startDetached } from "./process";
import { answersOk, requireArtifact, Service } from "./service";

export { PlatformError, requireArtifact } from "./service";
export type { Service, ServiceStatus } from "./service";

export const APICURIO_VERSION = "3.3.3";

function apicurioJar(cacheDir: string): string {
  return join(cacheDir, `apicurio-${APICURIO_VERSION}`, "quarkus-run.jar");
}

export interface RegistrySpec {
  runDir: string;
  cacheDir: string;
  port: number;
  managementPort: number;
  /** Extra -D settings (the secure profile's authentication), after the defaults so they may override them. */
  systemProperties?: Readonly<Record<string, string>>;
}

export function registryService(cfg: RegistrySpec): Service {
  const proc: ManagedProcess = {
    name: "registry",
    pidFile: join(cfg.runDir, "pids", "registry.pid"),
    logFile: join(cfg.runDir, "logs", "registry.log"),
  };
  const healthUrl = `http://127.0.0.1:${cfg.managementPort}/health/ready`;
  return {
    proc,
    endpoint: `http://127.0.0.1:${cfg.port}/apis/ccompat/v7`,
    ports: [cfg.port, cfg.managementPort],
    startTimeoutMs: 180_000,
    healthy: () => answersOk(healthUrl),
    start() {
      const jar = apicurioJar(cfg.cacheDir);
      requireArtifact(jar, `Apicurio Registry ${APICURIO_VERSION}`);
      // Apicurio 3.3 is compiled for Java 21; the machine's default may be older.
      const java = findJava(21, "PHONEPIPE_REGISTRY_JAVA_HOME");
      const dbDir = join(cfg.runDir, "registry");
      mkdirSync(dbDir, { recursive: true });
      startDetached(
        proc,
        java,
        [
          "-Xms128m",
          "-Xmx512m",
          `-Dquarkus.http.host=127.0.0.1`,
          `-Dquarkus.http.port=${cfg.port}`,
          `-Dquarkus.management.host=127.0.0.1`,
          `-Dquarkus.management.port=${cfg.managementPort}`,
          // A file database keeps schema ids stable across restarts of the local platform.
          `-Dapicurio.datasource.url=jdbc:h2:file:${join(dbDir, "registry")}`,
          ...Object.entries(cfg.systemProperties ?? {}).map(([k, v]) => `-D${k}=${v}`),
          "-jar",
          jar,
        ],
        { cwd: dbDir },
      );
    },
  };
}

/** The single-node platform: one KRaft broker+controller and the registry. */
export function services(cfg: PlatformConfig): Service[] {
  return [
    kafkaNodeService({
      name: "kafka",
      nodeId: 1,
      port: cfg.kafkaPort,
      controllerPort: cfg.kafkaControllerPort,
      voters: [{ nodeId: 1, controllerPort: cfg.kafkaControllerPort }],
      dir: join(cfg.runDir, "kafka"),
      clusterIdFile: join(cfg.runDir, "kafka", "cluster.id"),
      runDir: cfg.runDir,
      cacheDir: cfg.cacheDir,
      root: cfg.root,
      heap: "768m",
    }),
    registryService({
      runDir: cfg.runDir,
      cacheDir: cfg.cacheDir,
      port: cfg.registryPort,
      managementPort: cfg.registryManagementPort,
    }),
  ];
}
