/** Consumer-group commits of the stream (pipelines/micro-batch/offset-committer.ts), against a fake admin. */
import assert from "node:assert/strict";
import type { Admin } from "kafkajs";
import { initialState } from "../../../transforms/stream/micro-batch";
import { OffsetCommitter } from "../../../pipelines/micro-batch/offset-committer";
import type { AdminCalls } from "../../../pipelines/micro-batch/kafka-admin";

type SetOffsets = Parameters<Admin["setOffsets"]>[0];

/** An admin whose setOffsets waits until released, recording calls and how many ran at once. */
function fakeAdmin(fail: (c: SetOffsets) => boolean = () => false) {
  const calls: SetOffsets[] = [];
  let running = 0;
  let maxRunning = 0;
  const admin: AdminCalls = {
    use: async (fn) =>
      fn({
        setOffsets: async (c: SetOffsets) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, 5));
          running -= 1;
          calls.push(c);
          if (fail(c)) throw new Error(`cannot commit ${c.topic}`);
        },
      } as unknown as Admin),
  };
  return { admin, calls, maxRunning: () => maxRunning };
}

describe("consumer-group offset commits", () => {
  it("commits one at a time, only the newest offsets of a topic queued meanwhile", async () => {
    const fake = fakeAdmin();
    const committer = new OffsetCommitter(fake.admin, "g", () => undefined);
    committer.schedule("a", initialState("a", { "0": 1 }));
    committer.schedule("b", initialState("b", { "0": 5 }));
    committer.schedule("b", initialState("b", { "0": 6, "1": 2 }));
    committer.schedule("a", initialState("a", { "0": 3 }));
    await committer.settle(5000);
    assert.equal(fake.maxRunning(), 1);
    assert.deepEqual(
      fake.calls.map((c) => [c.groupId, c.topic, c.partitions]),
      [
        ["g", "a", [{ partition: 0, offset: "1" }]],
        [
          "g",
          "b",
          [
            { partition: 0, offset: "6" },
            { partition: 1, offset: "2" },
          ],
        ],
        ["g", "a", [{ partition: 0, offset: "3" }]],
      ],
    );
  });

  it("logs a failed commit and goes on with the next", async () => {
    const fake = fakeAdmin((c) => c.topic === "a");
    const lines: string[] = [];
    const committer = new OffsetCommitter(fake.admin, "g", (l) => lines.push(l));
    committer.schedule("a", initialState("a", { "0": 1 }));
    committer.schedule("b", initialState("b", { "0": 2 }));
    await committer.settle(5000);
    assert.deepEqual(
      fake.calls.map((c) => c.topic),
      ["a", "b"],
    );
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      [{ event: "offset_commit_failed", topic: "a", error: "cannot commit a" }],
    );
  });

  it("does not wait longer than asked for a commit that hangs", async () => {
    const admin: AdminCalls = { use: () => new Promise(() => undefined) };
    const committer = new OffsetCommitter(admin, "g", () => undefined);
    committer.schedule("a", initialState("a", { "0": 1 }));
    const t0 = Date.now();
    await committer.settle(50);
    assert.ok(Date.now() - t0 < 1000);
  });
});
