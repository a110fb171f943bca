/**
 * A Spark worker killed (SIGKILL to it and its executors) while a backfill runs on the standalone cluster: the
 * backfill fails loudly naming the cause, or carries on once the worker is back and finishes; a re-run after
 * the worker's restart lands exactly what an undisturbed run lands, without duplicates.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterConfig } from "../../infra/cluster/config";
import { clusterSparkServices, fetchMasterState, workerRegistered } from "../../infra/cluster/spark";
import { platformUp } from "../../infra/platform";
import { isAlive, readPid, waitFor } from "../../infra/process";
import { counters } from "../../pipelines/metrics";
import { stopStale } from "../../pipelines/services";
import { setUpStreamTest, StreamTestEnv } from "../../harness/stream";
import {
  backfill,
  clusterFromEnv,
  duplicates,
  landingView,
  processGroupMembers,
  produceListings,
  ProducedRange,
} from "./spark-harness";

type Outcome = { ok: true; state: string } | { ok: false; error: Error };

describe("a Spark worker killed during a backfill", function () {
  this.timeout(1_800_000);
  let cc: ClusterConfig;
  let env: StreamTestEnv;
  let range: ProducedRange;
  let scratch: string;
  const dirs = (name: string) => ({
    dataDir: join(scratch, `${name}-data`),
    runDir: join(scratch, `${name}-run`),
  });

  before(async () => {
    cc = clusterFromEnv();
    env = await setUpStreamTest(2, "cl");
    scratch = mkdtempSync(join(tmpdir(), "pp-cluster-spark-kill-"));
    range = await produceListings(env, 20_000, 97, 1);
  });
  after(async () => {
    // Whatever happened, leave the cluster as the suite found it: the worker running.
    if (cc) await platformUp(clusterSparkServices(cc));
    // A failed assertion leaves the backfill's job server running; end it.
    for (const name of ["undisturbed", "disturbed"]) {
      if (scratch && env) await stopStale("spark", { runDir: dirs(name).runDir, cacheDir: env.cacheDir });
    }
    if (scratch && process.env.PHONEPIPE_KEEP_TEST_DIRS !== "1")
      rmSync(scratch, { recursive: true, force: true });
    await env?.cleanup();
  });

  it("fails loudly or finishes after the worker returns; a re-run lands what an undisturbed run lands", async () => {
    const [, worker] = clusterSparkServices(cc);
    const undisturbed = await backfill(env, range, dirs("undisturbed"));
    assert.equal(undisturbed.state, "DONE");
    const expected = await landingView(dirs("undisturbed").dataDir, env.topic);
    assert.equal(expected.rows.length, range.expectedRows);

    let outcome: Outcome | undefined;
    const t0 = Date.now();
    const disturbed = backfill(env, range, dirs("disturbed")).then(
      (r): Outcome => (outcome = { ok: true, state: r.state }),
      (error: Error): Outcome => (outcome = { ok: false, error }),
    );

    // Kill once the job's executor has handed records to this process's SDK worker (the counters are this
    // process's), so the read stage runs and the dedupe and landing stages are still to come.
    const pid = readPid(worker.proc);
    assert.ok(pid !== undefined, "no worker pid file");
    const recordsBefore = counters.records_in;
    const reading = await waitFor(
      async () => outcome !== undefined || counters.records_in > recordsBefore,
      600_000,
      undefined,
      20,
    );
    assert.ok(
      reading && outcome === undefined,
      `the backfill ended before it ran: ${JSON.stringify(outcome)}`,
    );
    assert.ok(processGroupMembers(pid).length >= 2, `no executor in the worker's process group ${pid}`);
    process.kill(-pid, "SIGKILL");
    const killedAt = (Date.now() - t0) / 1000;
    const gone = await waitFor(async () => processGroupMembers(pid).length === 0 && !isAlive(pid), 30_000);
    assert.ok(gone, `the worker's process group ${pid} lived on`);

    // The backfill ends, or waits for an executor while the master lists no live worker.
    const settledOrStalled = await waitFor(
      async () => outcome !== undefined || !workerRegistered(await fetchMasterState(cc), cc),
      300_000,
    );
    assert.ok(settledOrStalled, "the master still lists the killed worker as alive");
    // Spark standalone keeps the application, without executors, until a worker offers cores again; the
    // master shows that a moment after it dropped the worker, or the backfill has ended by then.
    const waitingForCores = async () =>
      ((await fetchMasterState(cc))?.activeApps.filter((a) => a.cores === 0).length ?? 0) === 1;
    const endedOrWaiting = await waitFor(
      async () => outcome !== undefined || (await waitingForCores()),
      60_000,
    );
    assert.ok(endedOrWaiting, "the backfill neither ended nor waits at the master for cores");
    const endedWithoutWorker = outcome !== undefined;
    const restart = await platformUp(clusterSparkServices(cc));
    assert.deepEqual(
      restart.map((r) => [r.name, r.action]),
      [
        ["spark-master", "already running"],
        ["spark-worker", "started"],
      ],
    );
    const first = await disturbed;
    const firstSeconds = (Date.now() - t0) / 1000;
    console.log(
      `      worker killed at ${killedAt} s; disturbed backfill ${first.ok ? first.state : "failed"} at ` +
        `${firstSeconds} s (${endedWithoutWorker ? "before" : "after"} the worker's restart); undisturbed ` +
        `${undisturbed.seconds} s`,
    );
    if (first.ok) {
      assert.equal(first.state, "DONE");
    } else {
      console.log(`      its error: ${first.error.message.split("\n").slice(0, 4).join(" | ")}`);
      assert.match(first.error.message, /spark:\/\/127\.0\.0\.1:\d+: .*FAILED.*job server log/s);
    }

    // Re-run over the same range into the same landing: the same files and rows, once each.
    const rerun = await backfill(env, range, dirs("disturbed"));
    assert.equal(rerun.state, "DONE");
    const got = await landingView(dirs("disturbed").dataDir, env.topic);
    assert.equal(got.rows.length, range.expectedRows);
    assert.equal(duplicates(got.rows), 0);
    assert.deepEqual(got.files, expected.files);
    assert.deepEqual(got.rows, expected.rows);
  });
});
