/**
 * A KRaft Kafka node (broker + controller in one JVM) as a platform service: the single-node default and each
 * node of the cluster profile's three-voter quorum are the same service with different ports and voters.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findJava } from "./java";
import { kafkaClient, KafkaSecurity } from "./kafka-client";
import { ManagedProcess, portAcceptsConnections, startDetached } from "./process";
import { PlatformError, requireArtifact, Service } from "./service";

export const KAFKA_VERSION = "4.1.2";

export interface KafkaNodeSpec {
  /** Service name: "kafka" for the single node, "kafka-1".. in the cluster. */
  name: string;
  nodeId: number;
  port: number;
  controllerPort: number;
  /** Every voter of the quorum (this node included). */
  voters: Array<{ nodeId: number; controllerPort: number }>;
  /** Holds server.properties, data/ and the cluster id file shared by all nodes of one cluster. */
  dir: string;
  /** The cluster id file; every node of a cluster formats its storage with the same id. */
  clusterIdFile: string;
  runDir: string;
  cacheDir: string;
  root: string;
  heap: string;
  /**
   * Brokers whose joint health this node's health check waits for. A quorum node cannot serve before a
   * majority of voters runs, so the first nodes count as started once their controller listens and the
   * last one waits for the whole cluster. Unset: this node alone.
   */
  clusterEndpoints?: string[];
  /** TLS, SASL and an authorizer (the secure profile); unset: PLAINTEXT listeners, no authorization. */
  security?: KafkaNodeSecurity;
}

export interface KafkaNodeSecurity {
  /**
   * Runs at every start before the storage is formatted and must be idempotent (certificates and password
   * files made once). Returns the listener and security lines of server.properties, and the storage tool's
   * extra arguments (SCRAM users: secret, so they reach the tool through a 0600 argument file).
   */
  prepare(): { properties: string[]; formatArgs: string[] };
  /** How the health check connects: as a super user, whatever the caller's environment says. */
  client(): KafkaSecurity;
}

const PLAINTEXT: KafkaSecurity = { protocol: "PLAINTEXT", mechanism: "scram-sha-512" };

function plaintextListeners(spec: KafkaNodeSpec): string[] {
  return [
    `listeners=PLAINTEXT://127.0.0.1:${spec.port},CONTROLLER://127.0.0.1:${spec.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${spec.port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
  ];
}

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

/**
 * server.properties for one node bound to 127.0.0.1 only. Internal topics get as many replicas as there are
 * voters (up to 3) and need two in sync once there are three, like the data topics `schemas register` makes.
 */
export function kafkaNodeProperties(
  spec: KafkaNodeSpec,
  logDir: string,
  listeners: string[] = plaintextListeners(spec),
): string {
  const replicas = Math.min(3, spec.voters.length);
  const minIsr = replicas >= 3 ? 2 : 1;
  return [
    "process.roles=broker,controller",
    `node.id=${spec.nodeId}`,
    `controller.quorum.voters=${spec.voters.map((v) => `${v.nodeId}@127.0.0.1:${v.controllerPort}`).join(",")}`,
    ...listeners,
    `log.dirs=${logDir}`,
    "num.partitions=3",
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${replicas}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minIsr}`,
    `share.coordinator.state.topic.replication.factor=${replicas}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    "group.initial.rebalance.delay.ms=0",
    // A replica that fell behind while it was down must not become leader and lose acknowledged records.
    "unclean.leader.election.enable=false",
    // Topics are created deliberately by `phonepipe schemas register`, with their partitions and retention.
    "auto.create.topics.enable=false",
    "",
  ].join("\n");
}

export function kafkaNodeService(spec: KafkaNodeSpec): Service {
  const proc: ManagedProcess = {
    name: spec.name,
    pidFile: join(spec.runDir, "pids", `${spec.name}.pid`),
    logFile: join(spec.runDir, "logs", `${spec.name}.log`),
  };
  const endpoint = `127.0.0.1:${spec.port}`;
  const client = (): KafkaSecurity => spec.security?.client() ?? PLAINTEXT;
  return {
    proc,
    endpoint,
    ports: [spec.port, spec.controllerPort],
    startTimeoutMs: 90_000,
    healthy: async () =>
      spec.voters.length === 1 || spec.clusterEndpoints
        ? kafkaClusterHealthy(spec.clusterEndpoints ?? [endpoint], client())
        : portAcceptsConnections(spec.controllerPort),
    start() {
      const libs = join(spec.cacheDir, `kafka-${KAFKA_VERSION}`, "libs");
      requireArtifact(join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`), `Kafka ${KAFKA_VERSION} jars`);
      const java = findJava(17, "PHONEPIPE_KAFKA_JAVA_HOME");
      mkdirSync(spec.dir, { recursive: true });
      const props = join(spec.dir, "server.properties");
      const secured = spec.security?.prepare();
      writeFileSync(props, kafkaNodeProperties(spec, join(spec.dir, "data"), secured?.properties), {
        mode: 0o600,
      });
      const clusterId = readOrCreateClusterId(spec.clusterIdFile);
      const jvm = [`-Xms${spec.heap}`, `-Xmx${spec.heap}`, ...log4jArgs(spec), "-cp", `${libs}/*`];
      formatStorage(java, jvm, clusterId, props, spec.dir, secured?.formatArgs ?? []);
      startDetached(proc, java, [...jvm, "kafka.Kafka", props]);
    },
  };
}

/** Broker logs to stderr; with an authorizer, also the audit log of every authorization decision. */
function log4jArgs(spec: KafkaNodeSpec): string[] {
  const config = `-Dlog4j2.configurationFile=${join(spec.root, "infra", "kafka", "log4j2.properties")}`;
  if (!spec.security) return [config];
  return [
    config,
    "-Dphonepipe.kafka.audit.level=DEBUG",
    `-Dphonepipe.kafka.audit.file=${join(spec.runDir, "logs", `${spec.name}-audit.log`)}`,
  ];
}

function readOrCreateClusterId(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      kafkaClusterId(() => randomBytes(16)),
    );
  }
  return readFileSync(file, "utf8").trim();
}

/**
 * Formats the storage unless it is formatted. The tool's arguments go in a java argument file (main class
 * and its arguments, mode 0600, removed after): SCRAM passwords never appear in a process listing.
 */
function formatStorage(
  java: string,
  jvm: string[],
  clusterId: string,
  props: string,
  dir: string,
  extra: string[],
): void {
  const argFile = join(dir, "format.args");
  const args = ["kafka.tools.StorageTool", "format", `--cluster-id=${clusterId}`, "-c", props];
  writeFileSync(argFile, [...args, "--ignore-formatted", ...extra].map((a) => `"${a}"`).join("\n"), {
    mode: 0o600,
  });
  try {
    execFileSync(java, [...jvm, `@${argFile}`], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new PlatformError(`formatting Kafka storage in ${dir} failed: ${(e.stderr || e.message).trim()}`);
  } finally {
    rmSync(argFile, { force: true });
  }
}

/** Every listed broker is in the cluster's metadata and a controller is elected. */
export async function kafkaClusterHealthy(
  endpoints: string[],
  security: KafkaSecurity = PLAINTEXT,
): Promise<boolean> {
  if (!(await portAcceptsConnections(Number(endpoints[0].split(":")[1])))) return false;
  const admin = kafkaClient(
    endpoints,
    "phonepipe-health",
    { connectionTimeout: 2000, requestTimeout: 3000, retry: { retries: 0 } },
    security,
  ).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length >= endpoints.length && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
