/** The tie rule of latestPerKey: the latest row per key must not depend on how rows are grouped or ordered. */
import assert from "node:assert/strict";
import { dedupeRow as row } from "./fixtures";
import { topicSpec } from "../../../schemas/catalog";
import { LandingRow, latestPerKey } from "../../../transforms/stream/topic-records";

const listings = topicSpec("listings.scraped");
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

describe("latestPerKey tie rule", () => {
  it("keeps the earliest Kafka position of a re-sent record on a partition ≥ 10, in either order", () => {
    // partition * 1e15 + offset cannot tell offsets 0 and 1 apart there (beyond 2^53).
    const a = row("u", T0, "e", 10, 0);
    const b = row("u", T0, "e", 10, 1);
    assert.equal(latestPerKey([a, b], listings)[0].kafka_offset, 0);
    assert.equal(latestPerKey([b, a], listings)[0].kafka_offset, 0);
  });

  it("picks the same row for rows equal in time, id and position but not in content, in either order", () => {
    const a = row("u", T0, "e", 1, 7, { title: "a" });
    const b = row("u", T0, "e", 1, 7, { title: "b" });
    assert.deepEqual(latestPerKey([a, b], listings), latestPerKey([b, a], listings));
  });

  it("ranks a row without an event time below any row with one, in either order", () => {
    const a = row("u", T0, "e");
    const b: LandingRow = { url: "u", event_id: "f", kafka_partition: 0, kafka_offset: 1 };
    assert.equal(latestPerKey([a, b], listings)[0].event_id, "e");
    assert.equal(latestPerKey([b, a], listings)[0].event_id, "e");
  });
});
