/**
 * Dedupe within an event-time window: one row per listing URL, the latest scraped_at wins; identical
 * observations (same event_id) collapse. Ties on scraped_at are broken by event_id so the choice never
 * depends on arrival order (a replay must pick the same row). Pure.
 */
import { ListingRow } from "./records";

/** Which landing shard (file) a URL belongs to: stable across runs and runners (FNV-1a, 32 bit). */
export function shardOf(url: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) {
    h ^= url.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

function wins(a: ListingRow, b: ListingRow): boolean {
  if (a.scraped_at !== b.scraped_at) return a.scraped_at > b.scraped_at;
  if (a.event_id !== b.event_id) return a.event_id > b.event_id;
  // Same observation read twice (a replay): keep the earliest Kafka position for stable lineage.
  return (
    (a.kafka_partition ?? -1) * 1e15 + (a.kafka_offset ?? -1) <
    (b.kafka_partition ?? -1) * 1e15 + (b.kafka_offset ?? -1)
  );
}

/** The surviving rows of one window, sorted by URL (deterministic file content). */
export function latestPerUrl(rows: Iterable<ListingRow>): ListingRow[] {
  const best = new Map<string, ListingRow>();
  for (const r of rows) {
    const cur = best.get(r.url);
    if (!cur || wins(r, cur)) best.set(r.url, r);
  }
  return [...best.values()].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}
