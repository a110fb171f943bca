/**
 * One run dir, one owner per Beam service (pipelines/services.ts claimService): a second phonepipe process on the
 * same run dir is refused with a clear error instead of ending the first one's job server as an orphan.
 */
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claimService, releaseService, ServiceInUseError, startService } from "../../../pipelines/services";

describe("Beam service slots in a run dir", () => {
  let runDir: string;
  let other: ChildProcess | undefined;
  const owner = (name: string): string => join(runDir, "stream", `${name}.owner`);

  beforeEach(() => {
    runDir = mkdtempSync(join(tmpdir(), "phonepipe-claim-"));
    mkdirSync(join(runDir, "stream"));
  });
  afterEach(() => {
    other?.kill("SIGKILL");
    other = undefined;
    rmSync(runDir, { recursive: true, force: true });
  });

  it("refuses a slot another live process holds, naming its pid and the run dir", async () => {
    other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    writeFileSync(owner("flink"), String(other.pid));
    assert.throws(
      () => claimService("flink", { cacheDir: "/nonexistent", runDir }),
      (err: Error) =>
        err instanceof ServiceInUseError &&
        err.message.includes(`pid ${other?.pid}`) &&
        err.message.includes(runDir) &&
        err.message.includes("PHONEPIPE_RUN_DIR"),
    );
    // startService refuses before it touches the other process's service (it would have ended it as stale)
    await assert.rejects(startService("flink", { cacheDir: "/nonexistent", runDir }), ServiceInUseError);
    assert.equal(readFileSync(owner("flink"), "utf8"), String(other.pid));
  });

  it("takes over the slot of a dead owner (a run killed with -9) and gives it back", () => {
    const dead = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    const deadPid = dead.pid as number;
    writeFileSync(owner("flink"), String(deadPid));
    return new Promise<void>((resolve) => dead.on("exit", () => resolve())).then(() => {
      claimService("flink", { cacheDir: "/nonexistent", runDir });
      assert.equal(readFileSync(owner("flink"), "utf8"), String(process.pid));
      claimService("flink", { cacheDir: "/nonexistent", runDir }); // holding it already is fine
      releaseService("flink", { cacheDir: "/nonexistent", runDir });
      assert.equal(existsSync(owner("flink")), false);
    });
  });

  it("keeps instances and kinds apart, and releases the slot when the start fails", async () => {
    claimService("flink", { cacheDir: "/nonexistent", runDir, instance: "a" });
    claimService("spark", { cacheDir: "/nonexistent", runDir, instance: "a" });
    assert.ok(existsSync(owner("flink-a")) && existsSync(owner("spark-a")));
    // no classpath under /nonexistent: the start fails, and the slot it claimed is free again
    await assert.rejects(
      startService("flink", { cacheDir: "/nonexistent", runDir, instance: "b" }),
      /make bootstrap-beam/,
    );
    assert.equal(existsSync(owner("flink-b")), false);
  });
});
