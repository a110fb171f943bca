/**
 * The local platform's services: a KRaft Kafka broker and the Apicurio registry, each a detached JVM with
 * its ports, health check and start timeout. platform.ts starts, stops and reports on them.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { PlatformConfig } from "./config";
import { findJava } from "./java";
import { ManagedProcess, portAcceptsConnections, startDetached } from "./process";

export const KAFKA_VERSION = "4.1.2";
export const APICURIO_VERSION = "3.3.3";

/** A failure to start the platform, with the log the user should read. */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}

export interface ServiceStatus {
  name: string;
  running: boolean;
  healthy: boolean;
  pid?: number;
  endpoint: string;
  log: string;
}

export interface Service {
  proc: ManagedProcess;
  endpoint: string;
  ports: number[];
  healthy(): Promise<boolean>;
  start(): void;
  startTimeoutMs: number;
}

function kafkaLibs(cfg: PlatformConfig): string {
  return join(cfg.cacheDir, `kafka-${KAFKA_VERSION}`, "libs");
}

function apicurioJar(cfg: PlatformConfig): string {
  return join(cfg.cacheDir, `apicurio-${APICURIO_VERSION}`, "quarkus-run.jar");
}

function requireArtifact(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new PlatformError(`${what} not found at ${path}: run 'make bootstrap' (it resolves it with mvn)`);
  }
}

/** server.properties for a single-node KRaft broker+controller bound to 127.0.0.1 only. */
/**
 * A KRaft cluster id: 16 random bytes, base64url. Like Kafka's own Uuid, never one starting with
 * "-", which the storage tool's argument parser would read as an option.
 */
export function kafkaClusterId(randomId: () => Buffer): string {
  for (;;) {
    const id = randomId().toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

export function kafkaServerProperties(cfg: PlatformConfig, logDir: string): string {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${cfg.kafkaControllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${cfg.kafkaPort},CONTROLLER://127.0.0.1:${cfg.kafkaControllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${cfg.kafkaPort}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${logDir}`,
    "num.partitions=3",
    // One node: every internal topic has a single replica.
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    // Topics are created deliberately by `phonepipe schemas register`, with their partitions and retention.
    "auto.create.topics.enable=false",
    "",
  ].join("\n");
}

function kafkaService(cfg: PlatformConfig): Service {
  const dir = join(cfg.runDir, "kafka");
  const proc: ManagedProcess = {
    name: "kafka",
    pidFile: join(cfg.runDir, "pids", "kafka.pid"),
    logFile: join(cfg.runDir, "logs", "kafka.log"),
  };
  const endpoint = `127.0.0.1:${cfg.kafkaPort}`;
  return {
    proc,
    endpoint,
    ports: [cfg.kafkaPort, cfg.kafkaControllerPort],
    startTimeoutMs: 90_000,
    healthy: () => kafkaHealthy(endpoint),
    start() {
      const libs = kafkaLibs(cfg);
      requireArtifact(join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`), `Kafka ${KAFKA_VERSION} jars`);
      const java = findJava(17, "PHONEPIPE_KAFKA_JAVA_HOME");
      mkdirSync(dir, { recursive: true });
      const props = join(dir, "server.properties");
      writeFileSync(props, kafkaServerProperties(cfg, join(dir, "data")));
      const idFile = join(dir, "cluster.id");
      if (!existsSync(idFile))
        writeFileSync(
          idFile,
          kafkaClusterId(() => randomBytes(16)),
        );
      const clusterId = readFileSync(idFile, "utf8").trim();
      const classpath = `${libs}/*`;
      const log4j = join(cfg.root, "infra", "kafka", "log4j2.properties");
      const jvm = ["-Xms256m", "-Xmx768m", `-Dlog4j2.configurationFile=${log4j}`, "-cp", classpath];
      try {
        execFileSync(
          java,
          [
            ...jvm,
            "kafka.tools.StorageTool",
            "format",
            `--cluster-id=${clusterId}`,
            "-c",
            props,
            "--ignore-formatted",
          ],
          { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
        );
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new PlatformError(
          `formatting Kafka storage in ${dir} failed: ${(e.stderr || e.message).trim()}`,
        );
      }
      startDetached(proc, java, [...jvm, "kafka.Kafka", props]);
    },
  };
}

async function kafkaHealthy(endpoint: string): Promise<boolean> {
  if (!(await portAcceptsConnections(Number(endpoint.split(":")[1])))) return false;
  const admin = new Kafka({
    clientId: "phonepipe-health",
    brokers: [endpoint],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function registryService(cfg: PlatformConfig): Service {
  const proc: ManagedProcess = {
    name: "registry",
    pidFile: join(cfg.runDir, "pids", "registry.pid"),
    logFile: join(cfg.runDir, "logs", "registry.log"),
  };
  const healthUrl = `http://127.0.0.1:${cfg.registryManagementPort}/health/ready`;
  return {
    proc,
    endpoint: `http://127.0.0.1:${cfg.registryPort}/apis/ccompat/v7`,
    ports: [cfg.registryPort, cfg.registryManagementPort],
    startTimeoutMs: 180_000,
    healthy: async () => {
      try {
        const res = await fetch(healthUrl, { signal: AbortSignal.timeout(2000) });
        return res.ok;
      } catch {
        return false;
      }
    },
    start() {
      const jar = apicurioJar(cfg);
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
          `-Dquarkus.http.port=${cfg.registryPort}`,
          `-Dquarkus.management.host=127.0.0.1`,
          `-Dquarkus.management.port=${cfg.registryManagementPort}`,
          // A file database keeps schema ids stable across restarts of the local platform.
          `-Dapicurio.datasource.url=jdbc:h2:file:${join(dbDir, "registry")}`,
          "-jar",
          jar,
        ],
        { cwd: dbDir },
      );
    },
  };
}

export function services(cfg: PlatformConfig): Service[] {
  return [kafkaService(cfg), registryService(cfg)];
}
