/**
 * The stream job's DoFns: decode/validate/normalize (per record or per read, dead letters flushed to
 * <topic>.dlq before the bundle ends) and the landing of one (window, shard) group as a Parquet file.
 * They only call functions of modules registered in ./serialization, so they serialize by name.
 */
import * as beam from "apache-beam";
import "./serialization";
import { callIo, deadLettersSync } from "./io-sync";
import { staticSchemaSync, writerSchemaSync } from "./schema-cache";
import { counters, countDead } from "./metrics";
import { addStageTime } from "./stage-times";
import { jobTopicSpec, StreamJobOptions } from "./stream-job-options";
import { LandingRow, latestPerKey, processRecord } from "../transforms/stream/topic-records";
import {
  latestPerWindowShard,
  mergeWindowShardRows,
  WindowShardRows,
} from "../transforms/stream/window-shards";
import { landingDir, landingFileName, windowStartOf } from "../transforms/stream/landing";
import type { DeadLetterRecord, SourceRecord } from "../transforms/stream/records";

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
export function processDoFn(opts: StreamJobOptions): beam.DoFn<SourceRecord, LandingRow> & ProcessFnState {
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
export function processBatchDoFn(
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
export function landDoFn(opts: StreamJobOptions, batched: boolean) {
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
