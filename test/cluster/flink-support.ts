/**
 * What the Flink session-cluster tests share: the cluster's addresses from the environment with-cluster.sh
 * exports, its jobs as the JobManager's REST API reports them, the worker pool's record of the workers it
 * started, and one micro-batch stream run over a topic until a given landing is complete.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../../infra/process";
import { MicroBatchHandle, startMicroBatchStream } from "../../pipelines/run-micro-batch";
import { LandedRow, readLanding, StreamTestEnv, streamTestOptions } from "../../harness/stream";

export interface FlinkCluster {
  /** host:port of the JobManager's REST endpoint (the stream's --flink-master). */
  master: string;
  workerPool: string;
  runDir: string;
}

/** The session cluster the harness started; a clear error when the tests run outside it. */
export function flinkClusterFromEnv(env: NodeJS.ProcessEnv = process.env): FlinkCluster {
  const master = env.PHONEPIPE_FLINK_MASTER;
  const workerPool = env.PHONEPIPE_BEAM_WORKER_POOL;
  const runDir = env.PHONEPIPE_CLUSTER_RUN_DIR;
  if (!master || !workerPool || !runDir) {
    throw new Error(
      "PHONEPIPE_FLINK_MASTER, PHONEPIPE_BEAM_WORKER_POOL and PHONEPIPE_CLUSTER_RUN_DIR must point at a running " +
        "cluster profile: run the cluster tests under infra/with-cluster.sh",
    );
  }
  return { master, workerPool, runDir };
}

export interface FlinkJob {
  jid: string;
  name: string;
  state: string;
  "start-time": number;
  duration: number;
}

async function rest<T>(c: FlinkCluster, path: string): Promise<T> {
  const res = await fetch(`http://${c.master}${path}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET http://${c.master}${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** The cluster's jobs started at or after `since` (epoch ms). */
export async function flinkJobsSince(c: FlinkCluster, since: number): Promise<FlinkJob[]> {
  const { jobs } = await rest<{ jobs: FlinkJob[] }>(c, "/jobs/overview");
  return jobs.filter((j) => j["start-time"] >= since).sort((a, b) => a["start-time"] - b["start-time"]);
}

/** The TaskManagers (their resource ids: taskmanager-1, ...) that run a task of job `jid`. */
export async function taskManagersOfJob(c: FlinkCluster, jid: string): Promise<string[]> {
  const job = await rest<{ vertices: Array<{ id: string }> }>(c, `/jobs/${jid}`);
  const ids = new Set<string>();
  for (const v of job.vertices) {
    const tms = await rest<{ taskmanagers: Array<{ "taskmanager-id": string; status: string }> }>(
      c,
      `/jobs/${jid}/vertices/${v.id}/taskmanagers`,
    );
    for (const tm of tms.taskmanagers) ids.add(tm["taskmanager-id"]);
  }
  return [...ids].sort();
}

export async function registeredTaskManagerIds(c: FlinkCluster): Promise<string[]> {
  const { taskmanagers } = await rest<{ taskmanagers: Array<{ id: string }> }>(c, "/taskmanagers");
  return taskmanagers.map((t) => t.id).sort();
}

/** How many SDK workers the pool has started so far (one JSON line each in its log). */
export function poolWorkersStarted(c: FlinkCluster): number {
  const log = join(c.runDir, "logs", "worker-pool.log");
  if (!existsSync(log)) return 0;
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => l.includes('"event":"beam_worker_started"')).length;
}

/** One listing observation per (URL, window) lands: the latest. Event ids of what must land, sorted. */
export function dedupedEventIds(values: Array<Record<string, unknown>>, windowMs: number): string[] {
  const best = new Map<string, Record<string, unknown>>();
  for (const v of values) {
    const k = `${String(v.url)}|${Math.floor((v.scraped_at as number) / windowMs)}`;
    const cur = best.get(k);
    if (!cur || (v.scraped_at as number) > (cur.scraped_at as number)) best.set(k, v);
  }
  return [...best.values()].map((v) => String(v.event_id)).sort();
}

export interface StreamRun {
  rows: LandedRow[];
  log: string[];
  /** job_ms of every cycle that landed or held records. */
  jobMs: number[];
  failedCycles: number;
}

/**
 * Runs the micro-batch stream over the test's topic into `<env.dataDir>/<tag>` until `expectedRows` have
 * landed, then stops it. `during` runs alongside (e.g. a fault); its failure fails the run.
 */
export async function streamUntilLanded(
  env: StreamTestEnv,
  tag: string,
  where: { flinkMaster: string; workerPool?: string; parallelism?: number },
  expectedRows: number,
  during: (handle: MicroBatchHandle, log: string[]) => Promise<void> = async () => undefined,
): Promise<StreamRun> {
  const dataDir = join(env.dataDir, tag);
  const runDir = join(env.runDir, tag);
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(runDir, { recursive: true });
  const log: string[] = [];
  const handle = await startMicroBatchStream(
    streamTestOptions({
      topics: [env.topic],
      contracts: { [env.topic]: "listings.scraped" },
      dataDir,
      runDir,
      groupId: `${tag}-${randomBytes(4).toString("hex")}`,
      instance: tag,
      windowSeconds: 2,
      parallelism: where.parallelism ?? 2,
      flinkMaster: where.flinkMaster,
      workerPool: where.workerPool,
      log: (l) => log.push(l),
    }),
  );
  try {
    await during(handle, log);
    let rows: LandedRow[] = [];
    const landed = await waitFor(
      async () => (rows = await readLanding(dataDir, env.topic)).length >= expectedRows,
      600_000,
      undefined,
      500,
    );
    if (!landed) {
      throw new Error(
        `${tag}: ${rows.length} of ${expectedRows} rows landed; last log:\n${log.slice(-8).join("\n")}`,
      );
    }
  } finally {
    await handle.stop();
  }
  const events = log
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { event?: string; job_ms?: number });
  return {
    rows: await readLanding(dataDir, env.topic), // read after the stop: a late duplicate would show
    log,
    jobMs: events.filter((e) => e.event === "micro_batch").map((e) => e.job_ms ?? 0),
    failedCycles: events.filter((e) => e.event === "micro_batch_failed").length,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}
