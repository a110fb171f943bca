/**
 * Where a stream job's time goes, per process: wall time and calls of each DoFn stage and each blocking I/O
 * call, accumulated since start. Logged with the counters (pipelines/metrics.ts) and printed by the stream
 * benchmark's profile, so a slow cycle can be attributed to Beam/Flink, the DoFns or the I/O they wait on.
 */
export interface StageTime {
  calls: number;
  ms: number;
}

export const stageTimes: Record<string, StageTime> = {};

/** Adds one call of `stage` that started at `startedMs` (performance.now()). */
export function addStageTime(stage: string, startedMs: number): void {
  const t = (stageTimes[stage] ??= { calls: 0, ms: 0 });
  t.calls += 1;
  t.ms += performance.now() - startedMs;
}

/** Runs `fn`, counting its wall time under `stage`. */
export function timed<T>(stage: string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    addStageTime(stage, t0);
  }
}

/** The stage times rounded to ms, for a log line. */
export function stageTimesSnapshot(): Record<string, StageTime> {
  const out: Record<string, StageTime> = {};
  for (const [k, v] of Object.entries(stageTimes)) out[k] = { calls: v.calls, ms: Math.round(v.ms) };
  return out;
}
