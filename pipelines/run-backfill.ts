/**
 * `phonepipe backfill`: the stream job's pipeline, bounded, over a time range of a topic, on the portable
 * Spark runner (local[2] by default, spark://… for a cluster) or the DirectRunner. Landing files are named
 * from their window and shard, so a backfill over a range the stream already landed rewrites the same files.
 */
import * as beam from "apache-beam";
import { directRunner, jobStateName, PortableRunner } from "./beam-sdk";
import { batchesToLanding, readOffsetBatchesFromKafka, StreamJobOptions } from "./stream-pipeline";
import { offsetRangesForTimes } from "./kafka-range";
import { packReads } from "../transforms/stream/offset-reads";
import { java17PatchJar, startService, RunningService } from "./services";
import {
  driverEnv,
  parseSparkMaster,
  SparkMaster,
  sparkPipelineOptions,
  standaloneDriverJvmArgs,
} from "./spark-standalone";
import { portAcceptsConnections, tailOf } from "../infra/process";
import { counters, metricsLine } from "./metrics";
import "./serialization";

export interface BackfillOptions extends StreamJobOptions {
  fromMs: number;
  toMs: number;
  runner: "spark" | "direct";
  sparkMaster: string;
  jobEndpoint?: string;
  cacheDir: string;
  runDir: string;
  instance?: string;
}

export interface BackfillResult {
  records: number;
  state: string;
  counters: typeof counters;
}

/** The job server log's error lines (Spark's causes), else its last lines. */
function causeLines(logFile: string): string {
  const tail = tailOf(logFile, 400).split("\n");
  const errors = tail.filter((l) => /ERROR|Exception|Caused by/.test(l) && !/^\s+at /.test(l));
  return (errors.length ? errors.slice(-12) : tail.slice(-20)).join("\n");
}

/** A standalone master must accept connections before the job server is started for it. */
async function checkMasterReachable(master: SparkMaster): Promise<void> {
  if (master.kind !== "standalone") return;
  const host = master.host.replace(/^\[|\]$/g, "");
  if (!(await portAcceptsConnections(master.port, host, 5000))) {
    throw new Error(
      `Spark master ${master.url} is not reachable (nothing accepts connections on ${host}:${master.port}); ` +
        `start the cluster or fix --spark-master-url / PHONEPIPE_SPARK_MASTER_URL`,
    );
  }
}

export async function runBackfill(o: BackfillOptions): Promise<BackfillResult> {
  const master = o.runner === "spark" && !o.jobEndpoint ? parseSparkMaster(o.sparkMaster) : undefined;
  if (master) await checkMasterReachable(master);
  const ranges = await offsetRangesForTimes(o.brokers, o.topic, o.fromMs, o.toMs);
  // The job reads the ranges itself (a DoFn per element of at most 2,000 offsets), so any range fits.
  const reads = packReads(
    ranges.map((r) => ({ partition: r.partition, runs: [[r.start, r.end]] })),
    2000,
  );
  const records = ranges.reduce((n, r) => n + (r.end - r.start), 0);
  const build = (root: beam.Root) =>
    batchesToLanding(readOffsetBatchesFromKafka(root, reads, o.topic, o.brokers), o);
  if (o.runner === "direct") {
    await directRunner().run(build);
    return { records, state: "DONE", counters: { ...counters } };
  }
  let svc: RunningService | undefined;
  try {
    const endpoint =
      o.jobEndpoint ??
      (svc = await startService("spark", {
        cacheDir: o.cacheDir,
        runDir: o.runDir,
        sparkMaster: o.sparkMaster,
        instance: o.instance,
        jvmArgs: master ? standaloneDriverJvmArgs(master, java17PatchJar(o.cacheDir)) : [],
        env: master ? driverEnv(master) : {},
      })).endpoint;
    const runner = new PortableRunner({
      jobEndpoint: endpoint,
      environmentType: "LOOPBACK",
      jobName: `phonepipe-backfill-${o.topic}`,
      ...(master ? sparkPipelineOptions(master, java17PatchJar(o.cacheDir)) : {}),
    } as never);
    // run() rejects when the job ends FAILED or CANCELLED; the cause is in the job server's log.
    const state = await runner
      .run(build)
      .then(async (result) => jobStateName(await result.waitUntilFinish()))
      .catch((err: Error) => {
        throw new Error(
          `backfill on Spark ${o.sparkMaster}: ${err.message}` +
            (svc ? `; job server log ${svc.proc.logFile} ends with:\n${causeLines(svc.proc.logFile)}` : ""),
        );
      });
    console.log(metricsLine());
    return { records, state, counters: { ...counters } };
  } finally {
    await svc?.stop();
  }
}
