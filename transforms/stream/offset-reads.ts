/**
 * What a bounded job reads from Kafka, as small elements: per partition, runs of consecutive offsets. The
 * driver plans a cycle (or a backfill range); the job's first DoFn reads each element's runs from the broker.
 * Carrying offsets instead of the records keeps the pipeline's payload tiny: a job whose `beam.create` held a
 * few thousand records re-ran its stages and its worker grew to many GB (docs/decisions/0002-beam-sdk-patches.md). Pure: no I/O.
 */

/** Half-open run of offsets: [start, end). */
export type OffsetRun = [number, number];

export interface PartitionRuns {
  partition: number;
  runs: OffsetRun[];
}

/** One element of the read stage: some partitions' runs, at most `maxRecords` offsets in all. */
export interface OffsetRead {
  parts: PartitionRuns[];
}

/** Runs of consecutive offsets, sorted; duplicates collapse. */
export function toRuns(offsets: Iterable<number>): OffsetRun[] {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const runs: OffsetRun[] = [];
  for (const o of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[1] === o) last[1] = o + 1;
    else runs.push([o, o + 1]);
  }
  return runs;
}

export function runsSize(runs: OffsetRun[]): number {
  return runs.reduce((n, [s, e]) => n + (e - s), 0);
}

/** Whether `offset` is in one of the sorted `runs` (binary search). */
export function inRuns(offset: number, runs: OffsetRun[]): boolean {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = runs[mid];
    if (offset < s) hi = mid - 1;
    else if (offset >= e) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Packs per-partition runs into read elements of at most `maxRecords` offsets each (a run longer than that is
 * split), in partition and offset order, so one element's output stays bounded whatever the cycle's size.
 */
export function packReads(parts: PartitionRuns[], maxRecords: number): OffsetRead[] {
  if (!(maxRecords >= 1)) throw new Error(`maxRecords must be at least 1, got ${maxRecords}`);
  const reads: OffsetRead[] = [];
  let current: PartitionRuns[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) reads.push({ parts: current });
    current = [];
    size = 0;
  };
  for (const p of [...parts].sort((a, b) => a.partition - b.partition)) {
    for (const [s0, e] of p.runs) {
      let s = s0;
      while (s < e) {
        if (size === maxRecords) flush();
        const take = Math.min(e - s, maxRecords - size);
        const last = current[current.length - 1];
        if (last && last.partition === p.partition) last.runs.push([s, s + take]);
        else current.push({ partition: p.partition, runs: [[s, s + take]] });
        size += take;
        s += take;
      }
    }
  }
  flush();
  return reads;
}

/** The read elements for a set of records (a micro-batch's `land` list), by partition. */
export function readsForOffsets(
  records: Iterable<{ partition: number; offset: number }>,
  maxRecords: number,
): OffsetRead[] {
  const byPartition = new Map<number, number[]>();
  for (const r of records) {
    const list = byPartition.get(r.partition) ?? [];
    list.push(r.offset);
    byPartition.set(r.partition, list);
  }
  return packReads(
    [...byPartition].map(([partition, offsets]) => ({ partition, runs: toRuns(offsets) })),
    maxRecords,
  );
}

/**
 * Keeps the records of a read that its runs ask for, once each, and names what is missing: a read that comes
 * back short must fail the job (and the cycle be retried) rather than land a window with a hole in it.
 */
export function selectRead<R extends { partition: number; offset: number }>(
  read: OffsetRead,
  records: R[],
  topic: string,
): R[] {
  const out: R[] = [];
  const seen = new Set<string>();
  const runsOf = new Map(read.parts.map((p) => [p.partition, p.runs] as const));
  for (const r of records) {
    const runs = runsOf.get(r.partition);
    const key = `${r.partition}:${r.offset}`;
    if (!runs || !inRuns(r.offset, runs) || seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  const expected = read.parts.reduce((n, p) => n + runsSize(p.runs), 0);
  if (out.length !== expected) {
    const missing: string[] = [];
    for (const p of read.parts)
      for (const [s, e] of p.runs)
        for (let o = s; o < e && missing.length < 5; o++)
          if (!seen.has(`${p.partition}:${o}`)) missing.push(`${p.partition}:${o}`);
    throw new Error(
      `read of ${topic} returned ${out.length} of ${expected} planned records; missing (partition:offset) ` +
        `${missing.join(", ")}${expected - out.length > missing.length ? ", …" : ""}`,
    );
  }
  return out;
}
