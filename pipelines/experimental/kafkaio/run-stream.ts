/**
 * `phonepipe stream --source kafkaio` (experimental): the stream job as one unbounded Beam job on Flink reading
 * with cross-language KafkaIO. The default source is the micro-batch loop (pipelines/run-micro-batch.ts); why
 * this one is not the default is in docs/decisions/0001-micro-batches-over-kafkaio.md.
 *
 * Starts the KafkaIO expansion service and the Flink job server (embedded `[local]` Flink unless
 * --flink-master names a cluster), submits the pipeline with a LOOPBACK TypeScript worker (this process), logs
 * metrics as JSON lines, and on SIGTERM/SIGINT cancels the job between bundles (JS runs a signal handler only
 * between synchronous DoFn calls, so the bundle in hand finishes and is durable first) and stops what it
 * started.
 *
 * Restart: the landing's own progress file (newest landed window end) is the durable resume point. The job
 * asks KafkaIO to start at that time minus lateness and two windows (Kafka's time index → offsets), and skips
 * records of windows before it: each window after it is replayed whole and its files rewritten with the same
 * content, so kill -9 + restart leaves the landing as an uninterrupted run would.
 */
import * as beam from "apache-beam";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jobStateName, PortableRunner } from "../../beam-sdk";
import { readKafkaWithMetadata, KafkaRecordRow } from "./kafka-read";
import { startExpansionService } from "./expansion-service";
import { recordsToLanding, StreamJobOptions } from "../../stream-pipeline";
import { startService, stopServices, RunningService, ServiceOptions } from "../../services";
import { startMetricsLog } from "../../metrics";
import { toB64, SourceRecord } from "../../../transforms/stream/records";
import { windowStartOf } from "../../../transforms/stream/landing";
import "../../serialization";

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

/** The consumer KafkaIO reads with: the group shows the lag, offsets are committed by the job only. */
export function consumerConfigFor(o: Pick<StreamRunOptions, "brokers" | "groupId">): Record<string, string> {
  return {
    "bootstrap.servers": o.brokers.join(","),
    "group.id": o.groupId,
    "auto.offset.reset": "earliest",
    "enable.auto.commit": "false",
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

type JobResult = Awaited<ReturnType<InstanceType<typeof PortableRunner>["runAsync"]>>;

/** The expansion service and the job server, each started unless the options name a running one. */
async function startServices(
  o: StreamRunOptions,
  services: RunningService[],
): Promise<{ expansion: string; jobEndpoint: string }> {
  const svcOpts: ServiceOptions = {
    cacheDir: o.cacheDir,
    runDir: o.runDir,
    flinkMaster: o.flinkMaster,
    workDir: join(o.runDir, "stream"),
    instance: o.instance,
  };
  const expansion =
    o.expansionAddress ??
    (services.push(await startExpansionService(svcOpts)), services[services.length - 1].endpoint);
  const jobEndpoint =
    o.jobEndpoint ??
    (services.push(await startService("flink", svcOpts)), services[services.length - 1].endpoint);
  return { expansion, jobEndpoint };
}

/** Submits the unbounded job; it reads from `resumeFrom` (epoch ms) when set, else from the group's offsets. */
async function submitJob(
  o: StreamRunOptions,
  endpoints: { expansion: string; jobEndpoint: string },
  resumeFrom: number | undefined,
  jobOpts: StreamJobOptions,
): Promise<{ runner: InstanceType<typeof PortableRunner>; result: JobResult }> {
  const runner = new PortableRunner({
    jobEndpoint: endpoints.jobEndpoint,
    environmentType: "LOOPBACK",
    streaming: true,
    checkpointingInterval: o.checkpointIntervalMs,
    parallelism: o.parallelism,
    jobName: `phonepipe-stream-${o.topic}`,
  } as never);
  const result = await runner.runAsync(async (root: beam.Root) => {
    const read = readKafkaWithMetadata(
      {
        topics: [o.topic],
        consumerConfig: consumerConfigFor(o),
        // Committed on Flink checkpoint finalization: consumer-group lag stays visible to Kafka tools.
        commitOffsetInFinalize: true,
        // The watermark follows the Kafka record time, which producers set at send time (>= scraped_at).
        timestampPolicy: "CreateTime",
        startReadTime: resumeFrom,
      },
      endpoints.expansion,
    );
    const records = (await root.applyAsync(read)) as beam.PCollection<KafkaRecordRow>;
    return recordsToLanding(records.map(kafkaRowToSource), jobOpts);
  });
  return { runner, result };
}

export async function startStream(o: StreamRunOptions): Promise<StreamHandle> {
  const services: RunningService[] = [];
  try {
    const endpoints = await startServices(o, services);
    const progressFile = o.progressFile ?? progressFileFor(o.dataDir, o.topic);
    const resumeFrom = o.resume
      ? resumePoint(progressFile, o.windowSeconds, o.allowedLatenessSeconds)
      : undefined;
    const jobOpts: StreamJobOptions = { ...o, progressFile, skipWindowsBefore: resumeFrom };
    const { runner, result } = await submitJob(o, endpoints, resumeFrom, jobOpts);
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
        await stopServices(services);
      })());
    return { jobId, done, stop, services, resumeFrom };
  } catch (err) {
    await stopServices(services);
    throw err;
  }
}
