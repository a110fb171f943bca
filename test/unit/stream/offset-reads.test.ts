/** The read elements a bounded job carries instead of records (transforms/stream/offset-reads.ts). */
import assert from "node:assert/strict";
import {
  inRuns,
  packReads,
  readsForOffsets,
  runsSize,
  selectRead,
  toRuns,
} from "../../../transforms/stream/offset-reads";

const rec = (partition: number, offset: number) => ({ partition, offset, payload: `${partition}/${offset}` });

describe("offset reads", () => {
  it("compresses offsets into sorted runs of consecutive offsets", () => {
    assert.deepEqual(toRuns([7, 3, 4, 5, 9, 8, 4, 12]), [
      [3, 6],
      [7, 10],
      [12, 13],
    ]);
    assert.deepEqual(toRuns([]), []);
    assert.equal(runsSize(toRuns([1, 2, 3, 10])), 4);
  });

  it("finds an offset in the runs, and only there", () => {
    const runs = toRuns([3, 4, 5, 7, 8, 9, 12]);
    const hits = Array.from({ length: 15 }, (_, o) => o).filter((o) => inRuns(o, runs));
    assert.deepEqual(hits, [3, 4, 5, 7, 8, 9, 12]);
  });

  it("packs partitions into elements of at most maxRecords offsets, splitting long runs", () => {
    const reads = packReads(
      [
        { partition: 1, runs: [[100, 103]] },
        {
          partition: 0,
          runs: [
            [0, 5],
            [8, 9],
          ],
        },
      ],
      4,
    );
    assert.deepEqual(reads, [
      { parts: [{ partition: 0, runs: [[0, 4]] }] },
      {
        parts: [
          {
            partition: 0,
            runs: [
              [4, 5],
              [8, 9],
            ],
          },
          { partition: 1, runs: [[100, 102]] },
        ],
      },
      { parts: [{ partition: 1, runs: [[102, 103]] }] },
    ]);
    assert.equal(
      reads.reduce((n, r) => n + r.parts.reduce((m, p) => m + runsSize(p.runs), 0), 0),
      9,
      "every offset is in exactly one element",
    );
    assert.throws(() => packReads([], 0), /at least 1/);
  });

  it("builds the elements of a micro-batch from the records it lands", () => {
    const land = [rec(0, 10), rec(1, 3), rec(0, 11), rec(0, 13)];
    assert.deepEqual(readsForOffsets(land, 100), [
      {
        parts: [
          {
            partition: 0,
            runs: [
              [10, 12],
              [13, 14],
            ],
          },
          { partition: 1, runs: [[3, 4]] },
        ],
      },
    ]);
  });

  it("keeps exactly the planned records of a read, once each, whatever else the broker returned", () => {
    const read = {
      parts: [
        {
          partition: 0,
          runs: [
            [10, 12],
            [13, 14],
          ] as Array<[number, number]>,
        },
      ],
    };
    const got = selectRead(
      read,
      [rec(0, 9), rec(0, 10), rec(0, 11), rec(0, 12), rec(0, 13), rec(0, 13), rec(1, 10)],
      "t",
    );
    assert.deepEqual(
      got.map((r) => r.payload),
      ["0/10", "0/11", "0/13"],
    );
  });

  it("fails a read that came back short, naming the missing offsets", () => {
    const read = { parts: [{ partition: 2, runs: [[10, 14]] as Array<[number, number]> }] };
    assert.throws(
      () => selectRead(read, [rec(2, 10), rec(2, 13)], "listings.scraped"),
      /read of listings.scraped returned 2 of 4 planned records; missing \(partition:offset\) 2:11, 2:12/,
    );
  });
});
