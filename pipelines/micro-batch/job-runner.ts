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

/** Whether the jobs run on a Flink cluster (rather than the job server's embedded Flink). */
export function isRemoteFlink(flinkMaster: string): boolean {
  return !/^\[(local|auto|collection)\]$/.test(flinkMaster);
}

/** A Flink cluster on this machine: the cluster profile's, whose JVMs run from the job server's classpath. */
export function isFlinkOnThisMachine(flinkMaster: string): boolean {
  return isRemoteFlink(flinkMaster) && /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(flinkMaster);
}

/**
 * The job's pipeline options. To a cluster Beam's Flink runner uploads the job server's whole classpath (148
 * jars, 170 MB) with every job when filesToStage is unset. The cluster profile's processes run from that very
 * classpath, so to a Flink on this machine the job ships no jars; a cluster elsewhere gets Beam's default,
 * since its TaskManagers may not carry Beam's runner classes.
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
    ...(isFlinkOnThisMachine(o.flinkMaster) ? { filesToStage: [] } : {}),
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
