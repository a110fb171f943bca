/**
 * A `phonepipe stream` whose first cycle fails before any job server runs (here: a topic that does not exist;
 * on a fresh broker, a group coordinator still being elected) keeps retrying with backoff until it is stopped.
 * While it backs off, its timer is all that keeps the process alive, so the process must not exit 0 then.
 */
import assert from "node:assert/strict";
import { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../../../infra/process";
import { setUpStreamTest, spawnStreamCli, StreamTestEnv } from "../../../harness/stream";

describe("stream retries a failing first cycle", function () {
  this.timeout(180_000);
  let env: StreamTestEnv;
  let child: ChildProcess | undefined;

  before(async () => {
    env = await setUpStreamTest(1);
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await env?.cleanup();
  });

  it("is still running after failed attempts, and a SIGTERM then stops it with exit 0", async () => {
    const logFile = join(env.runDir, "stream.log");
    const args = [
      "--topic",
      `${env.topic}.missing=listings.scraped`,
      "--poll-ms",
      "300",
      "--metrics-ms",
      "60000",
    ];
    child = spawnStreamCli(env, args, logFile);
    const exit = new Promise<number | null>((r) => child?.once("exit", (code) => r(code)));
    const failures = (): Array<{ attempt: number; error: string }> =>
      readFileSync(logFile, "utf8")
        .split("\n")
        .filter((l) => l.includes('"micro_batch_failed"'))
        .map((l) => JSON.parse(l) as { attempt: number; error: string });
    const retried = await waitFor(async () => failures().length >= 2 || child?.exitCode !== null, 120_000);
    assert.ok(retried, `no second attempt within 120 s:\n${readFileSync(logFile, "utf8")}`);
    assert.equal(
      child.exitCode,
      null,
      `the stream exited after a failed cycle:\n${readFileSync(logFile, "utf8")}`,
    );
    assert.deepEqual(
      failures()
        .slice(0, 2)
        .map((f) => f.attempt),
      [1, 2],
    );
    child.kill("SIGTERM");
    assert.equal(await exit, 0);
    assert.match(readFileSync(logFile, "utf8"), /"event":"stream_stopped"/);
  });
});
