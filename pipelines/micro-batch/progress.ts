/**
 * Next-offset bookkeeping of the stream loop around the planner (transforms/stream/micro-batch.ts): where a
 * run starts, what a cycle reads, whether it has work, what is committed to the consumer group. Pure: no I/O.
 */
import type { OffsetRange } from "../kafka-range";
import type { MicroBatchState } from "../../transforms/stream/micro-batch";
import { windowStartOf } from "../../transforms/stream/landing";

/** A partition's offsets as the Kafka admin reports them. */
export interface PartitionEnds {
  partition: number;
  low: number;
  high: number;
}

/** The state written before a cycle's job starts: a restart replays exactly this cycle (same ranges, clock). */
export function withPending(
  state: MicroBatchState,
  readTo: Record<string, number>,
  closeBefore: number,
): MicroBatchState {
  return { ...state, pending: { read_to: readTo, close_before: closeBefore } };
}

/** Where a run without a state file starts in each partition: the group's committed offset, else the earliest. */
export function startOffsets(
  ends: Array<{ partition: number; low: number }>,
  committed: Array<{ partition: number; offset: number }>,
): Record<string, number> {
  const byPartition = new Map(committed.map((p) => [p.partition, p.offset] as const));
  const out: Record<string, number> = {};
  for (const p of ends) {
    const c = byPartition.get(p.partition);
    out[String(p.partition)] = c !== undefined && c >= 0 ? c : p.low;
  }
  return out;
}

/** The first partition the state says was read past the topic's end (a recreated topic, another cluster). */
export function overrun(
  state: MicroBatchState,
  ends: Array<{ partition: number; high: number }>,
): { partition: number; seen: number; high: number } | undefined {
  for (const p of ends) {
    const key = String(p.partition);
    const seen = Math.max(state.partitions[key]?.read_to ?? 0, state.pending?.read_to[key] ?? 0);
    if (seen > p.high) return { partition: p.partition, seen, high: p.high };
  }
  return undefined;
}

/**
 * Whether a cycle has work for a topic: records past what earlier cycles read, or held records whose window
 * the cycle's boundary `close` may now close.
 */
export function hasWork(state: MicroBatchState, readTo: Record<string, number>, close: number): boolean {
  const hasNew = Object.entries(readTo).some(([p, end]) => end > (state.partitions[p]?.read_to ?? 0));
  const hasHeld = Object.values(state.partitions).some((pp) => pp.next_offset < pp.read_to);
  return hasNew || (hasHeld && close > state.closed_before);
}

/** Some partition is read only up to the per-cycle cap, short of its end. */
export function isCapped(
  ends: Array<{ partition: number; high: number }>,
  readTo: Record<string, number>,
): boolean {
  return ends.some((p) => readTo[String(p.partition)] < p.high);
}

/** The offsets a cycle reads: per partition from `next_offset` (held records again) to `readTo`. */
export function cycleReadRanges(state: MicroBatchState, readTo: Record<string, number>): OffsetRange[] {
  return Object.entries(readTo)
    .map(([p, end]) => ({ partition: Number(p), start: state.partitions[p]?.next_offset ?? 0, end }))
    .filter((r) => r.end > r.start);
}

/**
 * The boundary of a capped cycle (catching up): a partition read only partly must not have the windows of its
 * later records closed, so nothing at or after the window of the slowest partition's last record closes.
 */
export function catchUpClose(
  records: Array<{ partition: number; eventTime: number | null }>,
  close: number,
  windowMs: number,
): number {
  const lastByPartition = new Map<number, number>();
  for (const r of records) if (r.eventTime !== null) lastByPartition.set(r.partition, r.eventTime);
  const minLast = Math.min(...lastByPartition.values());
  return Number.isFinite(minLast) ? Math.min(close, windowStartOf(minLast, windowMs)) : close;
}

/** The consumer group offsets of a state: each partition's `next_offset`. */
export function groupOffsets(state: MicroBatchState): Array<{ partition: number; offset: string }> {
  return Object.entries(state.partitions).map(([p, pp]) => ({
    partition: Number(p),
    offset: String(pp.next_offset),
  }));
}

/** Records held for a window that is still open, over every topic's state. */
export function heldRecords(states: Iterable<MicroBatchState>): number {
  let held = 0;
  for (const st of states) for (const pp of Object.values(st.partitions)) held += pp.read_to - pp.next_offset;
  return held;
}
