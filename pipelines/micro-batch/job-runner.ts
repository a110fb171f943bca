/**
 * Runs a cycle's Beam job: one bounded pipeline with a branch per topic (read the planned offsets → the stream
 * pipeline → landing), submitted to the Flink job server with this process as the LOOPBACK TypeScript worker,
 * or with the TypeScript transforms in an external worker pool (`workerPool`) beside a Flink cluster.
 */
import * as beam from "apache-beam";
import { join } from "node:path";
import { finalJobState, PortableRunner } from "../beam-sdk";
import { ExternalPoolRunner } from "../external-environment";
import { watchJobErrors } from "../job-messages";
import { batchesToLanding, readOffsetBatchesFromKafka, StreamJobOptions } from "../stream-pipeline";
import { startService, RunningService } from "../services";
import { readsForOffsets } from "../../transforms/stream/offset-reads";
import { contractOf, MicroBatchRunOptions } from "./options";
import type { PlannedCycle } from "./cycle-planner";
import "../serialization";

/** Starts the Flink job server the stream's jobs run on, adding it to `services`; returns its endpoint. */
export async function startJobServer(o: MicroBatchRunOptions, services: RunningService[]): Promise<string> {
  const service = await startService("flink", {
    cacheDir: o.cacheDir,
    runDir: o.runDir,
    flinkMaster: o.flinkMaster,
    workDir: join(o.runDir, "stream"),
    instance: o.instance,
  });
  services.push(service);
  return service.endpoint;
}

/**
 * The job's pipeline options. To a Flink cluster the Beam job server ships its whole classpath (148 jars,
 * 170 MB) with every job whatever filesToStage says (its job invoker detects them itself): see
 * docs/cluster.md for what that costs per job.
 */
export function jobOptions(
  o: MicroBatchRunOptions,
  jobEndpoint: string,
  jobName: string,
): Record<string, unknown> {
  return {
    jobEndpoint,
    environmentType: o.workerPool ? "EXTERNAL" : "LOOPBACK",
    parallelism: o.parallelism,
    jobName,
  };
}

function portableRunner(
  jobEndpoint: string,
  o: MicroBatchRunOptions,
  jobName: string,
): InstanceType<typeof PortableRunner> {
  const options = jobOptions(o, jobEndpoint, jobName) as { jobEndpoint: string };
  return o.workerPool ? new ExternalPoolRunner(options, o.workerPool) : new PortableRunner(options);
}

export class JobRunner {
  constructor(
    private readonly jobEndpoint: string,
    private readonly o: MicroBatchRunOptions,
  ) {}

  /** Runs the job landing every cycle's planned records; resolves when it is DONE, throws otherwise. */
  async run(cycles: PlannedCycle[], cycle: number): Promise<void> {
    const o = this.o;
    const runner = portableRunner(this.jobEndpoint, o, `phonepipe-stream-${cycle}`);
    const result = await runner.runAsync((root: beam.Root) => {
      for (const c of cycles) {
        const reads = readsForOffsets(c.plan.land, o.maxRecordsPerRead ?? 2000);
        const opts: StreamJobOptions = {
          ...o,
          topic: c.topic,
          contract: contractOf(o, c.topic),
          lateWindowsBefore: c.plan.lateBefore,
        };
        // A composite per topic: its stages get unique names (one job holds every topic's branch).
        root.apply(
          beam.withName(`land ${c.topic}`, (r: beam.Root) =>
            batchesToLanding(readOffsetBatchesFromKafka(r, reads, c.topic, o.brokers), opts),
          ),
        );
      }
    });
    const errors = watchJobErrors(result);
    const state = await finalJobState(result as unknown as Parameters<typeof finalJobState>[0]);
    const why = errors.errors()[0];
    if (state !== "DONE") throw new Error(`micro-batch job ${cycle} ended ${state}${why ? `: ${why}` : ""}`);
  }
}
