/**
 * Planning of the stream job's offset-range micro-batches (pipelines/run-micro-batch.ts). Pure: no I/O.
 *
 * Each cycle reads every partition from `next_offset` to the current end offset, and decides per record:
 *  - land now: its event-time window is closed (the window ended `grace` before the cycle's clock), or the
 *    record has no readable event time (it goes to the dead-letter topic in this cycle);
 *  - hold: its window is still open; it is re-read by the next cycle (so `next_offset` stays at or before
 *    it and a crash never loses it);
 *  - skip: it was read by an earlier cycle and its window was landed then (a held record's neighbour);
 *  - late: read for the first time, but its window was landed by an earlier cycle. It lands in a separate
 *    file named from its content (transforms/stream/landing.ts), as a late pane would in a streaming run.
 * A window is landed whole in one cycle, so its file is written once with all its on-time records.
 */
import { windowStartOf } from "./landing";

export interface PartitionProgress {
  /** First offset the next cycle reads (every record before it is landed, skipped or dead-lettered). */
  next_offset: number;
  /** End offset (exclusive) of what earlier cycles read: records below it were seen before. */
  read_to: number;
}

export interface MicroBatchState {
  version: 1;
  topic: string;
  /** Windows starting before this (epoch ms) are landed; a first-time record in one of them is late. */
  closed_before: number;
  partitions: Record<string, PartitionProgress>;
  /**
   * The cycle being run, written before its job starts: after a crash the same ranges and clock are
   * replayed, so the replay lands exactly what the interrupted cycle would have.
   */
  pending?: { read_to: Record<string, number>; close_before: number };
}

/** One record as the planner sees it: its position, and its event time if it can be decoded. */
export interface PlannedRecord {
  partition: number;
  offset: number;
  /** Event time (ms) from the payload; null when the record cannot be decoded or has no valid time. */
  eventTime: number | null;
}

export interface MicroBatchPlan<R extends PlannedRecord> {
  /** Records the cycle's job processes (on-time and late landings, and would-be dead letters). */
  land: R[];
  /** Windows starting before this are late in this cycle's job (the previous `closed_before`). */
  lateBefore: number;
  counts: { read: number; land: number; late: number; held: number; skipped: number };
  /** State to persist once the cycle's job has finished. */
  next: MicroBatchState;
}

/** The first window boundary that is still open at `nowMs`: windows starting before it are closed. */
export function closeBoundary(nowMs: number, graceMs: number, windowMs: number): number {
  return windowStartOf(nowMs - graceMs, windowMs);
}

export function initialState(topic: string, startOffsets: Record<string, number>): MicroBatchState {
  const partitions: Record<string, PartitionProgress> = {};
  for (const [p, o] of Object.entries(startOffsets)) partitions[p] = { next_offset: o, read_to: o };
  return { version: 1, topic, closed_before: 0, partitions };
}

/**
 * Plans one cycle over the records read from each partition's `next_offset` up to `readTo` (exclusive).
 * `closeBefore` is the cycle's boundary (see closeBoundary); it never moves backwards.
 */
export function planMicroBatch<R extends PlannedRecord>(
  state: MicroBatchState,
  records: R[],
  readTo: Record<string, number>,
  closeBefore: number,
  windowMs: number,
): MicroBatchPlan<R> {
  const close = Math.max(closeBefore, state.closed_before);
  const land: R[] = [];
  const counts = { read: records.length, land: 0, late: 0, held: 0, skipped: 0 };
  const heldMin = new Map<string, number>();
  for (const r of records) {
    const p = String(r.partition);
    const seenBefore = r.offset < (state.partitions[p]?.read_to ?? 0);
    if (r.eventTime === null) {
      // Undecodable: dead-lettered the first time it is read, never again.
      if (seenBefore) counts.skipped += 1;
      else land.push(r);
      continue;
    }
    const ws = windowStartOf(r.eventTime, windowMs);
    if (ws < state.closed_before) {
      if (seenBefore) counts.skipped += 1;
      else {
        counts.late += 1;
        land.push(r);
      }
    } else if (ws < close) {
      land.push(r);
    } else {
      counts.held += 1;
      const m = heldMin.get(p);
      if (m === undefined || r.offset < m) heldMin.set(p, r.offset);
    }
  }
  counts.land = land.length;
  const partitions: Record<string, PartitionProgress> = {};
  for (const p of new Set([...Object.keys(state.partitions), ...Object.keys(readTo)])) {
    const prev = state.partitions[p] ?? { next_offset: 0, read_to: 0 };
    const end = Math.max(readTo[p] ?? prev.read_to, prev.read_to);
    partitions[p] = { next_offset: heldMin.get(p) ?? end, read_to: end };
  }
  return {
    land,
    lateBefore: state.closed_before,
    counts,
    next: { version: 1, topic: state.topic, closed_before: close, partitions },
  };
}

/**
 * Where a cycle reads to in each partition, given its low/high offsets: every held record again (from
 * `next_offset`) plus at most `cap` records past what earlier cycles read. The cap counts new records only, so
 * a window holding more records than the cap still grows cycle by cycle until it closes. Offsets Kafka already
 * deleted (below `low`) are skipped and reported as gaps.
 */
export function cycleRanges(
  state: MicroBatchState,
  ends: Array<{ partition: number; low: number; high: number }>,
  cap: number,
): {
  readTo: Record<string, number>;
  partitions: Record<string, PartitionProgress>;
  gaps: Array<{ partition: number; lost_before: number }>;
} {
  const readTo: Record<string, number> = {};
  const partitions = { ...state.partitions };
  const gaps: Array<{ partition: number; lost_before: number }> = [];
  for (const { partition, low, high } of ends) {
    const key = String(partition);
    const prev = partitions[key] ?? { next_offset: low, read_to: low };
    if (prev.next_offset < low) gaps.push({ partition, lost_before: low });
    const next = Math.max(prev.next_offset, low);
    partitions[key] = { next_offset: next, read_to: Math.max(prev.read_to, next) };
    readTo[key] = Math.min(high, partitions[key].read_to + cap);
  }
  return { readTo, partitions, gaps };
}

/** Parses a persisted state, naming what is wrong (a hand-edited or truncated file must not be guessed at). */
export function parseMicroBatchState(json: string, topic: string, where: string): MicroBatchState {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  const s = v as Partial<MicroBatchState>;
  if (!s || typeof s !== "object" || s.version !== 1) throw new Error(`${where}: unknown state version`);
  if (s.topic !== topic) throw new Error(`${where}: state of topic ${String(s.topic)}, not ${topic}`);
  if (typeof s.closed_before !== "number") throw new Error(`${where}: closed_before is missing`);
  if (!s.partitions || typeof s.partitions !== "object") throw new Error(`${where}: partitions are missing`);
  for (const [p, pp] of Object.entries(s.partitions)) {
    if (typeof pp?.next_offset !== "number" || typeof pp?.read_to !== "number" || pp.next_offset > pp.read_to)
      throw new Error(`${where}: partition ${p} has no valid next_offset/read_to`);
  }
  return s as MicroBatchState;
}
