/** What bench/stream/stream-phase.ts is told to run (one JSON argument). */
export interface StreamPhaseArgs {
  topic: string;
  dataDir: string;
  runDir: string;
  groupId: string;
  windowSeconds: number;
  graceMs: number;
  pollMs: number;
  maxRecordsPerPartition: number;
  shards: number;
  fxRatesToEgp: Record<string, number>;
  /** Bench-only: skip the listing normalizer (like-for-like with an engine that has none). */
  normalize: boolean;
  /** Rows to wait for before printing `landed` (0: a sustained run, the parent stops it). */
  expectRows: number;
}
