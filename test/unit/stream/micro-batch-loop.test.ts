/**
 * The stream loop (pipelines/micro-batch/loop.ts) with a fake planner, job runner and committer: persist order,
 * replay of a failed cycle from its pending state, stopping.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kafka } from "kafkajs";
import { counters } from "../../../pipelines/metrics";
import { MicroBatchLoop, LoopParts } from "../../../pipelines/micro-batch/loop";
import { StateStore } from "../../../pipelines/micro-batch/state-store";
import { PlannedCycle, StateMismatchError, TopicCycle } from "../../../pipelines/micro-batch/cycle-planner";
import { initialState, MicroBatchState, planMicroBatch } from "../../../transforms/stream/micro-batch";

const W = 5000;
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const record = (offset: number) => ({
  topic: "t",
  partition: 0,
  offset,
  timestamp: T0,
  keyB64: "",
  valueB64: "",
  eventTime: T0 + 10,
});

describe("micro-batch stream loop", function () {
  this.timeout(15_000);
  let dataDir: string;
  let store: StateStore;
  let saved: typeof counters;
  const lines: string[] = [];
  const events = () => lines.map((l) => (JSON.parse(l) as { event: string }).event);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "phonepipe-loop-"));
    store = new StateStore(dataDir, ["t"]);
    store.write("t", initialState("t", { "0": 0 }));
    saved = { ...counters };
    lines.length = 0;
  });
  afterEach(() => {
    Object.assign(counters, saved);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A loop over topic t whose planner offers offsets [0, 2) once, then nothing. */
  function loopWith(over: Partial<LoopParts>, prepared: MicroBatchState[] = []): MicroBatchLoop {
    const planner: LoopParts["planner"] = {
      prepare: async (topic, state) => {
        prepared.push(state);
        if (state.partitions["0"].read_to >= 2) return undefined;
        return { topic, state, readTo: { "0": 2 }, close: T0 + W, capped: false };
      },
      plan: async (c: TopicCycle): Promise<PlannedCycle> => ({
        ...c,
        plan: planMicroBatch(c.state, [record(0), record(1)], c.readTo, c.close, W),
      }),
    };
    return new MicroBatchLoop({
      o: { topics: ["t"], resume: true, groupId: "g", pollMs: 60_000 },
      kafka: {} as Kafka,
      store,
      planner,
      runner: { run: async () => undefined },
      committer: { schedule: () => undefined },
      log: (l) => lines.push(l),
      ...over,
    });
  }

  it("runs the job with the pending cycle on disk, then persists the new state and commits it", async () => {
    const seenByJob: Array<MicroBatchState | undefined> = [];
    const committed: MicroBatchState[] = [];
    const loop = loopWith({
      runner: { run: async () => void seenByJob.push(store.read("t")) },
      committer: { schedule: (_t, st) => void committed.push(st) },
    });
    const done = loop.run();
    await waitUntil(() => events().includes("micro_batch"));
    loop.stop();
    assert.equal(await done, "STOPPED");
    assert.deepEqual(seenByJob[0]?.pending, { read_to: { "0": 2 }, close_before: T0 + W });
    const after = store.read("t");
    assert.deepEqual(after?.partitions, { "0": { next_offset: 2, read_to: 2 } });
    assert.equal(after?.pending, undefined);
    assert.deepEqual(committed, [after]);
    assert.deepEqual(events(), ["stream_resumed", "micro_batch"]);
  });

  it("replays a failed cycle from its pending state after a backoff", async () => {
    const prepared: MicroBatchState[] = [];
    let attempts = 0;
    const loop = loopWith(
      {
        runner: {
          run: async () => {
            attempts += 1;
            if (attempts === 1) throw new Error("job server went away");
          },
        },
      },
      prepared,
    );
    const done = loop.run();
    await waitUntil(() => events().includes("micro_batch"), 10_000);
    loop.stop();
    assert.equal(await done, "STOPPED");
    assert.equal(attempts, 2);
    assert.deepEqual(prepared[1].pending, { read_to: { "0": 2 }, close_before: T0 + W });
    const failed = JSON.parse(lines[1]) as Record<string, unknown>;
    assert.deepEqual(failed, {
      event: "micro_batch_failed",
      cycle: 1,
      attempt: 1,
      error: "job server went away",
      retry_in_ms: 2000,
    });
  });

  it("stops at once when the state does not fit the topic", async () => {
    const loop = loopWith({
      planner: {
        prepare: async () => {
          throw new StateMismatchError("the topic was recreated");
        },
        plan: async () => assert.fail("nothing to plan"),
      },
    });
    assert.equal(await loop.run(), "FAILED: the topic was recreated");
  });

  it("cuts an idle wait short on stop", async () => {
    store.write("t", { ...initialState("t", { "0": 2 }) });
    const loop = loopWith({});
    const done = loop.run();
    await waitUntil(() => events().includes("stream_resumed"));
    await new Promise((r) => setTimeout(r, 50)); // planned (nothing to do) and waiting
    const t0 = Date.now();
    loop.stop();
    assert.equal(await done, "STOPPED");
    assert.ok(Date.now() - t0 < 1000);
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
