/**
 * One run of phonepipe's stream for the stream benchmark, as its own process so its peak RSS is its own:
 * starts the micro-batch stream (embedded Flink job server, this process as the LOOPBACK TypeScript worker) on
 * one topic, and prints JSON lines on stdout:
 *   {"event":"started"}                      once the job server is up (the clock of a burst starts here);
 *   {"event":"progress","landed_rows":N}     every 250 ms;
 *   {"event":"landed","rows":N,"ms":…}        when `expectRows` rows have landed (bursts only);
 *   {"event":"done", …peak RSS…}              after stdin closes (the parent's stop signal) and the stream stops.
 * Argument: one JSON object of StreamPhaseArgs.
 */
import { startMicroBatchStream } from "../../pipelines/run-micro-batch";
import { counters } from "../../pipelines/metrics";
import { stageTimesSnapshot } from "../../pipelines/stage-times";
import { waitFor } from "../../infra/process";
import { streamTestOptions } from "../../harness/stream";
import { peakRssMb } from "./rss";
import type { StreamPhaseArgs } from "./stream-args";

function emit(o: object): void {
  process.stdout.write(JSON.stringify(o) + "\n");
}

async function main(a: StreamPhaseArgs): Promise<void> {
  const handle = await startMicroBatchStream(
    streamTestOptions({
      topics: [a.topic],
      contracts: { [a.topic]: "listings.scraped" },
      dataDir: a.dataDir,
      runDir: a.runDir,
      groupId: a.groupId,
      instance: "bench",
      windowSeconds: a.windowSeconds,
      graceMs: a.graceMs,
      pollMs: a.pollMs,
      maxRecordsPerPartition: a.maxRecordsPerPartition,
      shards: a.shards,
      parallelism: 2,
      fxRatesToEgp: a.fxRatesToEgp,
      normalize: a.normalize,
      resume: false,
      metricsIntervalMs: 3_600_000,
      log: (line) => process.stderr.write(line + "\n"),
    }),
  );
  const started = Date.now();
  emit({ event: "started", at: started, job_server_pid: handle.services[0]?.pid ?? null });
  const progress = setInterval(() => emit({ event: "progress", landed_rows: counters.landed_rows }), 250);
  const stdinClosed = new Promise<void>((done) => {
    process.stdin.on("end", done).on("close", done).resume();
  });
  if (a.expectRows > 0) {
    if (!(await waitFor(async () => counters.landed_rows >= a.expectRows, 900_000, undefined, 20))) {
      await handle.stop(); // the job server runs detached: never leave it behind
      throw new Error(`only ${counters.landed_rows} of ${a.expectRows} rows landed in 15 minutes`);
    }
    emit({
      event: "landed",
      rows: counters.landed_rows,
      ms: Date.now() - started,
      stage_ms: stageTimesSnapshot(),
    });
  }
  await stdinClosed;
  clearInterval(progress);
  const jobServerPid = handle.services[0]?.pid;
  const jobServerRss = jobServerPid ? peakRssMb(jobServerPid) : null;
  await handle.stop();
  emit({
    event: "done",
    landed_rows: counters.landed_rows,
    node_peak_rss_mb: peakRssMb("self"),
    job_server_peak_rss_mb: jobServerRss,
    stage_ms: stageTimesSnapshot(),
  });
}

if (require.main === module)
  main(JSON.parse(process.argv[2]) as StreamPhaseArgs).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
