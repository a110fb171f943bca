/**
 * `phonepipe stream` (default source): the stream job as a loop of bounded offset-range micro-batches on the
 * Flink job server, for one or several topics (one Beam job per cycle, one branch per topic with new data). Why not KafkaIO's unbounded read: on this machine its splittable read on portable Flink
 * did not start in about half of the runs (README, "Stream job"), and a stream that may silently stall is not
 * one to land on. Each cycle:
 *   1. reads the clock, then every partition's end offset, and the records from its `next_offset` (kafkajs);
 *   2. plans the cycle (transforms/stream/micro-batch.ts): windows that are closed land whole, records of open
 *      windows are held for the next cycle, late records land in their own files;
 *   3. writes the plan's ranges and clock into the topic's state file, then runs the one pipeline definition
 *      (stream-pipeline.ts: decode → validate → normalize → window → dedupe → Parquet, dead letters to the DLQ)
 *      bounded on Flink, with this process as the LOOPBACK TypeScript worker;
 *   4. when the job is DONE, persists the new offsets (state files first, then the consumer group's committed
 *      offsets so Kafka tools show the lag).
 * A crash before 4 replays the same cycle (same ranges, same clock) on restart, so the landing ends as an
 * uninterrupted run's would. SIGTERM lets the running cycle finish, then stops.
 */
import * as beam from "apache-beam";
import { Admin, Kafka, logLevel } from "kafkajs";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { jobStateName, PortableRunner } from "./beam-sdk";
import { readOffsetsFromKafka, recordsToLanding, StreamJobOptions } from "./stream-pipeline";
import { OffsetRange, readOffsetRanges } from "./kafka-range";
import { startService, RunningService } from "./services";
import { counters, startMetricsLog } from "./metrics";
import { writerSchemaSync } from "./schema-cache";
import { eventTimeOf } from "../transforms/stream/decode";
import { fromB64, SourceRecord } from "../transforms/stream/records";
import {
  closeBoundary,
  cycleRanges,
  initialState,
  MicroBatchPlan,
  MicroBatchState,
  parseMicroBatchState,
  PlannedRecord,
  planMicroBatch,
} from "../transforms/stream/micro-batch";
import { windowStartOf } from "../transforms/stream/landing";
import { readsForOffsets } from "../transforms/stream/offset-reads";
import { topicSpec } from "../schemas/catalog";
import "./serialization";

export interface MicroBatchRunOptions extends Omit<StreamJobOptions, "topic"> {
  /** Topics to land: listings.scraped and/or the event topics of transforms/stream/event-topics.ts. */
  topics: string[];
  /** Landing contract per topic whose name is not its contract's (e.g. prefixed topics, tests). */
  contracts?: Record<string, string>;
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
  /** Offsets one element of the job's read stage covers at most (bounds a DoFn call's output; default 2,000). */
  maxRecordsPerRead?: number;
  metricsIntervalMs: number;
  /** Start from the state files (default) or from the consumer group's committed offsets / earliest. */
  resume: boolean;
  instance?: string;
  log?: (line: string) => void;
}

