/**
 * The one pipeline definition of the stream job, shared by every runner:
 *   SourceRecord → decode/validate/normalize (dead letters to <topic>.dlq, flushed before the bundle ends)
 *   → event time → fixed windows → group by landing shard → latest row per key (all from the topic's
 *   catalog spec, schemas/catalog-model.ts)
 *   → one Parquet file per (window, shard), written durably before the bundle is acknowledged.
 * Two shapes of it: per record (recordsToLanding, for sources that yield single records) and batched
 * (batchesToLanding, for the bounded jobs that read offset ranges): a whole read is processed by one DoFn
 * call and crosses the shuffle as one element per (window, shard), already deduplicated, because the
 * per-element cost of the runner, not the work on a record, is what a cycle's time goes to. Both land the
 * same files with the same rows.
 * The DoFns only call functions of modules registered in ./serialization, so they serialize by name.
 */
import * as beam from "apache-beam";
import Long from "long";
import { runnerApi } from "./beam-sdk";
import "./serialization";
import { callIo, deadLettersSync } from "./io-sync";
import { staticSchemaSync, writerSchemaSync } from "./schema-cache";
import { counters, countDead } from "./metrics";
import { addStageTime } from "./stage-times";
import { shardOf } from "../transforms/stream/dedupe";
import { LandingRow, latestPerKey, processRecord } from "../transforms/stream/topic-records";
import {
  latestPerWindowShard,
  mergeWindowShardRows,
  WindowShardRows,
} from "../transforms/stream/window-shards";
import { landingDir, landingFileName, windowStartOf } from "../transforms/stream/landing";
import { OffsetRead, selectRead } from "../transforms/stream/offset-reads";
import type { DeadLetterRecord, SourceRecord } from "../transforms/stream/records";
import type { TopicSpec } from "../schemas/catalog-model";
import { topicSpec } from "../schemas/catalog";

/** The catalog spec of the job's topic (its contract's, when the topic name is not the contract's own). */
export function jobTopicSpec(opts: Pick<StreamJobOptions, "topic" | "contract" | "catalogDir">): TopicSpec {
  return topicSpec(opts.contract ?? opts.topic, opts.catalogDir);
}

export interface StreamJobOptions {
  topic: string;
  /**
   * The landing contract (schemas/LANDING.md) the topic carries when its name is not the contract's own,
   * e.g. an environment-prefixed topic. Default: the topic name.
   */
  contract?: string;
  /** Folder of the contracts and catalog entries (default: schemas/avro of this checkout). */
  catalogDir?: string;
  dataDir: string;
  registryUrl: string;
  brokers: string[];
  windowSeconds: number;
  shards: number;
  /** How long after the watermark passed a window its late data is still landed (in a separate file). */
  allowedLatenessSeconds: number;
  fxRatesToEgp: Record<string, number>;
  /** Writer schemas by id to use instead of the registry (tests, offline replays). */
  staticSchemas?: Record<number, string>;
  /** Where dead letters go: Kafka `<topic>.dlq` (default) or a JSON-lines file (tests without a broker). */
  deadLetterFile?: string;
  /**
   * Restart point (epoch ms, a window boundary): records whose window starts before it were landed by the
   * previous run and are skipped (and counted), so a replay never rewrites a window with only part of its data.
   */
  skipWindowsBefore?: number;
  /** JSON file recording the newest landed window end, read on restart (experimental/kafkaio/run-stream.ts). */
  progressFile?: string;
  /**
   * Micro-batches: windows starting before this were landed by an earlier cycle, so rows of them in this
   * batch are late data and get their own file (a bounded job has one pane per window and cannot tell).
   */
  lateWindowsBefore?: number;
  /**
   * Bench only (not on the CLI): false lands records without the normalizer, to compare like-for-like with a
   * peer that has none: a listing's normalized columns (product, condition, price) and other topics' product
   * columns land null; the normalized-price rules are not checked. Default true.
   */
  normalize?: boolean;
}

interface ProcessFnState {
  deadLetters: DeadLetterRecord[];
}

/**
 * decode → validate → normalize of one record with the job's counters: its row, or nothing (a replayed window
 * is skipped, a dead letter is appended to `deadLetters`). Shared by the per-record and the batched DoFn.
 */
function recordProcessor(
  opts: StreamJobOptions,
): (src: SourceRecord, deadLetters: DeadLetterRecord[]) => LandingRow | undefined {
  const spec = jobTopicSpec(opts);
  const eventTime = spec.eventTime;
  const registryUrl = opts.registryUrl;
  const staticSchemas = opts.staticSchemas;
  const skipBefore = opts.skipWindowsBefore ?? 0;
  const windowMs = opts.windowSeconds * 1000;
  const deps = {
    schemaFor: (id: number) =>
      staticSchemas ? staticSchemaSync(staticSchemas, id) : writerSchemaSync(registryUrl, id),
    fxRatesToEgp: opts.fxRatesToEgp,
    now: () => Date.now(),
    normalize: opts.normalize !== false,
  };
  return (src: SourceRecord, deadLetters: DeadLetterRecord[]): LandingRow | undefined => {
    counters.records_in += 1;
    const out = processRecord(spec, src, deps);
    if ("row" in out) {
      const t = Number(out.row[eventTime]);
      if (skipBefore > 0 && windowStartOf(t, windowMs) < skipBefore) {
        counters.replay_skipped += 1;
        return undefined;
      }
      counters.rows_out += 1;
      return out.row;
    }
    countDead(out.dead.stage);
    deadLetters.push(out.dead);
    return undefined;
  };
}

