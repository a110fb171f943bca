/**
 * The batched stream path's grouping: a read's rows split by landing (window, shard) and deduplicated per key
 * before the shuffle, then the groups of a (window, shard) merged by the land step. Both steps use the land
 * step's own rule (latestPerKey, a total order), so pre-dedupe then merge lands exactly the rows a dedupe of
 * every record at once would. Pure: no I/O.
 */
import { shardOf } from "./dedupe";
import { windowStartOf } from "./landing";
import { LandingRow, latestPerKey } from "./topic-records";
import type { TopicSpec } from "../../schemas/catalog-model";

/** One element of the batched path's shuffle: a read's rows of one (window, shard), at most one per key. */
export interface WindowShardRows {
  /** Epoch ms of the window start; also the element's timestamp, so windowInto puts it in this window. */
  windowStart: number;
  shard: number;
  rows: LandingRow[];
}

/**
 * Splits rows by (window of their event time, shard of their key) and keeps the latest row per key in each;
 * sorted by window, then shard.
 */
export function latestPerWindowShard(
  rows: Iterable<LandingRow>,
  spec: TopicSpec,
  windowMs: number,
  shards: number,
): WindowShardRows[] {
  const groups = new Map<string, { windowStart: number; shard: number; rows: LandingRow[] }>();
  for (const r of rows) {
    const windowStart = windowStartOf(Number(r[spec.eventTime]), windowMs);
    const shard = shardOf(String(r[spec.key]), shards);
    const id = `${windowStart}/${shard}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { windowStart, shard, rows: [] }));
    g.rows.push(r);
  }
  return [...groups.values()]
    .sort((a, b) => a.windowStart - b.windowStart || a.shard - b.shard)
    .map((g) => ({ windowStart: g.windowStart, shard: g.shard, rows: latestPerKey(g.rows, spec) }));
}

/** The rows one (window, shard) lands from the groups of every read: the latest per key over all of them. */
export function mergeWindowShardRows(
  groups: Iterable<{ rows: LandingRow[] }>,
  spec: TopicSpec,
): LandingRow[] {
  const all: LandingRow[] = [];
  for (const g of groups) for (const r of g.rows) all.push(r);
  return latestPerKey(all, spec);
}
