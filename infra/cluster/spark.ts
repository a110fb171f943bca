/**
 * The cluster profile's Spark 3.3 standalone cluster: one master and one worker, each its own JVM on 127.0.0.1,
 * run from the Beam Spark job server's Maven-resolved classpath (no Spark distribution). The worker starts
 * executors through Spark's command builder, which reads the classpath from $SPARK_HOME/jars, so the cluster
 * gets a generated SPARK_HOME whose `jars` is a symlink to that classpath folder.
 */
import { mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { JDK17_OPENS, beamCacheDir, classpathFor } from "../../pipelines/services";
import { SPARK_EXECUTOR_MEMORY } from "../../pipelines/spark-standalone";
import { findJava } from "../java";
import { Service } from "../platform-services";
import { ManagedProcess, startDetached } from "../process";
import { ClusterConfig } from "./config";

/** The master only tracks one worker and a few applications. */
export const SPARK_MASTER_HEAP = "256m";
/** The worker daemon only launches and watches executors; they get their own JVMs. */
export const SPARK_WORKER_HEAP = "256m";
/** What the worker offers executors: one SPARK_EXECUTOR_MEMORY executor plus room for the JVM's overhead. */
export const SPARK_WORKER_MEMORY = "1536m";
/** Both of the machine's cores: the executor's tasks mostly wait on the TypeScript SDK worker. */
export const SPARK_WORKER_CORES = 2;

const JOB_SERVER_DIR = "spark-3-job-server";

export interface SparkLayout {
  /** The generated SPARK_HOME; its `jars` links to the job server's classpath folder. */
  home: string;
  jarsTarget: string;
  /** The worker's --work-dir: one folder per application with each executor's stdout/stderr. */
  workDir: string;
  /** java's -cp for the master and the worker (the Java-17 patch jar first, as the job server). */
  classpath: string;
}

export function sparkLayout(cc: ClusterConfig): SparkLayout {
  return {
    home: join(cc.runDir, "spark-home"),
    jarsTarget: join(beamCacheDir(cc.cacheDir), JOB_SERVER_DIR),
    workDir: join(cc.runDir, "spark-work"),
    classpath: classpathFor(cc.cacheDir, { dir: JOB_SERVER_DIR }),
  };
}

export function sparkMasterUrl(cc: ClusterConfig): string {
  return `spark://127.0.0.1:${cc.spark.masterPort}`;
}

/** The environment of both daemons, inherited by every executor the worker starts. */
export function sparkDaemonEnv(layout: SparkLayout, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    SPARK_HOME: layout.home,
    // Web UIs bind SPARK_LOCAL_IP (else every interface); executors' block managers take it as their address.
    SPARK_LOCAL_IP: "127.0.0.1",
    // Nothing under the generated SPARK_HOME's conf/ to read; the defaults are what we want.
    SPARK_CONF_DIR: join(layout.home, "conf"),
    // A distribution's scripts set it; without it the executor command builder looks for a source build.
    SPARK_SCALA_VERSION: "2.12",
  };
}

/** JVM flags of a daemon: its heap and the Java 17 opens Spark needs. */
function daemonJvmArgs(heap: string, classpath: string): string[] {
  return [`-Xms${heap}`, `-Xmx${heap}`, "-XX:+UseSerialGC", ...JDK17_OPENS, "-cp", classpath];
}

export function sparkMasterArgs(cc: ClusterConfig, layout: SparkLayout): string[] {
  return [
    ...daemonJvmArgs(SPARK_MASTER_HEAP, layout.classpath),
    "org.apache.spark.deploy.master.Master",
    "--host",
    "127.0.0.1",
    "--port",
    String(cc.spark.masterPort),
    "--webui-port",
    String(cc.spark.masterWebUiPort),
  ];
}

export function sparkWorkerArgs(cc: ClusterConfig, layout: SparkLayout): string[] {
  return [
    ...daemonJvmArgs(SPARK_WORKER_HEAP, layout.classpath),
    "org.apache.spark.deploy.worker.Worker",
    "--host",
    "127.0.0.1",
    "--port",
    String(cc.spark.workerPort),
    "--webui-port",
    String(cc.spark.workerWebUiPort),
    "--cores",
    String(SPARK_WORKER_CORES),
    "--memory",
    SPARK_WORKER_MEMORY,
    "--work-dir",
    layout.workDir,
    sparkMasterUrl(cc),
  ];
}