export interface MicroBatchHandle {
  /** Resolves with the final state: STOPPED after stop(), FAILED: … when the loop gave up. */
  done: Promise<string>;
  stop(): Promise<void>;
  services: RunningService[];
  stateFiles: Record<string, string>;
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

/** The saved offsets do not fit the topic: retrying cannot help, so the stream stops with this message. */
export class StateMismatchError extends Error {
  name = "StateMismatchError";
}

/** What one topic contributes to a cycle. */
interface TopicCycle {
  topic: string;
  state: MicroBatchState;
  readTo: Record<string, number>;
  close: number;
  /** Some partition was read only up to the per-cycle cap. */
  capped: boolean;
  plan?: MicroBatchPlan<PlannedRecord & SourceRecord>;
}

export async function startMicroBatchStream(o: MicroBatchRunOptions): Promise<MicroBatchHandle> {
  const log = o.log ?? ((l: string) => console.log(l));
  if (o.topics.length === 0) throw new Error("no topic to stream");
  const contractOf = (t: string) => o.contracts?.[t] ?? t;
  for (const t of o.topics) topicSpec(contractOf(t)); // fail early on a topic outside the catalog
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
  const stateFiles: Record<string, string> = {};
  for (const t of o.topics) stateFiles[t] = stateFileFor(o.dataDir, t);
  const windowMs = o.windowSeconds * 1000;
  let stopping = false;
  let wake: () => void = () => undefined;
  const stopMetrics = startMetricsLog(o.metricsIntervalMs, log);
  // The timer stays referenced: while the loop waits (idle, or backing off after a failed cycle before any job
  // server runs) it is the only thing keeping the process alive; an unref'd one let Node exit 0 mid-retry.
  // wake() (stop) clears it, so a stop does not wait for the pause.
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      const timer = setTimeout(r, ms);
      wake = () => {
        clearTimeout(timer);
        r();
      };
    });

  const loadOrInit = async (topic: string): Promise<MicroBatchState> => {
    const saved = o.resume ? readState(stateFiles[topic], topic) : undefined;
    if (saved) return saved;
    return initialState(topic, await startingOffsets(kafka, topic, o.groupId));
  };

  /** One Beam job landing every topic's planned records (a branch per topic). */
  const runJob = async (cycles: TopicCycle[], cycle: number): Promise<void> => {
    const runner = new PortableRunner({
      jobEndpoint,
      environmentType: "LOOPBACK",
      parallelism: o.parallelism,
      jobName: `phonepipe-stream-${cycle}`,
    } as never);
    const result = await runner.run((root: beam.Root) => {
      for (const c of cycles) {
        const reads = readsForOffsets(c.plan!.land, o.maxRecordsPerRead ?? 2000);
        const opts: StreamJobOptions = {
          ...o,
          topic: c.topic,
          contract: contractOf(c.topic),
          lateWindowsBefore: c.plan!.lateBefore,
        };
        // A composite per topic: its stages get unique names (one job holds every topic's branch).
        root.apply(
          beam.withName(`land ${c.topic}`, (r: beam.Root) =>
            recordsToLanding(readOffsetsFromKafka(r, reads, c.topic, o.brokers), opts),
          ),
        );
      }
    });
    const state = jobStateName(await result.waitUntilFinish());
    if (state !== "DONE") throw new Error(`micro-batch job ${cycle} ended ${state}`);
  };

  // One admin connection for the stream's life (end offsets and group commits every cycle); a failed call
  // drops it so the next one reconnects.
  let sharedAdmin: Promise<Admin> | undefined;
  const withAdmin = async <T>(fn: (a: Admin) => Promise<T>): Promise<T> => {
    sharedAdmin ??= (async () => {
      const a = kafka.admin();
      await a.connect();
      return a;
    })();
    const pending = sharedAdmin;
    try {
      return await fn(await pending);
    } catch (err) {
      if (sharedAdmin === pending) sharedAdmin = undefined;
      void pending.then((a) => a.disconnect()).catch(() => undefined);
      throw err;
    }
  };

  const commitGroupOffsets = (topic: string, state: MicroBatchState) =>
    withAdmin((admin) =>
      admin.setOffsets({
        groupId: o.groupId,
        topic,
        partitions: Object.entries(state.partitions).map(([p, pp]) => ({
          partition: Number(p),
          offset: String(pp.next_offset),
        })),
      }),
    );

  // Group commits run in the background, one at a time, newest offsets per topic: kafkajs commits for an
  // empty group by joining it (seconds each), and two joins of one group at once rebalance for minutes.
  const toCommit = new Map<string, MicroBatchState>();
  let committing: Promise<void> | undefined;
  const scheduleCommit = (topic: string, state: MicroBatchState) => {
    toCommit.set(topic, state);
    committing ??= (async () => {
      for (let next = toCommit.entries().next(); !next.done; next = toCommit.entries().next()) {
        const [t, st] = next.value;
        toCommit.delete(t);
        await commitGroupOffsets(t, st).catch((err: unknown) =>
          log(JSON.stringify({ event: "offset_commit_failed", topic: t, error: (err as Error).message })),
        );
      }
      committing = undefined;
    })();
  };

  /** The cycle's ranges and clock for one topic, or undefined when it has nothing to do yet. */
  const prepare = async (topic: string, state: MicroBatchState): Promise<TopicCycle | undefined> => {
    // The clock is read before the end offsets: a record appended after the read has an event time later
    // than (clock − grace) unless its producer was slower than the grace period.
    const close = closeBoundary(Date.now(), o.graceMs, windowMs);
    const ends = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
    for (const p of ends) {
      const key = String(p.partition);
      const seen = Math.max(state.partitions[key]?.read_to ?? 0, state.pending?.read_to[key] ?? 0);
      if (seen > Number(p.high))
        throw new StateMismatchError(
          `${stateFiles[topic]} says partition ${p.partition} of ${topic} was read up to offset ${seen}, but the ` +
            `topic ends at ${p.high}: it was recreated, or the state belongs to another cluster. Move the ` +
            `state file away (or run with --no-resume) to start from the consumer group's offsets.`,
        );
    }
    if (state.pending)
      return {
        topic,
        state,
        readTo: state.pending.read_to,
        close: state.pending.close_before,
        capped: false,
      };
    const { readTo, partitions, gaps } = cycleRanges(
      state,
      ends.map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) })),
      o.maxRecordsPerPartition,
    );
    for (const g of gaps) log(JSON.stringify({ event: "retention_gap", topic, ...g }));
    const hasNew = Object.entries(readTo).some(([p, end]) => end > (state.partitions[p]?.read_to ?? 0));
    const hasHeld = Object.values(state.partitions).some((pp) => pp.next_offset < pp.read_to);
    if (!hasNew && !(hasHeld && close > state.closed_before)) return undefined;
    const capped = ends.some((p) => readTo[String(p.partition)] < Number(p.high));
    return { topic, state: { ...state, partitions }, readTo, close, capped };
  };

  const plan = async (c: TopicCycle): Promise<void> => {
    let close = c.close;
    const ranges: OffsetRange[] = Object.entries(c.readTo)
      .map(([p, end]) => ({ partition: Number(p), start: c.state.partitions[p]?.next_offset ?? 0, end }))
      .filter((r) => r.end > r.start);
    const read = await readOffsetRanges(o.brokers, c.topic, ranges);
    const field = topicSpec(contractOf(c.topic)).eventTime;
    const planned = read.map((r) => ({
      ...r,
      eventTime: eventTimeOf(fromB64(r.valueB64), (id) => writerSchemaSync(o.registryUrl, id), field),
    }));
    if (c.capped) {
      // Catching up: a partition read only partly must not have its later records' windows closed.
      const lastByPartition = new Map<number, number>();
      for (const r of planned) if (r.eventTime !== null) lastByPartition.set(r.partition, r.eventTime);
      const minLast = Math.min(...lastByPartition.values());
      if (Number.isFinite(minLast)) close = Math.min(close, windowStartOf(minLast, windowMs));
    }
    c.close = close;
    c.plan = planMicroBatch(c.state, planned, c.readTo, close, windowMs);
  };

  const loop = async (): Promise<string> => {
    const states = new Map<string, MicroBatchState>();
    let cycle = 0;
    let failures = 0;
    while (!stopping) {
      const started = Date.now();
      try {
        for (const t of o.topics) {
          if (states.has(t)) continue;
          // Inside the retry loop: a broker that is still electing its group coordinator is retried.
          const st = await loadOrInit(t);
          states.set(t, st);
          log(
            JSON.stringify({
              event: "stream_resumed",
              topic: t,
              from: o.resume && existsSync(stateFiles[t]) ? "state_file" : "group_offsets_or_earliest",
              state_file: stateFiles[t],
              closed_before: st.closed_before || null,
              partitions: st.partitions,
              replaying_pending: st.pending !== undefined,
            }),
          );
        }
        const cycles: TopicCycle[] = [];
        for (const t of o.topics) {
          const c = await prepare(t, states.get(t)!);
          if (c) cycles.push(c);
        }
        if (cycles.length === 0) {
          await pause(o.pollMs); // nothing new and no held window closes yet (stop() cuts the wait short)
          continue;
        }
        cycle += 1;
        await Promise.all(cycles.map((c) => plan(c)));
        const landing = cycles.filter((c) => c.plan!.land.length > 0);
        for (const c of landing)
          writeStateAtomically(stateFiles[c.topic], {
            ...c.state,
            pending: { read_to: c.readTo, close_before: c.close },
          });
        const t0 = Date.now();
        if (landing.length > 0) await runJob(landing, cycle);
        const jobMs = landing.length > 0 ? Date.now() - t0 : 0;
        counters.held_records = 0;
        for (const c of cycles) {
          writeStateAtomically(stateFiles[c.topic], c.plan!.next);
          states.set(c.topic, c.plan!.next);
        }
        for (const c of cycles) scheduleCommit(c.topic, c.plan!.next);
        for (const c of cycles) {
          const p = c.plan!;
          counters.late_records += p.counts.late;
          log(
            JSON.stringify({
              event: "micro_batch",
              cycle,
              topic: c.topic,
              ...p.counts,
              closed_before: new Date(p.next.closed_before).toISOString(),
              job_ms: jobMs,
              cycle_ms: Date.now() - started,
            }),
          );
        }
        for (const st of states.values())
          for (const pp of Object.values(st.partitions)) counters.held_records += pp.read_to - pp.next_offset;
        counters.batches += 1;
        failures = 0;
        // A cycle that only held records waits like an idle one: while a window fills, re-reading its held
        // records back to back would only load the broker (its close needs the clock to move, not a new read).
        if (landing.length === 0) await pause(o.pollMs);
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
        // The state files still hold the cycle's plan (pending): the retry replays it exactly.
        for (const t of [...states.keys()]) states.set(t, readState(stateFiles[t], t) ?? states.get(t)!);
        if (failures >= 8 || err instanceof StateMismatchError) return `FAILED: ${(err as Error).message}`;
        await pause(backoff);
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
      // The last offsets reach the consumer group before the process ends (bounded: lag is informative only).
      await Promise.race([committing, new Promise((r) => setTimeout(r, 30_000).unref())]);
      await sharedAdmin?.then((a) => a.disconnect()).catch(() => undefined);
      stopMetrics();
      await stopServices();
    })());
  // A loop that ends by itself (FAILED) still releases the job server.
  void done.then(() => (stopping ? undefined : stop()));
  return { done, stop, services, stateFiles };
}
