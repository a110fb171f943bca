/** Planning of the stream job's offset-range micro-batches (transforms/stream/micro-batch.ts). */
import assert from "node:assert/strict";
import {
  cycleRanges,
  closeBoundary,
  initialState,
  MicroBatchState,
  parseMicroBatchState,
  planMicroBatch,
  PlannedRecord,
} from "../../../transforms/stream/micro-batch";

const W = 5000;
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0); // a window boundary
const rec = (partition: number, offset: number, eventTime: number | null): PlannedRecord => ({
  partition,
  offset,
  eventTime,
});
const offsets = (rs: PlannedRecord[]) => rs.map((r) => `${r.partition}:${r.offset}`);

describe("micro-batch planning", () => {
  it("closes the windows that ended a grace period before the clock", () => {
    assert.equal(closeBoundary(T0 + 2 * W + 2999, 3000, W), T0 + W);
    assert.equal(closeBoundary(T0 + 2 * W + 3000, 3000, W), T0 + 2 * W);
  });

  it("lands closed windows whole and holds open ones, keeping next_offset at the first held record", () => {
    const s = initialState("t", { "0": 10, "1": 0 });
    const records = [
      rec(0, 10, T0 + 100),
      rec(0, 11, T0 + W + 100), // open window
      rec(0, 12, T0 + 200),
      rec(1, 0, T0 + W + 300), // open window
    ];
    const plan = planMicroBatch(s, records, { "0": 13, "1": 1 }, T0 + W, W);
    assert.deepEqual(offsets(plan.land), ["0:10", "0:12"]);
    assert.deepEqual(plan.counts, { read: 4, land: 2, late: 0, held: 2, skipped: 0 });
    assert.deepEqual(plan.next.partitions, {
      "0": { next_offset: 11, read_to: 13 },
      "1": { next_offset: 0, read_to: 1 },
    });
    assert.equal(plan.next.closed_before, T0 + W);
    assert.equal(plan.lateBefore, 0);
  });

  it("re-reads held records, skips their already landed neighbours and marks first-time records of landed windows late", () => {
    const s: MicroBatchState = {
      version: 1,
      topic: "t",
      closed_before: T0 + W,
      partitions: { "0": { next_offset: 11, read_to: 13 } },
    };
    const records = [
      rec(0, 11, T0 + W + 100), // held before, its window closes now
      rec(0, 12, T0 + 200), // landed in the previous cycle
      rec(0, 13, T0 + W + 900), // new, same window as 11
      rec(0, 14, T0 + 300), // new, but its window was landed: late
      rec(0, 15, T0 + 2 * W + 1), // new, open
    ];
    const plan = planMicroBatch(s, records, { "0": 16 }, T0 + 2 * W, W);
    assert.deepEqual(offsets(plan.land), ["0:11", "0:13", "0:14"]);
    assert.deepEqual(plan.counts, { read: 5, land: 3, late: 1, held: 1, skipped: 1 });
    assert.equal(plan.lateBefore, T0 + W, "the job treats windows before the old boundary as late");
    assert.deepEqual(plan.next.partitions, { "0": { next_offset: 15, read_to: 16 } });
  });

  it("sends undecodable records to the job once (they become dead letters) and never again", () => {
    const s = initialState("t", { "0": 0 });
    const first = planMicroBatch(s, [rec(0, 0, T0 + W), rec(0, 1, null)], { "0": 2 }, T0, W);
    assert.deepEqual(offsets(first.land), ["0:1"]);
    assert.equal(first.next.partitions["0"].next_offset, 0);
    const second = planMicroBatch(
      first.next,
      [rec(0, 0, T0 + W), rec(0, 1, null)],
      { "0": 2 },
      T0 + 2 * W,
      W,
    );
    assert.deepEqual(offsets(second.land), ["0:0"]);
    assert.equal(second.counts.skipped, 1);
    assert.deepEqual(second.next.partitions["0"], { next_offset: 2, read_to: 2 });
  });

  it("never moves the boundary backwards (a replayed or capped cycle with an earlier clock)", () => {
    const s: MicroBatchState = { version: 1, topic: "t", closed_before: T0 + 2 * W, partitions: {} };
    const plan = planMicroBatch(s, [rec(0, 0, T0 + W)], { "0": 1 }, T0, W);
    assert.equal(plan.next.closed_before, T0 + 2 * W);
    assert.equal(plan.counts.late, 1);
  });

  it("gives the same plan when a crashed cycle is replayed with its saved ranges and clock", () => {
    const s = initialState("t", { "0": 0, "1": 0 });
    const records = [rec(0, 0, T0 + 10), rec(1, 0, T0 + 20), rec(0, 1, T0 + W + 5)];
    const a = planMicroBatch(s, records, { "0": 2, "1": 1 }, T0 + W, W);
    const b = planMicroBatch(
      JSON.parse(JSON.stringify(s)) as MicroBatchState,
      records,
      { "0": 2, "1": 1 },
      T0 + W,
      W,
    );
    assert.deepEqual(b, a);
  });

  it("rejects a damaged state file with a message naming the file and the problem", () => {
    assert.throws(() => parseMicroBatchState("{", "t", "/d/s.json"), /\/d\/s\.json: not JSON/);
    assert.throws(
      () =>
        parseMicroBatchState(
          JSON.stringify({ version: 1, topic: "u", closed_before: 0, partitions: {} }),
          "t",
          "f",
        ),
      /f: state of topic u, not t/,
    );
    assert.throws(
      () =>
        parseMicroBatchState(
          JSON.stringify({
            version: 1,
            topic: "t",
            closed_before: 0,
            partitions: { "0": { next_offset: 5, read_to: 2 } },
          }),
          "t",
          "f",
        ),
      /partition 0 has no valid next_offset\/read_to/,
    );
    const ok = initialState("t", { "0": 3 });
    assert.deepEqual(parseMicroBatchState(JSON.stringify(ok), "t", "f"), ok);
  });

  it("caps a cycle by new records only, so a window larger than the cap still makes progress", () => {
    const s: MicroBatchState = {
      version: 1,
      topic: "t",
      closed_before: 0,
      partitions: { "0": { next_offset: 100, read_to: 1100 } }, // 1000 held records of one open window
    };
    const r = cycleRanges(s, [{ partition: 0, low: 0, high: 5000 }], 1000);
    assert.deepEqual(r.readTo, { "0": 2100 });
    assert.deepEqual(r.gaps, []);
  });

  it("skips offsets Kafka deleted and reports the gap; a new partition starts at its low offset", () => {
    const s = initialState("t", { "0": 5 });
    const r = cycleRanges(
      s,
      [
        { partition: 0, low: 20, high: 30 },
        { partition: 1, low: 3, high: 4 },
      ],
      1000,
    );
    assert.deepEqual(r.gaps, [{ partition: 0, lost_before: 20 }]);
    assert.deepEqual(r.partitions, {
      "0": { next_offset: 20, read_to: 20 },
      "1": { next_offset: 3, read_to: 3 },
    });
    assert.deepEqual(r.readTo, { "0": 30, "1": 4 });
  });
});
