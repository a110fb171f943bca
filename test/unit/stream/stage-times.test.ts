/** The stream's profile: stage times in the metrics line, and waiting for a portable job's final state. */
import assert from "node:assert/strict";
import { addStageTime, stageTimes, stageTimesSnapshot, timed } from "../../../pipelines/stage-times";
import { metricsLine } from "../../../pipelines/metrics";
import { finalJobState } from "../../../pipelines/beam-sdk";

describe("stream stage times", () => {
  beforeEach(() => {
    for (const k of Object.keys(stageTimes)) delete stageTimes[k];
  });

  it("counts calls and wall time per stage, also when the stage throws", () => {
    timed("io.test", () => 1);
    assert.throws(() =>
      timed("io.test", () => {
        throw new Error("boom");
      }),
    );
    addStageTime("dofn.test", performance.now() - 25);
    const snap = stageTimesSnapshot();
    assert.equal(snap["io.test"].calls, 2);
    assert.equal(snap["dofn.test"].calls, 1);
    assert.ok(snap["dofn.test"].ms >= 25, `dofn.test ms ${snap["dofn.test"].ms}`);
  });

  it("puts them in the stream's metrics line", () => {
    addStageTime("cycle.job", performance.now() - 10);
    const line = JSON.parse(metricsLine()) as { stage_ms: Record<string, { calls: number; ms: number }> };
    assert.equal(line.stage_ms["cycle.job"].calls, 1);
  });
});

describe("finalJobState", () => {
  it("polls until the job is terminal and names the state", async () => {
    const states = [1, 1, 3]; // STOPPED, STOPPED, DONE (beam_job_api JobState_Enum)
    let calls = 0;
    const state = await finalJobState({ getState: async () => ({ state: states[calls++] }) }, 1);
    assert.equal(state, "DONE");
    assert.equal(calls, 3);
  });

  it("returns FAILED as soon as the job failed", async () => {
    assert.equal(await finalJobState({ getState: async () => ({ state: "FAILED" }) }, 1), "FAILED");
  });
});
