/**
 * The cluster profile's Flink 1.15 session cluster: one JobManager and two TaskManagers, each its own JVM on
 * 127.0.0.1, run from the classpath the Beam Flink job server already resolves (no Flink distribution), and
 * the TypeScript SDK's external worker pool the TaskManagers start their SDK harnesses in.
 *
 * One pool serves both TaskManagers: they share this machine's loopback, so one address reaches it from
 * either. On Kubernetes each TaskManager pod runs the pool as a sidecar and the job's environment points at
 * localhost:50000 (`phonepipe worker-pool --port 50000`), so a harness always runs beside its TaskManager.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findJava } from "../java";
import { PlatformError, Service } from "../service";
import { ManagedProcess, portAcceptsConnections, startDetached } from "../process";
import { classpathFor, JDK17_OPENS } from "../../pipelines/services";
import { ClusterConfig } from "./config";

/**
 * Memory, in MiB. The whole cluster profile (3 Kafka nodes at 512m heap, registry, Spark, this) must fit in
 * 24 GiB on 2 cores with room to spare; Flink here carries small bounded micro-batch jobs, not big state.
 */
export const JOBMANAGER_MEMORY = {
  /** Schedules a few small batch jobs at a time: a small heap suffices. */
  heap: 384,
  offHeap: 64,
  metaspace: 160,
  overhead: 160,
};
export const TASKMANAGER_MEMORY = {
  frameworkHeap: 128,
  /** Beam's Java operators around the external SDK harness; records are small. */
  taskHeap: 512,
  frameworkOffHeap: 128,
  taskOffHeap: 0,
  /** Sort/group buffers of the batch GroupByKeys, shared by the 2 slots. */
  managed: 256,
  /** Shuffle buffers between the stages; 128m covers 2 slots of a few small exchanges. */
  network: 128,
  /** Beam's and Flink's classes, loaded once (parent-first) rather than per job. */
  metaspace: 256,
  overhead: 192,
};
/** Scheduler's view of a TaskManager's CPU: the machine has 2 cores for everything. */
const TASKMANAGER_CPU_CORES = 1;
/**
 * A killed TaskManager is dropped within half a minute, so the retried cycle soon stops being scheduled onto its
 * slots; a healthy one starved of CPU on a loaded 2-core machine does not miss it (10 s did, and Flink then
 * disconnected a live TaskManager).
 */
const HEARTBEAT_INTERVAL_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 30_000;

const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
export const JOBMANAGER_PROCESS_MB = sum(JOBMANAGER_MEMORY);
export const TASKMANAGER_PROCESS_MB = sum(TASKMANAGER_MEMORY);

export type FlinkRole = { kind: "jobmanager" } | { kind: "taskmanager"; index: number };

/** The name of the role's process and its pid and log files: jobmanager, taskmanager-1, taskmanager-2. */
export function flinkProcessName(role: FlinkRole): string {
  return role.kind === "jobmanager" ? "jobmanager" : `taskmanager-${role.index + 1}`;
}

