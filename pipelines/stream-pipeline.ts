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
 * The DoFns live in ./stream-dofns, the options in ./stream-job-options.
 */
import * as beam from "apache-beam";
import Long from "long";
import { runnerApi } from "./beam-sdk";
import "./serialization";
import { callIo } from "./io-sync";
import { shardOf } from "../transforms/stream/dedupe";
import { LandingRow } from "../transforms/stream/topic-records";
import { WindowShardRows } from "../transforms/stream/window-shards";
import { OffsetRead, selectRead } from "../transforms/stream/offset-reads";
import type { SourceRecord } from "../transforms/stream/records";
import { jobTopicSpec, StreamJobOptions } from "./stream-job-options";
import { landDoFn, processBatchDoFn, processDoFn } from "./stream-dofns";

export { jobTopicSpec } from "./stream-job-options";
export type { StreamJobOptions } from "./stream-job-options";

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
