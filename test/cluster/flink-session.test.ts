/**
 * The stream on the Flink session cluster (JobManager + two TaskManagers, separate JVMs) with its TypeScript
 * transforms in the external worker pool lands exactly what it lands on embedded Flink with a LOOPBACK
 * worker, for the same input: the deduplicated rows, nothing twice. And it really ran there: the cluster
 * reports the cycles' jobs finished, and the pool started the SDK workers that ran them.
 */
import assert from "node:assert/strict";
import { basename } from "node:path";
import { readDlq, setUpStreamTest, StreamTestEnv } from "../../harness/stream";
import { produceDedupeScenario } from "../../harness/stream-scenarios";
import {
  dedupedEventIds,
  flinkClusterFromEnv,
  flinkJobsSince,
  median,
  poolWorkersStarted,
  streamUntilLanded,
} from "./flink-support";
import { producePastListings } from "./flink-input";

const WINDOW_MS = 2000;

describe("stream on the Flink session cluster with the external worker pool", function () {
  this.timeout(900_000);
  const cluster = flinkClusterFromEnv();
  let env: StreamTestEnv;

  before(async () => {
    env = await setUpStreamTest(2, "cl");
  });
  after(async () => {
    await env?.cleanup();
  });

  it("lands exactly what embedded Flink lands, from jobs the cluster ran with the pool's workers", async () => {
    const scenario = await produceDedupeScenario(env, WINDOW_MS);
    const bulk = await producePastListings(env, "session", 40, 3, WINDOW_MS);
    const expectedIds = dedupedEventIds(bulk, WINDOW_MS);
    const expectedRows = expectedIds.length + scenario.expected.length;

    const since = Date.now();
    const workersBefore = poolWorkersStarted(cluster);
    const onCluster = await streamUntilLanded(
      env,
      "session",
      { flinkMaster: cluster.master, workerPool: cluster.workerPool },
      expectedRows,
    );
    const jobs = await flinkJobsSince(cluster, since);
    const workersStarted = poolWorkersStarted(cluster) - workersBefore;
    const embedded = await streamUntilLanded(env, "embedded", { flinkMaster: "[local]" }, expectedRows);

    const project = (rows: typeof onCluster.rows) =>
      rows.map((r) => [r.url, r.scraped_at, r.event_id, r.price_egp, basename(r.file)]);
    assert.equal(onCluster.rows.length, expectedRows, "rows landed on the cluster");
    assert.equal(new Set(onCluster.rows.map((r) => r.event_id)).size, expectedRows, "no duplicates");
    assert.deepEqual(project(onCluster.rows), project(embedded.rows));
    const bulkIds = new Set(expectedIds);
    assert.deepEqual(
      onCluster.rows
        .map((r) => r.event_id)
        .filter((id) => bulkIds.has(id))
        .sort(),
      expectedIds,
    );
    assert.deepEqual(
      onCluster.rows.filter((r) => !bulkIds.has(r.event_id)).map((r) => [r.url, r.scraped_at, r.price_egp]),
      scenario.expected,
    );
    // Each run dead-letters the scenario's three bad records once.
    const dlq = await readDlq(env, 6, 60_000);
    assert.equal(dlq.length, 6);

    const streamJobs = jobs.filter((j) => j.name.includes("phonepipe-stream"));
    assert.ok(streamJobs.length >= onCluster.jobMs.length, JSON.stringify(jobs));
    assert.deepEqual(
      streamJobs.filter((j) => j.state !== "FINISHED"),
      [],
      "every stream job on the cluster finished",
    );
    assert.ok(workersStarted >= streamJobs.length, `pool started ${workersStarted} workers`);
    console.log(
      JSON.stringify({
        event: "flink_session_timing",
        cluster_jobs: streamJobs.length,
        pool_workers_started: workersStarted,
        cluster_job_ms_median: median(onCluster.jobMs),
        cluster_flink_duration_ms_median: median(streamJobs.map((j) => j.duration)),
        embedded_job_ms_median: median(embedded.jobMs),
        cluster_job_ms: onCluster.jobMs,
        embedded_job_ms: embedded.jobMs,
      }),
    );
  });
});