/** The parts of the master's `/json/` the health checks and tests read. */
export interface SparkMasterState {
  status: string;
  workers: Array<{ id: string; host: string; port: number; state: string; cores: number }>;
  activeApps: Array<{ id: string; name: string; state: string; cores: number }>;
  completedApps: Array<{ id: string; name: string; state: string }>;
}

export function parseMasterState(json: unknown): SparkMasterState {
  const o = (json ?? {}) as Record<string, unknown>;
  const list = (k: string) => (Array.isArray(o[k]) ? (o[k] as Array<Record<string, unknown>>) : []);
  const app = (a: Record<string, unknown>) => ({
    id: String(a.id),
    name: String(a.name),
    state: String(a.state),
    cores: Number(a.cores ?? 0),
  });
  return {
    status: String(o.status ?? "UNKNOWN"),
    workers: list("workers").map((w) => ({
      id: String(w.id),
      host: String(w.host),
      port: Number(w.port),
      state: String(w.state),
      cores: Number(w.cores),
    })),
    activeApps: list("activeapps").map(app),
    completedApps: list("completedapps").map(app),
  };
}

/** The master's state from its web UI, or undefined when it does not answer. */
export async function fetchMasterState(cc: ClusterConfig): Promise<SparkMasterState | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${cc.spark.masterWebUiPort}/json/`, {
      signal: AbortSignal.timeout(2000),
    });
    return res.ok ? parseMasterState(await res.json()) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the master lists our worker ALIVE with all its cores (a restarted worker gets a new id). */
export function workerRegistered(state: SparkMasterState | undefined, cc: ClusterConfig): boolean {
  return (
    state?.workers.some(
      (w) =>
        w.host === "127.0.0.1" &&
        w.port === cc.spark.workerPort &&
        w.state === "ALIVE" &&
        w.cores === SPARK_WORKER_CORES,
    ) ?? false
  );
}

/** Creates (or repairs) the generated SPARK_HOME: `jars` → the classpath folder, an empty `conf`. */
export function ensureSparkHome(layout: SparkLayout): void {
  mkdirSync(join(layout.home, "conf"), { recursive: true });
  mkdirSync(layout.workDir, { recursive: true });
  const link = join(layout.home, "jars");
  let current: string | undefined;
  try {
    current = readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current === layout.jarsTarget) return;
  rmSync(link, { recursive: true, force: true });
  symlinkSync(layout.jarsTarget, link, "dir");
}

function managed(cc: ClusterConfig, name: string): ManagedProcess {
  return {
    name,
    pidFile: join(cc.runDir, "pids", `${name}.pid`),
    logFile: join(cc.runDir, "logs", `${name}.log`),
  };
}

/** The master, then the worker; platformUp starts them in this order and platformDown stops them in reverse. */
export function clusterSparkServices(cc: ClusterConfig): Service[] {
  const master = managed(cc, "spark-master");
  const worker = managed(cc, "spark-worker");
  const start = (proc: ManagedProcess, args: (layout: SparkLayout) => string[]) => () => {
    const layout = sparkLayout(cc);
    ensureSparkHome(layout);
    startDetached(proc, findJava(17, "PHONEPIPE_SPARK_JAVA_HOME"), args(layout), {
      cwd: layout.home,
      env: sparkDaemonEnv(layout, process.env),
    });
  };
  return [
    {
      proc: master,
      endpoint: sparkMasterUrl(cc),
      ports: [cc.spark.masterPort, cc.spark.masterWebUiPort],
      startTimeoutMs: 120_000,
      healthy: async () => (await fetchMasterState(cc))?.status === "ALIVE",
      start: start(master, (layout) => sparkMasterArgs(cc, layout)),
    },
    {
      proc: worker,
      endpoint: `127.0.0.1:${cc.spark.workerPort} (${SPARK_WORKER_CORES} cores, ${SPARK_WORKER_MEMORY} for executors of ${SPARK_EXECUTOR_MEMORY})`,
      ports: [cc.spark.workerPort, cc.spark.workerWebUiPort],
      startTimeoutMs: 120_000,
      healthy: async () => workerRegistered(await fetchMasterState(cc), cc),
      start: start(worker, (layout) => sparkWorkerArgs(cc, layout)),
    },
  ];
}
