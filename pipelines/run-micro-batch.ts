/**
 * `phonepipe stream` (default source): the stream job as a loop of bounded offset-range micro-batches on the
 * Flink job server. Why not KafkaIO's unbounded read: on this machine its splittable read on portable Flink
 * did not start in about half of the runs (README, "Stream job"), and a stream that may silently stall is not
 * one to land on. Each cycle:
 *   1. reads the clock, then every partition's end offset, and the records from its `next_offset` (kafkajs);
 *   2. plans the cycle (transforms/stream/micro-batch.ts): windows that are closed land whole, records of open
 *      windows are held for the next cycle, late records land in their own files;
 *   3. writes the plan's ranges and clock into the state file, then runs the one pipeline definition
 *      (stream-pipeline.ts: decode → validate → normalize → window → dedupe → Parquet, dead letters to the DLQ)
 *      bounded on Flink, with this process as the LOOPBACK TypeScript worker;
 *   4. when the job is DONE, persists the new offsets (state file first, then the consumer group's committed
 *      offsets so Kafka tools show the lag).
 * A crash before 4 replays the same cycle (same ranges, same clock) on restart, so the landing ends as an
 * uninterrupted run's would. SIGTERM lets the running cycle finish, then stops.
 */
import * as beam from "apache-beam";
import { Kafka, logLevel } from "kafkajs";
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from "node:fs";
import { dirname, join } from "node:path";
import { jobStateName, PortableRunner } from "./beam-sdk";
import { listingsToLanding, StreamJobOptions } from "./stream-pipeline";
import { OffsetRange, readOffsetRanges } from "./kafka-range";
import { startService, RunningService } from "./services";
import { counters, startMetricsLog } from "./metrics";
import { writerSchemaSync } from "./schema-cache";
import { eventTimeOf } from "../transforms/stream/decode";
import { fromB64, SourceRecord } from "../transforms/stream/records";
import {
  closeBoundary,
  initialState,
  MicroBatchState,
  parseMicroBatchState,
  planMicroBatch,
} from "../transforms/stream/micro-batch";
import { windowStartOf } from "../transforms/stream/landing";
import { EVENT_TIME_FIELD, Topic } from "../schemas";
import "./serialization";

export interface MicroBatchRunOptions extends StreamJobOptions {
  cacheDir: string;
  runDir: string;
  flinkMaster: string;
  /** Use an already running Flink job server instead of starting one. */
  jobEndpoint?: string;
  groupId: string;
  parallelism: number;
  /** How long after a window's end the job waits for stragglers before landing it. */
  graceMs: number;
  /** How often an idle loop looks for new records. */
  pollMs: number;
  /** Records read per partition and cycle at most (bounds the job's size while catching up). */
  maxRecordsPerPartition: number;
  metricsIntervalMs: number;
  /** Start from the state file (default) or from the consumer group's committed offsets / earliest. */
  resume: boolean;
  instance?: string;
  log?: (line: string) => void;
}

export interface MicroBatchHandle {
  /** Resolves with the final state: STOPPED after stop(), FAILED: … when the loop gave up. */
  done: Promise<string>;
  stop(): Promise<void>;
  services: RunningService[];
  stateFile: string;
}

export function stateFileFor(dataDir: string, topic: string): string {
  return join(dataDir, "state", `${topic}.micro-batch.json`);
}

function writeStateAtomically(file: string, state: MicroBatchState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state) + "\n");
  const fd = openSync(tmp, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function readState(file: string, topic: string): MicroBatchState | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return parseMicroBatchState(text, topic, file);
}

