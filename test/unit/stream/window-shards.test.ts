/**
 * The batched path's pre-dedupe per (window, shard) and its merge: however a window's rows are split into
 * reads and ordered, merging the reads' groups lands what one dedupe of all of them lands.
 */
import assert from "node:assert/strict";
import { dedupeRow as row } from "./fixtures";
import { topicSpec } from "../../../schemas/catalog";
import { shardOf } from "../../../transforms/stream/dedupe";
import type { LandingRow } from "../../../transforms/stream/topic-records";
import { latestPerWindowShard, mergeWindowShardRows } from "../../../transforms/stream/window-shards";
import { seededRandom } from "../../../infra/seeded-random";

const listings = topicSpec("listings.scraped");
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const W = 5000;

const rng = seededRandom;

function shuffled<T>(xs: T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("pre-dedupe per (window, shard)", () => {
  const shards = 2;
  // Two URLs of each shard, so every (window, shard) below has rows.
  const urls = Array.from({ length: 40 }, (_, i) => `https://noon.com/p/${i}`);
  const byShard = [0, 1].map((s) => urls.filter((u) => shardOf(u, shards) === s).slice(0, 2));

  it("emits one group per (window, shard), sorted, each with the latest row per key", () => {
    const [s0a, s0b] = byShard[0];
    const [s1a] = byShard[1];
    const rows = [
      row(s0a, T0 + 1000, "1"),
      row(s0a, T0 + 3000, "2"),
      row(s0b, T0 + 2000, "3"),
      row(s1a, T0 + 4999, "4"),
      row(s1a, T0 + 5000, "5"),
      row(s0a, T0 + 6000, "6"),
    ];
    const groups = latestPerWindowShard(shuffled(rows, rng(1)), listings, W, shards);
    assert.deepEqual(
      groups.map((g) => [g.windowStart - T0, g.shard, g.rows.map((r) => r.event_id)]),
      [
        [0, 0, [s0a < s0b ? "2" : "3", s0a < s0b ? "3" : "2"]],
        [0, 1, ["4"]],
        [W, 0, ["6"]],
        [W, 1, ["5"]],
      ],
    );
    assert.deepEqual(latestPerWindowShard([], listings, W, shards), []);
  });

  it("merging pre-deduplicated reads lands what one dedupe of every row lands, however the rows are split", () => {
    const rand = rng(42);
    // Few keys, few times, few ids and positions: many exact ties of each kind.
    const rows: LandingRow[] = [];
    for (let i = 0; i < 400; i++) {
      const partition = [0, 3, 10, 11][Math.floor(rand() * 4)];
      rows.push(
        row(
          urls[Math.floor(rand() * 6)],
          T0 + Math.floor(rand() * 3) * 2500,
          `e${Math.floor(rand() * 3)}`,
          partition,
          Math.floor(rand() * 4),
          { title: `t${Math.floor(rand() * 2)}` },
        ),
      );
    }
    const reference = new Map<string, LandingRow[]>();
    for (const g of latestPerWindowShard(rows, listings, W, shards))
      reference.set(`${g.windowStart}/${g.shard}`, g.rows);
    for (let trial = 0; trial < 20; trial++) {
      // Split into 1–6 reads of random sizes, in random order.
      const reads: LandingRow[][] = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => []);
      for (const r of shuffled(rows, rand)) reads[Math.floor(rand() * reads.length)].push(r);
      const merged = new Map<string, Array<{ rows: LandingRow[] }>>();
      for (const read of reads)
        for (const g of latestPerWindowShard(read, listings, W, shards)) {
          const k = `${g.windowStart}/${g.shard}`;
          merged.set(k, [...(merged.get(k) ?? []), g]);
        }
      assert.deepEqual([...merged.keys()].sort(), [...reference.keys()].sort());
      for (const [k, groups] of merged)
        assert.deepEqual(mergeWindowShardRows(shuffled(groups, rand), listings), reference.get(k), k);
    }
  });
});
