import assert from "node:assert/strict";
import { useExternalEnvironment } from "../../../pipelines/external-environment";
import { runnerApi } from "../../../pipelines/beam-sdk";
import { parseWorkerPoolAddress } from "../../../pipelines/worker-pool-address";
import { jobOptions } from "../../../pipelines/micro-batch/job-runner";
import { streamTestOptions } from "../../../harness/stream";

describe("EXTERNAL environment (TypeScript worker pool)", () => {
  it("points every default TypeScript environment at the pool and leaves the others alone", () => {
    const pipeline = runnerApi.Pipeline.create({
      components: {
        environments: {
          ts: { urn: "js_default", payload: new Uint8Array() },
          java: { urn: "beam:env:docker:v1", payload: new Uint8Array([1]) },
        },
      },
    });
    assert.equal(useExternalEnvironment(pipeline, "127.0.0.1:50000"), 1);
    const ts = pipeline.components!.environments.ts;
    assert.equal(ts.urn, "beam:env:external:v1");
    assert.equal(runnerApi.ExternalPayload.fromBinary(ts.payload).endpoint?.url, "127.0.0.1:50000");
    assert.equal(pipeline.components!.environments.java.urn, "beam:env:docker:v1");
  });

  it("accepts host:port pool addresses only", () => {
    assert.equal(parseWorkerPoolAddress(" 127.0.0.1:23350 "), "127.0.0.1:23350");
    assert.equal(parseWorkerPoolAddress("localhost:50000"), "localhost:50000");
    for (const bad of ["127.0.0.1", "host:0", "host:70000", "http://h:1", ""]) {
      assert.throws(() => parseWorkerPoolAddress(bad), /host:port/);
    }
  });

  it("runs LOOPBACK without a pool and EXTERNAL with one", () => {
    const base = streamTestOptions({ topics: ["t"], dataDir: "/d", runDir: "/r", groupId: "g" });
    const local = jobOptions(base, "localhost:1", "j");
    assert.equal(local.environmentType, "LOOPBACK");
    const remote = jobOptions(
      { ...base, flinkMaster: "127.0.0.1:8081", workerPool: "127.0.0.1:50000" },
      "e",
      "j",
    );
    assert.equal(remote.environmentType, "EXTERNAL");
  });
});
