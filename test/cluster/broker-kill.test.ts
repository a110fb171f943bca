/**
 * One of three Kafka brokers killed with SIGKILL while producers and the stream run, restarted later: every
 * record the cluster acknowledged lands exactly once, and the stream is never restarted.
 */
import assert from "node:assert/strict";
import { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Producer } from "kafkajs";
import { tailOf, waitFor } from "../../infra/process";
import { readLanding, setUpStreamTest, spawnStreamCli, StreamTestEnv } from "../../harness/stream";
import {
  clusterPid,
  connectProducer,
  killClusterProcess,
  awaitAckedLanded,
  restoreCluster,
  sendListings,
} from "./cluster-support";

const BATCH = 20;

describe("cluster: a Kafka broker killed while producers and the stream run", function () {
  this.timeout(900_000);
  let env: StreamTestEnv;
  let stream: ChildProcess | undefined;
  let producer: Producer | undefined;

  before(async () => {
    env = await setUpStreamTest(3, "cluster");
  });
  after(async () => {
    if (stream && stream.exitCode === null) stream.kill("SIGKILL");
    await producer?.disconnect().catch(() => undefined);
    await restoreCluster();
    await env?.cleanup();
  });

  it("lands every acknowledged record exactly once without restarting the stream", async () => {
    const log = join(env.runDir, "stream.log");
    stream = spawnStreamCli(
      env,
      ["--topic", `${env.topic}=listings.scraped`, "--window-seconds", "2", "--grace-ms", "1000"].concat([
        "--poll-ms",
        "300",
        "--group-id",
        `broker-kill-${env.topic}`,
        "--metrics-ms",
        "3000",
      ]),
      log,
    );
    producer = await connectProducer(env);
    const acked: string[] = [];
    let failedSends = 0;
    let sent = 0;
    const sendBatch = async (): Promise<void> => {
      try {
        acked.push(...(await sendListings(producer as Producer, env, "broker-kill", sent, BATCH)));
      } catch {
        failedSends += 1; // not acknowledged: it may or may not land, but never twice
      }
      sent += BATCH;
    };

    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (what: string): void => {
      phases.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    };
    for (let i = 0; i < 5; i++) await sendBatch();
    phase("produced before the fault");
    const landedBefore = await waitFor(
      async () => (await readLanding(env.dataDir, env.topic)).length > 0,
      300_000,
    );
    assert.ok(landedBefore, `nothing landed before the fault; the stream's log:\n${tailOf(log, 40)}`);

    phase("first rows landed");
    const victim = "kafka-2";
    killClusterProcess(victim);
    assert.ok(await waitFor(async () => clusterPid(victim) === undefined, 10_000), `${victim} did not die`);
    phase("broker killed");
    for (let i = 0; i < 10; i++) await sendBatch(); // two brokers left: min.insync.replicas=2 still met
    phase("produced during the outage");
    await restoreCluster();
    phase("broker restarted");
    for (let i = 0; i < 5; i++) await sendBatch();
    phase("produced after the restart");

    const { drained, counts } = await awaitAckedLanded(env.dataDir, env.topic, acked);
    phase("all acknowledged records landed");
    console.log(`      ${phases.join("; ")}`);
    console.log(
      `      produced ${sent}, acknowledged ${acked.length}, send failures ${failedSends}, ` +
        `landed ${counts.landed}, duplicates ${counts.duplicates}, acknowledged missing ${counts.ackedMissing}`,
    );
    assert.ok(drained, `${counts.ackedMissing} acknowledged records never landed; log:\n${tailOf(log, 40)}`);
    assert.equal(counts.duplicates, 0);
    assert.ok(counts.landed <= sent);
    assert.ok(acked.length >= sent - failedSends * BATCH);
    assert.equal(stream.exitCode, null, "the stream exited during the broker's outage");

    const exited = new Promise<number | null>((r) => stream?.once("exit", (code) => r(code)));
    stream.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
