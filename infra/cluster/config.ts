/**
 * Where the cluster profile's processes listen and keep their files. Every port lies below the kernel's
 * ephemeral range (32768-60999) so no client socket can hold one, and apart from the single-node defaults so
 * both profiles can run side by side. One base port moves the whole profile (PHONEPIPE_CLUSTER_PORT_BASE).
 */
import { join } from "node:path";
import { PlatformConfig } from "../config";

export interface KafkaNode {
  nodeId: number;
  port: number;
  controllerPort: number;
}

export interface ClusterConfig {
  /** Pids, logs and data of every cluster process: <runDir>/cluster unless PHONEPIPE_CLUSTER_RUN_DIR. */
  runDir: string;
  cacheDir: string;
  root: string;
  kafka: KafkaNode[];
  registryPort: number;
  registryManagementPort: number;
  flink: {
    restPort: number;
    rpcPort: number;
    blobPort: number;
    /** TaskManager i (0-based) uses rpc port taskManagerRpcPort + i and data port taskManagerDataPort + i. */
    taskManagerRpcPort: number;
    taskManagerDataPort: number;
    taskManagers: number;
    slotsPerTaskManager: number;
  };
  /** The TypeScript SDK harness's external worker pool (environment_type=EXTERNAL). */
  workerPoolPort: number;
  spark: {
    masterPort: number;
    masterWebUiPort: number;
    workerPort: number;
    workerWebUiPort: number;
  };
}

function portBase(env: NodeJS.ProcessEnv): number {
  const raw = env.PHONEPIPE_CLUSTER_PORT_BASE;
  if (raw === undefined || raw === "") return 28000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1024 || n + 1000 > 65535) {
    throw new Error(`PHONEPIPE_CLUSTER_PORT_BASE=${raw} is not a port between 1024 and 64535`);
  }
  return n;
}

export function loadClusterConfig(cfg: PlatformConfig, env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  const b = portBase(env);
  return {
    runDir: env.PHONEPIPE_CLUSTER_RUN_DIR || join(cfg.runDir, "cluster"),
    cacheDir: cfg.cacheDir,
    root: cfg.root,
    kafka: [1, 2, 3].map((nodeId) => ({
      nodeId,
      port: b + 92 + (nodeId - 1) * 100,
      controllerPort: b + 93 + (nodeId - 1) * 100,
    })),
    registryPort: b + 81,
    registryManagementPort: b + 82,
    flink: {
      restPort: b + 381,
      rpcPort: b + 323,
      blobPort: b + 324,
      taskManagerRpcPort: b + 330,
      taskManagerDataPort: b + 340,
      taskManagers: 2,
      slotsPerTaskManager: 2,
    },
    workerPoolPort: b + 350,
    spark: {
      masterPort: b + 477,
      masterWebUiPort: b + 478,
      workerPort: b + 479,
      workerWebUiPort: b + 480,
    },
  };
}

/** The environment every product command needs to use the cluster profile instead of the local defaults. */
export function clusterClientEnv(cc: ClusterConfig): Record<string, string> {
  return {
    PHONEPIPE_KAFKA_BROKERS: cc.kafka.map((n) => `127.0.0.1:${n.port}`).join(","),
    PHONEPIPE_REGISTRY_URL: `http://127.0.0.1:${cc.registryPort}/apis/ccompat/v7`,
    PHONEPIPE_FLINK_MASTER: `127.0.0.1:${cc.flink.restPort}`,
    PHONEPIPE_BEAM_WORKER_POOL: `127.0.0.1:${cc.workerPoolPort}`,
    PHONEPIPE_SPARK_MASTER_URL: `spark://127.0.0.1:${cc.spark.masterPort}`,
  };
}
