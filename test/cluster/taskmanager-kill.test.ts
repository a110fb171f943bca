/**
 * A TaskManager of the session cluster killed with SIGKILL while a cycle's job runs on it: the job fails, the
 * stream retries the cycle (pipelines/micro-batch/retry.ts) on the TaskManager left, and the landing ends
 * exactly as an undisturbed run's: every produced observation's deduplicated row, none twice. The killed
 * TaskManager is started again afterwards, so later tests find the cluster whole.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../infra/config";
import { loadClusterConfig } from "../../infra/cluster/config";
import { clusterFlinkServices } from "../../infra/cluster/flink";
import { platformUp } from "../../infra/platform";
import { readPid, waitFor } from "../../infra/process";
import { setUpStreamTest, StreamTestEnv } from "../../harness/stream";
import {
  dedupedEventIds,
  FlinkCluster,
  flinkClusterFromEnv,
  flinkJobsSince,
  registeredTaskManagerIds,
  streamUntilLanded,
  taskManagersOfJob,
} from "./flink-support";
import { producePastListings } from "./flink-input";

const WINDOW_MS = 2000;

/** Waits for a stream job running on the cluster and kills (SIGKILL) a TaskManager that runs part of it. */
async function killTaskManagerMidJob(
  cluster: FlinkCluster,
  since: number,
): Promise<{ name: string; jid: string }> {
  let jid: string | undefined;
  const running = await waitFor(
    async () => {
      const jobs = await flinkJobsSince(cluster, since);
      jid = jobs.find((j) => j.name.includes("phonepipe-stream") && j.state === "RUNNING")?.jid;
      return jid !== undefined;
    },
    300_000,
    undefined,
    100,
  );
  assert.ok(running && jid, "no stream job reached RUNNING on the cluster");
  // Right after RUNNING the tasks may not be deployed yet ("(unassigned)").
  let name: string | undefined;
  const placed = await waitFor(
    async () =>
      (name = (await taskManagersOfJob(cluster, jid!)).find((h) => h.startsWith("taskmanager-"))) !==
      undefined,
    60_000,
    undefined,
    100,
  );
  assert.ok(placed && name, `job ${jid} was not placed on a TaskManager`);
  const pidFile = join(cluster.runDir, "pids", `${name}.pid`);
  const pid = readPid({ name, pidFile, logFile: "" });
  assert.ok(pid, `no pid in ${pidFile}`);
  process.kill(-pid, "SIGKILL");
  return { name, jid: jid! };
}

describe("a TaskManager killed mid-cycle", function () {
  this.timeout(1_200_000);
  const cluster = flinkClusterFromEnv();
  let env: StreamTestEnv;

  before(async () => {
    env = await setUpStreamTest(2, "tmk");
  });
  after(async () => {
    // Whatever happened, the cluster is whole again for the tests after this one.
    await platformUp(clusterFlinkServices(loadClusterConfig(loadConfig())));
    await env?.cleanup();
  });

  it("fails the job, the stream retries the cycle, and the landing matches an undisturbed run", async () => {
    const produced = await producePastListings(env, "tmk", 300, 3, WINDOW_MS);
    const want = dedupedEventIds(produced, WINDOW_MS);
    const where = { flinkMaster: cluster.master, workerPool: cluster.workerPool };
    const undisturbed = await streamUntilLanded(env, "undisturbed", where, want.length);

    const since = Date.now();
    let killed: { name: string; jid: string } | undefined;
    const disturbed = await streamUntilLanded(env, "tm-killed", where, want.length, async () => {
      killed = await killTaskManagerMidJob(cluster, since);
    });
    assert.ok(killed);
    const jobs = await flinkJobsSince(cluster, since);
    assert.equal(jobs.find((j) => j.jid === killed!.jid)?.state, "FAILED", JSON.stringify(jobs));
    assert.ok(disturbed.failedCycles >= 1, "the stream saw the cycle fail and retried it");

    const ids = (rows: typeof disturbed.rows) => rows.map((r) => r.event_id).sort();
    const counts = {
      produced: produced.length,
      expected: want.length,
      landed: disturbed.rows.length,
      duplicates: disturbed.rows.length - new Set(ids(disturbed.rows)).size,
    };
    console.log(
      JSON.stringify({
        event: "taskmanager_kill",
        killed: killed.name,
        ...counts,
        retries: disturbed.failedCycles,
      }),
    );
    assert.equal(counts.duplicates, 0);
    assert.equal(counts.landed, want.length);
    assert.deepEqual(ids(disturbed.rows), want);
    const project = (rows: typeof disturbed.rows) =>
      rows.map((r) => [r.url, r.scraped_at, r.event_id, r.price_egp]);
    assert.deepEqual(project(disturbed.rows), project(undisturbed.rows));

    await platformUp(clusterFlinkServices(loadClusterConfig(loadConfig())));
    assert.deepEqual(await registeredTaskManagerIds(cluster), ["taskmanager-1", "taskmanager-2"]);
  });
});
