/** The stream's state files (pipelines/micro-batch/state-store.ts): atomic writes and the replayable pending cycle. */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initialState } from "../../../transforms/stream/micro-batch";
import { stateFileFor, StateStore } from "../../../pipelines/micro-batch/state-store";

describe("micro-batch state files", () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), "phonepipe-state-"))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps one file per topic under <dataDir>/state", () => {
    const store = new StateStore(dataDir, ["a.b", "c"]);
    assert.deepEqual(store.files, {
      "a.b": join(dataDir, "state", "a.b.micro-batch.json"),
      c: stateFileFor(dataDir, "c"),
    });
  });

  it("reads nothing before the first write, then what was written, leaving no temp file", () => {
    const store = new StateStore(dataDir, ["t"]);
    assert.equal(store.read("t"), undefined);
    assert.equal(store.exists("t"), false);
    const s = initialState("t", { "0": 4, "1": 0 });
    store.write("t", s);
    assert.deepEqual(store.read("t"), s);
    assert.deepEqual(readdirSync(join(dataDir, "state")), ["t.micro-batch.json"]);
  });

  it("writes the pending cycle so a restart replays it, and a finished cycle clears it", () => {
    const store = new StateStore(dataDir, ["t"]);
    const s = initialState("t", { "0": 4 });
    store.writePending("t", s, { "0": 10 }, 5000);
    assert.deepEqual(store.read("t")?.pending, { read_to: { "0": 10 }, close_before: 5000 });
    store.write("t", { ...s, closed_before: 5000 });
    assert.equal(store.read("t")?.pending, undefined);
  });

  it("refuses a damaged state file, naming it", () => {
    const store = new StateStore(dataDir, ["t"]);
    store.write("t", initialState("t", {}));
    writeFileSync(store.files.t, '{"version": 1, "topic"');
    assert.throws(() => store.read("t"), new RegExp(`${store.files.t}: not JSON`));
  });
});