/** flink-conf.yaml for one process of the session cluster: every address 127.0.0.1, every port fixed. Pure. */
export function flinkConfYaml(cc: ClusterConfig, role: FlinkRole, tmpDir: string): string {
  const f = cc.flink;
  const common: Array<[string, string | number | boolean]> = [
    ["jobmanager.rpc.address", "127.0.0.1"],
    ["jobmanager.rpc.port", f.rpcPort],
    ["rest.address", "127.0.0.1"],
    ["rest.port", f.restPort],
    ["blob.server.port", f.blobPort],
    ["taskmanager.numberOfTaskSlots", f.slotsPerTaskManager],
    ["heartbeat.interval", HEARTBEAT_INTERVAL_MS],
    ["heartbeat.timeout", HEARTBEAT_TIMEOUT_MS],
    ["io.tmp.dirs", tmpDir],
    // Every process runs from the job server's classpath, so a job's classes come from there: loaded once per
    // JVM, not again into each job's class loader (which filled the metaspace a few hundred MB per dozen jobs).
    ["classloader.resolve-order", "parent-first"],
    // The job server ships its classpath with every job (170 MB); drop a finished job's copy after a minute
    // instead of an hour, or the TaskManagers' disk fills at the stream's job rate.
    ["blob.service.cleanup.interval", 60],
  ];
  const own: Array<[string, string | number | boolean]> =
    role.kind === "jobmanager"
      ? [
          ["jobmanager.bind-host", "127.0.0.1"],
          ["rest.bind-address", "127.0.0.1"],
          // Spread a job's tasks over both TaskManagers rather than filling one first.
          ["cluster.evenly-spread-out-slots", true],
          ["jobmanager.memory.process.size", `${JOBMANAGER_PROCESS_MB}m`],
          ["jobmanager.memory.heap.size", `${JOBMANAGER_MEMORY.heap}m`],
          ["jobmanager.memory.off-heap.size", `${JOBMANAGER_MEMORY.offHeap}m`],
          ["jobmanager.memory.jvm-metaspace.size", `${JOBMANAGER_MEMORY.metaspace}m`],
          ["jobmanager.memory.jvm-overhead.min", `${JOBMANAGER_MEMORY.overhead}m`],
          ["jobmanager.memory.jvm-overhead.max", `${JOBMANAGER_MEMORY.overhead}m`],
        ]
      : [
          ["taskmanager.host", "127.0.0.1"],
          ["taskmanager.bind-host", "127.0.0.1"],
          ["taskmanager.rpc.port", f.taskManagerRpcPort + role.index],
          ["taskmanager.data.port", f.taskManagerDataPort + role.index],
          // Names the TaskManager in the JobManager's REST answers (health, tests).
          ["taskmanager.resource-id", flinkProcessName(role)],
          ["taskmanager.cpu.cores", TASKMANAGER_CPU_CORES],
          // The start scripts normally derive these; TaskManagerRunner started directly needs them explicit.
          ["taskmanager.memory.process.size", `${TASKMANAGER_PROCESS_MB}m`],
          ["taskmanager.memory.framework.heap.size", `${TASKMANAGER_MEMORY.frameworkHeap}m`],
          ["taskmanager.memory.task.heap.size", `${TASKMANAGER_MEMORY.taskHeap}m`],
          ["taskmanager.memory.framework.off-heap.size", `${TASKMANAGER_MEMORY.frameworkOffHeap}m`],
          ["taskmanager.memory.task.off-heap.size", `${TASKMANAGER_MEMORY.taskOffHeap}m`],
          ["taskmanager.memory.managed.size", `${TASKMANAGER_MEMORY.managed}m`],
          ["taskmanager.memory.network.min", `${TASKMANAGER_MEMORY.network}m`],
          ["taskmanager.memory.network.max", `${TASKMANAGER_MEMORY.network}m`],
          ["taskmanager.memory.jvm-metaspace.size", `${TASKMANAGER_MEMORY.metaspace}m`],
          ["taskmanager.memory.jvm-overhead.min", `${TASKMANAGER_MEMORY.overhead}m`],
          ["taskmanager.memory.jvm-overhead.max", `${TASKMANAGER_MEMORY.overhead}m`],
        ];
  return [...common, ...own].map(([k, v]) => `${k}: ${String(v)}`).join("\n") + "\n";
}

/** The JVM's own memory flags, as Flink's start scripts derive them from the same sizes. Pure. */
export function flinkJvmMemoryArgs(role: FlinkRole): string[] {
  if (role.kind === "jobmanager") {
    const m = JOBMANAGER_MEMORY;
    return [
      `-Xms${m.heap}m`,
      `-Xmx${m.heap}m`,
      `-XX:MaxDirectMemorySize=${m.offHeap}m`,
      `-XX:MaxMetaspaceSize=${m.metaspace}m`,
    ];
  }
  const m = TASKMANAGER_MEMORY;
  const heap = m.frameworkHeap + m.taskHeap;
  return [
    `-Xms${heap}m`,
    `-Xmx${heap}m`,
    `-XX:MaxDirectMemorySize=${m.frameworkOffHeap + m.taskOffHeap + m.network}m`,
    `-XX:MaxMetaspaceSize=${m.metaspace}m`,
  ];
}