/** Produces a bundle's dead letters and blocks until they are durable: only then may the bundle commit. */
function deadLetterFlusher(opts: StreamJobOptions): (state: ProcessFnState) => void {
  const dlqTarget = { file: opts.deadLetterFile, brokers: opts.brokers, registryUrl: opts.registryUrl };
  return (state: ProcessFnState): void => {
    if (state.deadLetters.length === 0) return;
    // Kafka: blocks until the broker acknowledged every dead letter (acks=all).
    deadLettersSync(state.deadLetters, dlqTarget);
    counters.dlq_produced += state.deadLetters.length;
    state.deadLetters = [];
  };
}

/** decode → validate → normalize; rows go on, dead letters are produced to the DLQ at the end of the bundle. */
function processDoFn(opts: StreamJobOptions): beam.DoFn<SourceRecord, LandingRow> & ProcessFnState {
  const processOne = recordProcessor(opts);
  const flushDeadLetters = deadLetterFlusher(opts);
  return {
    beamName: "DecodeValidateNormalize",
    deadLetters: [],
    startBundle: function (this: ProcessFnState) {
      this.deadLetters = [];
    },
    process: function (this: ProcessFnState, src: SourceRecord) {
      const t0 = performance.now();
      try {
        const row = processOne(src, this.deadLetters);
        return row ? [row] : [];
      } finally {
        addStageTime("dofn.decode_validate_normalize", t0);
      }
    },
    finishBundle: function (this: ProcessFnState) {
      flushDeadLetters(this);
    },
  };
}

/**
 * The batched path's first step: every record of a batch (one offset read) through decode → validate →
 * normalize, then its rows split by (window, shard) with the latest row per key kept, one output element per
 * (window, shard). Dead letters are produced at the end of the bundle, as in processDoFn.
 */
function processBatchDoFn(
  opts: StreamJobOptions,
): beam.DoFn<SourceRecord[], WindowShardRows> & ProcessFnState {
  const processOne = recordProcessor(opts);
  const flushDeadLetters = deadLetterFlusher(opts);
  const spec = jobTopicSpec(opts);
  const windowMs = opts.windowSeconds * 1000;
  const shards = opts.shards;
  return {
    beamName: "DecodeValidateNormalizeBatch",
    deadLetters: [],
    startBundle: function (this: ProcessFnState) {
      this.deadLetters = [];
    },
    process: function (this: ProcessFnState, batch: SourceRecord[]) {
      const t0 = performance.now();
      const rows: LandingRow[] = [];
      try {
        for (const src of batch) {
          const row = processOne(src, this.deadLetters);
          if (row) rows.push(row);
        }
      } finally {
        addStageTime("dofn.decode_validate_normalize", t0);
      }
      const t1 = performance.now();
      try {
        return latestPerWindowShard(rows, spec, windowMs, shards);
      } finally {
        addStageTime("dofn.pre_dedupe", t1);
      }
    },
    finishBundle: function (this: ProcessFnState) {
      flushDeadLetters(this);
    },
  };
}

/**
 * Writes one (window, shard) group as a landing Parquet file; blocks until it is renamed into place. The
 * group holds rows (per-record path) or the pre-deduplicated rows of each read (batched path, `batched`).
 */
function landDoFn(opts: StreamJobOptions, batched: boolean) {
  const dataDir = opts.dataDir;
  const topic = opts.topic;
  const progressFile = opts.progressFile;
  const lateBefore = opts.lateWindowsBefore ?? 0;
  const spec = jobTopicSpec(opts);
  const landGroup = (
    group: { key: number; value: Iterable<LandingRow> | Iterable<WindowShardRows> },
    w: beam.IntervalWindow,
    pane: beam.PaneInfo,
  ): Array<{ path: string; rows: number }> => {
    const windowStart = Number(w.start.toString());
    const rows = batched
      ? mergeWindowShardRows(group.value as Iterable<WindowShardRows>, spec)
      : latestPerKey(group.value as Iterable<LandingRow>, spec);
    if (rows.length === 0) return [];
    // The first pane of a window owns the plain file name; any later (late-data) pane gets its own file.
    // (The DirectRunner reports its single pane as LATE, so the timing alone cannot decide.)
    const late = !pane.isFirst || windowStart < lateBefore;
    const fileName = landingFileName(
      windowStart,
      group.key,
      late ? rows.map((r) => String(r[spec.recordId])) : undefined,
    );
    const ingestedAt = Date.now();
    const jsonLines = rows.map((r) => JSON.stringify({ ...r, ingested_at: ingestedAt })).join("\n") + "\n";
    const { path } = callIo({
      op: "writeParquet",
      dir: landingDir(dataDir, topic, windowStart),
      fileName: fileName,
      jsonLines: jsonLines,
      progressFile: progressFile,
      topic: topic,
      spec: spec,
      windowEnd: Number(w.end.toString()),
    });
    counters.landed_rows += rows.length;
    counters.landed_files += 1;
    for (const r of rows) {
      const t = Number(r[spec.eventTime]);
      if (t > counters.max_event_time_landed) counters.max_event_time_landed = t;
    }
    return [{ path: path as string, rows: rows.length }];
  };
  return {
    beamName: "LandParquet",
    process: function (
      group: { key: number; value: Iterable<LandingRow> | Iterable<WindowShardRows> },
      ctx: {
        window: beam.ParDoLookupParam<beam.IntervalWindow | beam.GlobalWindow>;
        pane: beam.ParDoLookupParam<beam.PaneInfo>;
      },
    ) {
      const t0 = performance.now();
      try {
        return landGroup(group, ctx.window.lookup() as beam.IntervalWindow, ctx.pane.lookup());
      } finally {
        addStageTime("dofn.land", t0);
      }
    },
  };
}

