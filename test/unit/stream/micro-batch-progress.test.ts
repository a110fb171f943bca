/** The stream loop's pure bookkeeping (pipelines/micro-batch/progress.ts) and retry policy (retry.ts). */
import assert from "node:assert/strict";
import { initialState, MicroBatchState } from "../../../transforms/stream/micro-batch";
import {
  catchUpClose,
  cycleReadRanges,
  groupOffsets,
  hasWork,
  heldRecords,
  isCapped,
  overrun,
  startOffsets,
  withPending,
} from "../../../pipelines/micro-batch/progress";
import { givesUp, MAX_FAILED_ATTEMPTS, retryBackoffMs } from "../../../pipelines/micro-batch/retry";

const W = 5000;
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0); // a window boundary
const state = (partitions: MicroBatchState["partitions"], closed_before = 0): MicroBatchState => ({
  version: 1,
  topic: "t",
  closed_before,
  partitions,
});

describe("micro-batch bookkeeping", () => {
  it("starts at the group's committed offsets, else at the earliest offset", () => {
    const ends = [
      { partition: 0, low: 5 },
      { partition: 1, low: 7 },
      { partition: 2, low: 0 },
    ];
    const committed = [
      { partition: 0, offset: 12 },
      { partition: 1, offset: -1 }, // no commit yet
    ];
    assert.deepEqual(startOffsets(ends, committed), { "0": 12, "1": 7, "2": 0 });
  });

  it("records the pending cycle without touching the rest of the state", () => {
    const s = state({ "0": { next_offset: 3, read_to: 9 } }, T0);
    const p = withPending(s, { "0": 20 }, T0 + W);
    assert.deepEqual(p, { ...s, pending: { read_to: { "0": 20 }, close_before: T0 + W } });
    assert.equal(s.pending, undefined);
  });

  it("finds a partition read past the topic's end, counting the pending cycle's ranges", () => {
    const s = state({ "0": { next_offset: 3, read_to: 9 }, "1": { next_offset: 0, read_to: 4 } });
    assert.equal(overrun(s, [{ partition: 0, high: 9 }]), undefined);
    assert.deepEqual(overrun(s, [{ partition: 0, high: 8 }]), { partition: 0, seen: 9, high: 8 });
    const pending = withPending(s, { "0": 9, "1": 6 }, T0);
    assert.deepEqual(overrun(pending, [{ partition: 1, high: 5 }]), { partition: 1, seen: 6, high: 5 });
  });

  it("has work for new records, or for held ones once the boundary moves past the landed windows", () => {
    const idle = state({ "0": { next_offset: 9, read_to: 9 } }, T0);
    assert.equal(hasWork(idle, { "0": 9 }, T0 + W), false);
    assert.equal(hasWork(idle, { "0": 10 }, T0), true);
    const holding = state({ "0": { next_offset: 4, read_to: 9 } }, T0);
    assert.equal(hasWork(holding, { "0": 9 }, T0), false, "the boundary has not moved");
    assert.equal(hasWork(holding, { "0": 9 }, T0 + W), true);
    assert.equal(hasWork(initialState("t", {}), { "3": 1 }, 0), true, "a new partition");
  });

  it("reads from next_offset (held records again) to readTo, and nothing of an empty range", () => {
    const s = state({ "0": { next_offset: 4, read_to: 9 }, "1": { next_offset: 6, read_to: 6 } });
    assert.deepEqual(cycleReadRanges(s, { "0": 12, "1": 6, "2": 3 }), [
      { partition: 0, start: 4, end: 12 },
      { partition: 2, start: 0, end: 3 },
    ]);
    assert.equal(isCapped([{ partition: 0, high: 12 }], { "0": 12 }), false);
    assert.equal(isCapped([{ partition: 0, high: 13 }], { "0": 12 }), true);
  });

  it("keeps a capped cycle from closing windows a partly read partition may still fill", () => {
    const records = [
      { partition: 0, eventTime: T0 + 3 * W + 1 },
      { partition: 1, eventTime: T0 + 2 * W + 10 },
      { partition: 1, eventTime: T0 + W + 20 }, // the partition's last record counts, not its newest
      { partition: 1, eventTime: null },
    ];
    assert.equal(catchUpClose(records, T0 + 4 * W, W), T0 + W);
    assert.equal(catchUpClose(records, T0, W), T0, "never later than the clock's boundary");
    assert.equal(catchUpClose([{ partition: 0, eventTime: null }], T0 + 4 * W, W), T0 + 4 * W);
  });

  it("commits next_offset per partition and counts held records over every topic", () => {
    const a = state({ "0": { next_offset: 4, read_to: 9 }, "1": { next_offset: 6, read_to: 6 } });
    const b = state({ "0": { next_offset: 1, read_to: 3 } });
    assert.deepEqual(groupOffsets(a), [
      { partition: 0, offset: "4" },
      { partition: 1, offset: "6" },
    ]);
    assert.equal(heldRecords([a, b]), 7);
    assert.equal(heldRecords([]), 0);
  });
});

describe("micro-batch retry policy", () => {
  it("backs off 2 s, 4 s, ... up to 30 s", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 9].map((n) => retryBackoffMs(n)),
      [2000, 4000, 8000, 16000, 30000, 30000, 30000],
    );
  });

  it("gives up after the last attempt, or at once on a failure no retry can fix", () => {
    assert.equal(givesUp(MAX_FAILED_ATTEMPTS - 1, false), false);
    assert.equal(givesUp(MAX_FAILED_ATTEMPTS, false), true);
    assert.equal(givesUp(1, true), true);
  });
});
