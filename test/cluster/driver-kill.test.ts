/**
 * The stream driver killed with SIGKILL mid-cycle on the cluster, together with the job server it started (the
 * driver's host lost), while a cycle's job runs on the Flink session cluster. The restarted stream replays the
 * pending cycle: the landing equals the uninterrupted run's, every acknowledged record once.
 */
import assert from "node:assert/strict";
import { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { loadConfig } from "../../infra/config";
import { loadClusterConfig } from "../../infra/cluster/config";
import { tailOf, waitFor } from "../../infra/process";
import { readLanding, setUpStreamTest, spawnStreamCli, StreamTestEnv } from "../../harness/stream";
import { awaitAckedLanded, connectProducer, killProcessGroup, sendListings } from "./cluster-support";

/** Names of the session cluster's jobs in `state` (Flink REST /jobs/overview). */
async function flinkJobs(state: string): Promise<string[]> {
  const rest = loadClusterConfig(loadConfig()).flink.restPort;
  const res = await fetch(`http://127.0.0.1:${rest}/jobs/overview`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as { jobs: Array<{ name: string; state: string }> };
  return body.jobs.filter((j) => j.state === state).map((j) => j.name);
}

describe("cluster: the stream driver killed mid-cycle", function () {
  this.timeout(900_000);
  let env: StreamTestEnv;
  let stream: ChildProcess | undefined;

  before(async () => {
    assert.ok(process.env.PHONEPIPE_FLINK_MASTER, "PHONEPIPE_FLINK_MASTER must name the session cluster");
    env = await setUpStreamTest(2, "cluster");
  });
  after(async () => {
    if (stream && stream.exitCode === null) stream.kill("SIGKILL");
    killProcessGroup(join(env.runDir, "stream", "flink.pid"));
    await env?.cleanup();
  });

  const start = (tag: string): ChildProcess =>
    spawnStreamCli(
      env,
      ["--topic", `${env.topic}=listings.scraped`, "--window-seconds", "2", "--grace-ms", "1000"].concat([
        "--poll-ms",
        "300",
        "--group-id",
        `driver-kill-${env.topic}`,
        "--metrics-ms",
        "3000",
      ]),
      join(env.runDir, `stream-${tag}.log`),
    );

  it("replays the pending cycle after a restart: every acknowledged record lands once", async () => {
    stream = start("1");
    const producer = await connectProducer(env);
    const acked: string[] = [];
    try {
      acked.push(...(await sendListings(producer, env, "driver-kill", 0, 200)));
      const before = await flinkJobs("FINISHED").catch(() => []);
      const running = await waitFor(
        async () => (await flinkJobs("RUNNING")).length > 0,
        300_000,
        () =>
          stream?.exitCode !== null
            ? `the stream exited:\n${tailOf(join(env.runDir, "stream-1.log"), 30)}`
            : undefined,
      );
      assert.ok(running, "no job ever ran on the session cluster");
      const landedAtKill = (await readLanding(env.dataDir, env.topic)).length;
      stream.kill("SIGKILL");
      killProcessGroup(join(env.runDir, "stream", "flink.pid"));
      await waitFor(async () => stream?.exitCode !== null || stream?.signalCode !== null, 10_000);
      console.log(
        `      killed mid-cycle with ${landedAtKill} rows landed, ${before.length} cluster jobs finished before`,
      );
      acked.push(...(await sendListings(producer, env, "driver-kill", 200, 100))); // produced while it is down
    } finally {
      await producer.disconnect();
    }

    stream = start("2");
    const { drained, counts } = await awaitAckedLanded(env.dataDir, env.topic, acked);
    console.log(
      `      acknowledged ${acked.length}, landed ${counts.landed}, duplicates ${counts.duplicates}`,
    );
    assert.ok(
      drained,
      `${counts.ackedMissing} never landed:\n${tailOf(join(env.runDir, "stream-2.log"), 40)}`,
    );
    assert.equal(counts.landed, acked.length);
    assert.equal(counts.duplicates, 0);

    const exited = new Promise<number | null>((r) => stream?.once("exit", (code) => r(code)));
    stream.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
