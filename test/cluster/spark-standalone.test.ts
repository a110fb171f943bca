/**
 * `phonepipe backfill` on the cluster profile's Spark standalone cluster (master from PHONEPIPE_SPARK_MASTER_URL,
 * no flag) lands the same files and rows as the same backfill on local[2], and ran on the cluster's worker.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterConfig } from "../../infra/cluster/config";
import { fetchMasterState, sparkLayout } from "../../infra/cluster/spark";
import { stopStale } from "../../pipelines/services";
import { setUpStreamTest, StreamTestEnv } from "../../harness/stream";
import {
  backfill,
  clusterFromEnv,
  duplicates,
  landingView,
  produceListings,
  ProducedRange,
} from "./spark-harness";

describe("backfill on the Spark standalone cluster", function () {
  this.timeout(900_000);
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
    scratch = mkdtempSync(join(tmpdir(), "pp-cluster-spark-"));
    range = await produceListings(env, 400, 13, 50);
  });
  after(async () => {
    // A failed assertion can leave a backfill's job server running; end it.
    for (const name of ["local", "standalone"]) {
      if (scratch && env) await stopStale("spark", { runDir: dirs(name).runDir, cacheDir: env.cacheDir });
    }
    if (scratch && process.env.PHONEPIPE_KEEP_TEST_DIRS !== "1")
      rmSync(scratch, { recursive: true, force: true });
    await env?.cleanup();
  });

  it("lands the same files and rows as local[2], on the cluster's worker", async () => {
    const local = await backfill(env, range, dirs("local"), "local[2]");
    assert.equal(local.state, "DONE");
    const before = (await fetchMasterState(cc))?.completedApps.map((a) => a.id) ?? [];
    const standalone = await backfill(env, range, dirs("standalone"));
    assert.equal(standalone.state, "DONE");
    console.log(
      `      backfill of ${range.records} records: local[2] ${local.seconds} s, standalone ${standalone.seconds} s`,
    );

    const expected = await landingView(dirs("local").dataDir, env.topic);
    const got = await landingView(dirs("standalone").dataDir, env.topic);
    assert.equal(expected.rows.length, range.expectedRows, "local[2] rows");
    assert.equal(got.rows.length, range.expectedRows, "standalone rows");
    assert.equal(duplicates(got.rows), 0);
    assert.deepEqual(got.files, expected.files);
    assert.deepEqual(got.rows, expected.rows);

    // It ran on the cluster: the master lists one more finished application, and the worker ran its executor.
    const state = await fetchMasterState(cc);
    const apps = (state?.completedApps ?? []).filter((a) => !before.includes(a.id));
    assert.equal(apps.length, 1, `new completed applications: ${JSON.stringify(apps)}`);
    assert.equal(apps[0].state, "FINISHED");
    assert.ok(existsSync(join(sparkLayout(cc).workDir, apps[0].id)), `no executor dir for ${apps[0].id}`);
  });
});