async function restJson(cc: ClusterConfig, path: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${cc.flink.restPort}${path}`, {
    signal: AbortSignal.timeout(2000),
  });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.json();
}

/** The ids of the TaskManagers registered with the JobManager (their resource ids). */
export async function registeredTaskManagers(cc: ClusterConfig): Promise<string[]> {
  const body = (await restJson(cc, "/taskmanagers")) as { taskmanagers?: Array<{ id: string }> };
  return (body.taskmanagers ?? []).map((t) => t.id);
}

function managed(cc: ClusterConfig, name: string): ManagedProcess {
  return {
    name,
    pidFile: join(cc.runDir, "pids", `${name}.pid`),
    logFile: join(cc.runDir, "logs", `${name}.log`),
  };
}

function flinkService(cc: ClusterConfig, role: FlinkRole): Service {
  const name = flinkProcessName(role);
  const proc = managed(cc, name);
  const confDir = join(cc.runDir, `flink-${name}`);
  const isJm = role.kind === "jobmanager";
  const ports = isJm
    ? [cc.flink.restPort, cc.flink.rpcPort, cc.flink.blobPort]
    : [cc.flink.taskManagerRpcPort + role.index, cc.flink.taskManagerDataPort + role.index];
  return {
    proc,
    endpoint: isJm ? `http://127.0.0.1:${cc.flink.restPort}` : `127.0.0.1:${ports[0]}`,
    ports,
    startTimeoutMs: 180_000,
    healthy: async () => {
      try {
        if (isJm) return (await restJson(cc, "/overview")) !== undefined;
        return (await registeredTaskManagers(cc)).includes(name);
      } catch {
        return false;
      }
    },
    start() {
      const classpath = classpathFor(cc.cacheDir, { dir: "flink-1.15-job-server" });
      const java = findJava(17, "PHONEPIPE_FLINK_JAVA_HOME");
      const tmpDir = join(confDir, "tmp");
      mkdirSync(tmpDir, { recursive: true });
      writeFileSync(join(confDir, "flink-conf.yaml"), flinkConfYaml(cc, role, tmpDir));
      startDetached(
        proc,
        java,
        [
          ...flinkJvmMemoryArgs(role),
          "-XX:+UseSerialGC",
          ...JDK17_OPENS,
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-cp",
          classpath,
          isJm
            ? "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
            : "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
          "--configDir",
          confDir,
        ],
        { cwd: confDir },
      );
    },
  };
}

/** The TypeScript SDK's external worker pool (`node dist/pipelines/worker-pool.js`), one for the cluster. */
function workerPoolService(cc: ClusterConfig): Service {
  const proc = managed(cc, "worker-pool");
  const port = cc.workerPoolPort;
  return {
    proc,
    endpoint: `127.0.0.1:${port}`,
    ports: [port],
    startTimeoutMs: 60_000,
    healthy: () => portAcceptsConnections(port),
    start() {
      const entry = join(cc.root, "dist", "pipelines", "worker-pool.js");
      if (!existsSync(entry))
        throw new PlatformError(`${entry} is missing: build first (npx tspc -p tsconfig.json)`);
      startDetached(proc, process.execPath, [entry, "--port", String(port)], { cwd: cc.root });
    },
  };
}

/** JobManager, TaskManagers, then the worker pool; platformUp starts them in this order. */
export function clusterFlinkServices(cc: ClusterConfig): Service[] {
  const taskManagers = Array.from({ length: cc.flink.taskManagers }, (_, index) =>
    flinkService(cc, { kind: "taskmanager", index }),
  );
  return [flinkService(cc, { kind: "jobmanager" }), ...taskManagers, workerPoolService(cc)];
}
