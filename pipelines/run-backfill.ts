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
import { startService, RunningService } from "./services";
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

export async function runBackfill(o: BackfillOptions): Promise<BackfillResult> {
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
      })).endpoint;
    const runner = new PortableRunner({
      jobEndpoint: endpoint,
      environmentType: "LOOPBACK",
      jobName: `phonepipe-backfill-${o.topic}`,
    } as never);
    const result = await runner.run(build);
    const state = jobStateName(await result.waitUntilFinish());
    console.log(metricsLine());
    return { records, state, counters: { ...counters } };
  } finally {
    await svc?.stop();
  }
}