/**
 * The job's source for bounded runs (micro-batch cycles, backfills): the planned offsets as small elements,
 * read from the broker by a DoFn, so the pipeline carries offsets and never the records themselves; each
 * read becomes one batch of records (fused with the next step, so the batch never crosses the data plane).
 * A read that comes back short fails the bundle (and the job), it never lands a window with a hole.
 */
export function readOffsetBatchesFromKafka(
  root: beam.Root,
  reads: OffsetRead[],
  topic: string,
  brokers: string[],
): beam.PCollection<SourceRecord[]> {
  return root
    .apply(beam.create(reads))
    .map(
      beam.withName("ReadOffsets", (read: OffsetRead) =>
        selectRead(
          read,
          callIo({ op: "readOffsets", brokers: brokers, topic: topic, read: read }).records ?? [],
          topic,
        ),
      ),
    );
}

/** Fixed event-time windows; a late pane is landed (in its own file) until allowedLateness has passed. */
function landingWindows<T>(
  opts: StreamJobOptions,
): beam.PTransform<beam.PCollection<T>, beam.PCollection<T>> {
  const windowing = {
    trigger: { trigger: { oneofKind: "default" as const, default: {} } },
    accumulationMode: runnerApi.AccumulationMode_Enum.DISCARDING,
    outputTime: runnerApi.OutputTime_Enum.END_OF_WINDOW,
    closingBehavior: runnerApi.ClosingBehavior_Enum.EMIT_IF_NONEMPTY,
    onTimeBehavior: runnerApi.OnTimeBehavior_Enum.FIRE_IF_NONEMPTY,
    allowedLateness: BigInt(opts.allowedLatenessSeconds * 1000),
    environmentId: "",
    windowCoderId: "",
    mergeStatus: runnerApi.MergeStatus_Enum.NON_MERGING,
    assignsToOneWindow: true,
  } as unknown as Parameters<typeof beam.windowInto>[1];
  return beam.windowInto<T, beam.IntervalWindow>(beam.fixedWindows(opts.windowSeconds), windowing);
}

/** Applies the stream job to a PCollection of one topic's source records; returns the landed files. */
export function recordsToLanding(
  input: beam.PCollection<SourceRecord>,
  opts: StreamJobOptions,
): beam.PCollection<{ path: string; rows: number }> {
  const shards = opts.shards;
  const spec = jobTopicSpec(opts);
  const eventTime = spec.eventTime;
  const shardKey = spec.key;
  return input
    .apply(beam.parDo(processDoFn(opts)))
    .apply(beam.assignTimestamps((r: LandingRow) => Long.fromNumber(Number(r[eventTime]))))
    .apply(landingWindows<LandingRow>(opts))
    .apply(beam.groupBy((r: LandingRow) => shardOf(String(r[shardKey]), shards)))
    .apply(
      beam.parDo(landDoFn(opts, false), { window: beam.windowParam(), pane: beam.paneInfoParam() }),
    ) as beam.PCollection<{ path: string; rows: number }>;
}

/**
 * The stream job over batches of one topic's source records (one batch per offset read): lands exactly the
 * files and rows recordsToLanding lands for the same records, with one shuffle element per (window, shard)
 * and batch instead of one per record. Returns the landed files.
 */
export function batchesToLanding(
  input: beam.PCollection<SourceRecord[]>,
  opts: StreamJobOptions,
): beam.PCollection<{ path: string; rows: number }> {
  return input
    .apply(beam.parDo(processBatchDoFn(opts)))
    .apply(beam.assignTimestamps((g: WindowShardRows) => Long.fromNumber(g.windowStart)))
    .apply(landingWindows<WindowShardRows>(opts))
    .apply(beam.groupBy((g: WindowShardRows) => g.shard))
    .apply(
      beam.parDo(landDoFn(opts, true), { window: beam.windowParam(), pane: beam.paneInfoParam() }),
    ) as beam.PCollection<{ path: string; rows: number }>;
}