/** Where a run without a state file starts: the group's committed offsets, else the earliest offsets. */
async function startingOffsets(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const byPartition = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
    );
    const out: Record<string, number> = {};
    for (const p of ends) {
      const c = byPartition.get(p.partition);
      out[String(p.partition)] = c !== undefined && c >= 0 ? c : Number(p.low);
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

export async function startMicroBatchStream(o: MicroBatchRunOptions): Promise<MicroBatchHandle> {
  const log = o.log ?? ((l: string) => console.log(l));
  const services: RunningService[] = [];
  const stopServices = async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
  };
  const jobEndpoint =
    o.jobEndpoint ??
    (services.push(
      await startService("flink", {
        cacheDir: o.cacheDir,
        runDir: o.runDir,
        flinkMaster: o.flinkMaster,
        workDir: join(o.runDir, "stream"),
        instance: o.instance,
      }),
    ),
    services[services.length - 1].endpoint);

  const kafka = new Kafka({ brokers: o.brokers, logLevel: logLevel.NOTHING });
  const stateFile = stateFileFor(o.dataDir, o.topic);
  const windowMs = o.windowSeconds * 1000;
  const timeField = EVENT_TIME_FIELD[o.topic as Topic] ?? "scraped_at";
  let stopping = false;
  let wake: () => void = () => undefined;
  const stopMetrics = startMetricsLog(o.metricsIntervalMs, log);

  const loadOrInit = async (): Promise<MicroBatchState> => {
    const saved = o.resume ? readState(stateFile, o.topic) : undefined;
    if (saved) return saved;
    return initialState(o.topic, await startingOffsets(kafka, o.topic, o.groupId));
  };

  const runJob = async (records: SourceRecord[], lateBefore: number, cycle: number): Promise<void> => {
    const runner = new PortableRunner({
      jobEndpoint,
      environmentType: "LOOPBACK",
      parallelism: o.parallelism,
      jobName: `phonepipe-stream-${o.topic}-${cycle}`,
    } as never);
    const opts: StreamJobOptions = { ...o, lateWindowsBefore: lateBefore };
    const result = await runner.run((root: beam.Root) =>
      listingsToLanding(root.apply(beam.create(records)), opts),
    );
    const state = jobStateName(await result.waitUntilFinish());
    if (state !== "DONE") throw new Error(`micro-batch job ${cycle} ended ${state}`);
  };

  const commitGroupOffsets = async (state: MicroBatchState) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: o.groupId,
        topic: o.topic,
        partitions: Object.entries(state.partitions).map(([p, pp]) => ({
          partition: Number(p),
          offset: String(pp.next_offset),
        })),
      });
    } finally {
      await admin.disconnect();
    }
  };

  const loop = async (): Promise<string> => {
    let state: MicroBatchState | undefined;
    let cycle = 0;
    let failures = 0;
    while (!stopping) {
      cycle += 1;
      const started = Date.now();
      try {
        if (!state) {
          // Inside the retry loop: a broker that is still electing its group coordinator is retried.
          state = await loadOrInit();
          log(
            JSON.stringify({
              event: "stream_resumed",
              state_file: stateFile,
              closed_before: state.closed_before || null,
              partitions: state.partitions,
              replaying_pending: state.pending !== undefined,
            }),
          );
        }
        const st: MicroBatchState = state;
        let readTo: Record<string, number>;
        let close: number;
        const capped = new Set<string>();
        const from: Record<string, number> = {};
        for (const [p, pp] of Object.entries(st.partitions)) from[p] = pp.next_offset;
        if (st.pending) {
          ({ read_to: readTo, close_before: close } = st.pending);
        } else {
          // The clock is read before the end offsets: a record appended after the read has an event time
          // later than (clock − grace) unless its producer was slower than the grace period.
          close = closeBoundary(Date.now(), o.graceMs, windowMs);
          const admin = kafka.admin();
          await admin.connect();
          const ends = await admin.fetchTopicOffsets(o.topic).finally(() => admin.disconnect());
          readTo = {};
          for (const p of ends) {
            const key = String(p.partition);
            const low = Number(p.low);
            const high = Number(p.high);
            if ((from[key] ?? low) < low)
              log(JSON.stringify({ event: "retention_gap", partition: p.partition, lost_before: low }));
            from[key] = Math.max(from[key] ?? low, low);
            readTo[key] = Math.min(high, from[key] + o.maxRecordsPerPartition);
            if (readTo[key] < high) capped.add(key);
          }
          const hasNew = Object.entries(readTo).some(([p, end]) => end > (st.partitions[p]?.read_to ?? 0));
          const hasHeld = Object.values(st.partitions).some((pp) => pp.next_offset < pp.read_to);
          if (!hasNew && !(hasHeld && close > st.closed_before)) {
            // Nothing new and no held window closes yet: wait (stop() cuts the wait short).
            await new Promise<void>((r) => {
              wake = r;
              setTimeout(r, o.pollMs).unref();
            });
            cycle -= 1;
            continue;
          }
        }

        const ranges: OffsetRange[] = Object.entries(readTo)
          .map(([p, end]) => ({ partition: Number(p), start: from[p] ?? 0, end }))
          .filter((r) => r.end > r.start);
        const read = await readOffsetRanges(o.brokers, o.topic, ranges);
        const planned = read.map((r) => ({
          ...r,
          eventTime: eventTimeOf(fromB64(r.valueB64), (id) => writerSchemaSync(o.registryUrl, id), timeField),
        }));
        if (!st.pending && capped.size > 0) {
          // Catching up: a partition read only partly must not have its later records' windows closed.
          let minLast = Infinity;
          for (const p of capped) {
            const last = planned.filter((r) => String(r.partition) === p && r.eventTime !== null).pop();
            minLast = Math.min(minLast, last?.eventTime ?? -Infinity);
          }
          close = Math.min(close, windowStartOf(minLast, windowMs));
        }
        const plan = planMicroBatch(state, planned, readTo, close, windowMs);
        let jobMs = 0;
        if (plan.land.length > 0) {
          writeStateAtomically(stateFile, { ...state, pending: { read_to: readTo, close_before: close } });
          const t = Date.now();
          const records: SourceRecord[] = plan.land.map((r) => ({
            topic: r.topic,
            partition: r.partition,
            offset: r.offset,
            timestamp: r.timestamp,
            keyB64: r.keyB64,
            valueB64: r.valueB64,
          }));
          await runJob(records, plan.lateBefore, cycle);
          jobMs = Date.now() - t;
        }
        writeStateAtomically(stateFile, plan.next);
        state = plan.next;
        await commitGroupOffsets(state).catch((err: unknown) =>
          log(JSON.stringify({ event: "offset_commit_failed", error: (err as Error).message })),
        );
        counters.batches += 1;
        counters.held_records = plan.counts.held;
        counters.late_records += plan.counts.late;
        failures = 0;
        if (plan.land.length > 0 || plan.counts.read > 0)
          log(
            JSON.stringify({
              event: "micro_batch",
              cycle,
              ...plan.counts,
              closed_before: new Date(plan.next.closed_before).toISOString(),
              job_ms: jobMs,
              cycle_ms: Date.now() - started,
            }),
          );
      } catch (err) {
        failures += 1;
        const backoff = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
        log(
          JSON.stringify({
            event: "micro_batch_failed",
            cycle,
            attempt: failures,
            error: (err as Error).message,
            retry_in_ms: backoff,
          }),
        );
        // The state file still holds the cycle's plan (pending): the retry replays it exactly.
        if (state) state = readState(stateFile, o.topic) ?? state;
        if (failures >= 8) return `FAILED: ${(err as Error).message}`;
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, backoff).unref();
        });
      }
    }
    return "STOPPED";
  };

  const done = loop().then(
    (s) => s,
    (err: unknown) => `FAILED: ${(err as Error).message}`,
  );
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      wake();
      await done;
      stopMetrics();
      await stopServices();
    })());
  // A loop that ends by itself (FAILED) still releases the job server.
  void done.then(() => (stopping ? undefined : stop()));
  return { done, stop, services, stateFile };
}
