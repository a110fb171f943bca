/** Options of the micro-batch stream (`phonepipe stream`, the default source). */
import type { StreamJobOptions } from "../stream-pipeline";

export interface MicroBatchRunOptions extends Omit<StreamJobOptions, "topic"> {
  /** Topics to land, each a topic of the catalog (schemas/catalog.ts) or mapped to one by `contracts`. */
  topics: string[];
  /** Landing contract per topic whose name is not its contract's (e.g. prefixed topics, tests). */
  contracts?: Record<string, string>;
  cacheDir: string;
  runDir: string;
  flinkMaster: string;
  /**
   * host:port of a TypeScript SDK worker pool the jobs' TypeScript transforms run in (environment_type
   * EXTERNAL, e.g. beside a Flink session cluster's TaskManagers); unset: this process (LOOPBACK).
   */
  workerPool?: string;
  /** Use an already running Flink job server instead of starting one. */
  jobEndpoint?: string;
  groupId: string;
  parallelism: number;
  /** How long after a window's end the job waits for stragglers before landing it. */
  graceMs: number;
  /** How often an idle loop looks for new records. */
  pollMs: number;
  /** Records read per partition and cycle at most (bounds the job's size while catching up). */
  maxRecordsPerPartition: number;
  /** Offsets one element of the job's read stage covers at most (bounds a DoFn call's output; default 2,000). */
  maxRecordsPerRead?: number;
  metricsIntervalMs: number;
  /** Start from the state files (default) or from the consumer group's committed offsets / earliest. */
  resume: boolean;
  instance?: string;
  log?: (line: string) => void;
}

/** The landing contract `topic` carries (its own name unless `contracts` maps it). */
export function contractOf(o: Pick<MicroBatchRunOptions, "contracts">, topic: string): string {
  return o.contracts?.[topic] ?? topic;
}
