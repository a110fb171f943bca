/**
 * `phonepipe stream` (default source): the stream job as a loop of bounded offset-range micro-batches on the
 * Flink job server, for one or several topics (one Beam job per cycle, one branch per topic with new data).
 * Why micro-batches rather than KafkaIO's unbounded read: docs/decisions/0001-micro-batches-over-kafkaio.md.
 * Each cycle:
 *   1. reads the clock, then every partition's end offset, and the records from its `next_offset` (kafkajs);
 *   2. plans the cycle (transforms/stream/micro-batch.ts): windows that are closed land whole, records of open
 *      windows are held for the next cycle, late records land in their own files;
 *   3. writes the plan's ranges and clock into the topic's state file, then runs the one pipeline definition
 *      (stream-pipeline.ts: decode → validate → normalize → window → dedupe → Parquet, dead letters to the DLQ)
 *      bounded on Flink, with this process as the LOOPBACK TypeScript worker;
 *   4. when the job is DONE, persists the new offsets (state files first, then the consumer group's committed
 *      offsets so Kafka tools show the lag).
 * A crash before 4 replays the same cycle (same ranges, same clock) on restart, so the landing ends as an
 * uninterrupted run's would. SIGTERM lets the running cycle finish, then stops.
 *
 * The parts live in ./micro-batch: state-store (state files), cycle-planner (1–2), job-runner (3),
 * offset-committer (4, group offsets), loop (cycles, retries, stop).
 */
import { kafkaClient } from "../infra/kafka-client";
import { stopServices, RunningService } from "./services";
import { startMetricsLog } from "./metrics";
import { topicSpec } from "../schemas/catalog";
import { contractOf, MicroBatchRunOptions } from "./micro-batch/options";
import { StateStore } from "./micro-batch/state-store";
import { SharedAdmin } from "./micro-batch/kafka-admin";
import { OffsetCommitter } from "./micro-batch/offset-committer";
import { CyclePlanner } from "./micro-batch/cycle-planner";
import { JobRunner, startJobServer } from "./micro-batch/job-runner";
import { MicroBatchLoop } from "./micro-batch/loop";
import "./serialization";

export type { MicroBatchRunOptions } from "./micro-batch/options";
export { stateFileFor } from "./micro-batch/state-store";
export { StateMismatchError } from "./micro-batch/cycle-planner";

export interface MicroBatchHandle {
  /** Resolves with the final state: STOPPED after stop(), FAILED: … when the loop gave up. */
  done: Promise<string>;
  stop(): Promise<void>;
  services: RunningService[];
  stateFiles: Record<string, string>;
}

export async function startMicroBatchStream(o: MicroBatchRunOptions): Promise<MicroBatchHandle> {
  const log = o.log ?? ((l: string) => console.log(l));
  if (o.topics.length === 0) throw new Error("no topic to stream");
  for (const t of o.topics) topicSpec(contractOf(o, t)); // fail early on a topic outside the catalog
  const services: RunningService[] = [];
  const jobEndpoint = o.jobEndpoint ?? (await startJobServer(o, services));
  const kafka = kafkaClient(o.brokers, "phonepipe-stream");
  const store = new StateStore(o.dataDir, o.topics);
  const stopMetrics = startMetricsLog(o.metricsIntervalMs, log);
  const admin = new SharedAdmin(kafka);
  const committer = new OffsetCommitter(admin, o.groupId, log);
  const planner = new CyclePlanner(o, admin, store.files, log);
  const runner = new JobRunner(jobEndpoint, o);
  const loop = new MicroBatchLoop({ o, kafka, store, planner, runner, committer, log });
  const done = loop.run().then(
    (s) => s,
    (err: unknown) => `FAILED: ${(err as Error).message}`,
  );
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      loop.stop();
      await done;
      // The last offsets reach the consumer group before the process ends (bounded: lag is informative only).
      await committer.settle(30_000);
      await admin.close();
      stopMetrics();
      await stopServices(services);
    })());
  // A loop that ends by itself (FAILED) still releases the job server.
  void done.then(() => (loop.isStopping ? undefined : stop()));
  return { done, stop, services, stateFiles: store.files };
}
