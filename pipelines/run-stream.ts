/**
 * `phonepipe stream`: the streaming job on Flink. Starts the KafkaIO expansion service and the Flink job
 * server (embedded `[local]` Flink unless --flink-master names a cluster), submits the pipeline with a
 * LOOPBACK TypeScript worker (this process), logs metrics as JSON lines, and on SIGTERM/SIGINT cancels the
 * job between bundles (JS runs a signal handler only between synchronous DoFn calls, so the bundle in hand
 * finishes and is durable first) and stops what it started.
 *
 * Restart: the landing's own progress file (newest landed window end) is the durable resume point. The job
 * asks KafkaIO to start at that time minus lateness and two windows (Kafka's time index → offsets), and skips
 * records of windows before it: each window after it is replayed whole and its files rewritten with the same
 * content, so kill -9 + restart leaves the landing as an uninterrupted run would.
 */
import * as beam from "apache-beam";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jobStateName, PortableRunner } from "./beam-sdk";
import { readKafkaWithMetadata, KafkaRecordRow } from "./kafka-read";
import { recordsToLanding, StreamJobOptions } from "./stream-pipeline";
import { startService, RunningService, ServiceOptions } from "./services";
import { startMetricsLog } from "./metrics";
import { toB64, SourceRecord } from "../transforms/stream/records";
import { windowStartOf } from "../transforms/stream/landing";
import "./serialization";

export interface StreamRunOptions extends StreamJobOptions {
  cacheDir: string;
  runDir: string;
  flinkMaster: string;
  /** Use an already running job server / expansion service instead of starting them. */
  jobEndpoint?: string;
  expansionAddress?: string;
  groupId: string;
  checkpointIntervalMs: number;
  metricsIntervalMs: number;
  parallelism: number;
  /** Start from the progress file (default) or from the consumer group's committed offsets / earliest. */
  resume: boolean;
  /** Distinguishes service pid files when several jobs run on one machine (tests). */
  instance?: string;
}

export function progressFileFor(dataDir: string, topic: string): string {
  return join(dataDir, "state", `${topic}.stream-progress.json`);
}

/** The restart point: the window boundary from which every window is replayed whole. */
export function resumePoint(
  progressFile: string,
  windowSeconds: number,
  allowedLatenessSeconds: number,
): number | undefined {
  let landedEnd: number;
  try {
    landedEnd = (JSON.parse(readFileSync(progressFile, "utf8")) as { landed_window_end: number })
      .landed_window_end;
  } catch {
    return undefined;
  }
  const windowMs = windowSeconds * 1000;
  return windowStartOf(landedEnd - allowedLatenessSeconds * 1000 - 2 * windowMs, windowMs);
}

function num(v: KafkaRecordRow["offset"]): number {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : v.toNumber();
}

/** Kafka record (KafkaIO row) → SourceRecord: decode Uint8Arrays before any shuffle. */
export function kafkaRowToSource(r: KafkaRecordRow): SourceRecord {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: num(r.offset),
    timestamp: num(r.timestamp),
    keyB64: toB64(r.key),
    valueB64: toB64(r.value),
  };
}

export interface StreamHandle {
  jobId?: string;
  /** Resolves with the final job state when the job ends or is cancelled. */
  done: Promise<string>;
  stop(): Promise<void>;
  services: RunningService[];
  resumeFrom?: number;
}

export async function startStream(o: StreamRunOptions): Promise<StreamHandle> {
  const services: RunningService[] = [];
  const svcOpts: ServiceOptions = {
    cacheDir: o.cacheDir,
    runDir: o.runDir,
    flinkMaster: o.flinkMaster,
    workDir: join(o.runDir, "stream"),
    instance: o.instance,
  };
  const stopServices = async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const expansion =
      o.expansionAddress ??
      (services.push(await startService("expansion", svcOpts)), services[services.length - 1].endpoint);
    const jobEndpoint =
      o.jobEndpoint ??
      (services.push(await startService("flink", svcOpts)), services[services.length - 1].endpoint);

    const progressFile = o.progressFile ?? progressFileFor(o.dataDir, o.topic);
    const resumeFrom = o.resume
      ? resumePoint(progressFile, o.windowSeconds, o.allowedLatenessSeconds)
      : undefined;
    const jobOpts: StreamJobOptions = { ...o, progressFile, skipWindowsBefore: resumeFrom };
    const consumerConfig: Record<string, string> = {
      "bootstrap.servers": o.brokers.join(","),
      "group.id": o.groupId,
      "auto.offset.reset": "earliest",
      "enable.auto.commit": "false",
    };
    const runner = new PortableRunner({
      jobEndpoint,
      environmentType: "LOOPBACK",
      streaming: true,
      checkpointingInterval: o.checkpointIntervalMs,
      parallelism: o.parallelism,
      jobName: `phonepipe-stream-${o.topic}`,
    } as never);
    const result = await runner.runAsync(async (root: beam.Root) => {
      const records = (await root.applyAsync(
        readKafkaWithMetadata(
          {
            topics: [o.topic],
            consumerConfig,
            // Committed on Flink checkpoint finalization: consumer-group lag stays visible to Kafka tools.
            commitOffsetInFinalize: true,
            // The watermark follows the Kafka record time, which producers set at send time (>= scraped_at).
            timestampPolicy: "CreateTime",
            startReadTime: resumeFrom,
          },
          expansion,
        ),
      )) as beam.PCollection<KafkaRecordRow>;
      return recordsToLanding(records.map(kafkaRowToSource), jobOpts);
    });
    const stopMetrics = startMetricsLog(o.metricsIntervalMs);
    let stopping: Promise<void> | undefined;
    const jobId = (result as unknown as { jobId?: string }).jobId;
    const done = result.waitUntilFinish().then(
      (s) => jobStateName(s),
      (e: unknown) => `FAILED: ${(e as Error).message}`,
    );
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        if (jobId) {
          await (runner as unknown as { cancelJob(id: string): Promise<unknown> })
            .cancelJob(jobId)
            .catch(() => undefined);
        }
        await Promise.race([done, new Promise((r) => setTimeout(r, 30_000).unref())]);
        stopMetrics();
        await stopServices();
      })());
    return { jobId, done, stop, services, resumeFrom };
  } catch (err) {
    await stopServices();
    throw err;
  }
}
