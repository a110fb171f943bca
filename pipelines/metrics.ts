/**
 * Stream-job counters, kept per process (LOOPBACK runs every TS DoFn in the submitting process) and logged
 * as one JSON line per interval: records in/out/dead-lettered per stage, landed rows and files, and event-time
 * lag (wall clock minus the newest scraped_at landed).
 */
export interface StreamCounters {
  records_in: number;
  rows_out: number;
  dead_decode: number;
  dead_validate: number;
  dead_normalize: number;
  dead_sink: number;
  dlq_produced: number;
  landed_rows: number;
  landed_files: number;
  max_event_time_landed: number;
  replay_skipped: number;
  /** Micro-batch source: cycles run, records held for an open window now, late records landed. */
  batches: number;
  held_records: number;
  late_records: number;
}

export const counters: StreamCounters = {
  records_in: 0,
  rows_out: 0,
  dead_decode: 0,
  dead_validate: 0,
  dead_normalize: 0,
  dead_sink: 0,
  dlq_produced: 0,
  landed_rows: 0,
  landed_files: 0,
  max_event_time_landed: 0,
  replay_skipped: 0,
  batches: 0,
  held_records: 0,
  late_records: 0,
};

export function countDead(stage: string): void {
  const key = `dead_${stage}` as keyof StreamCounters;
  if (key in counters) counters[key] += 1;
}

export function metricsLine(now: number = Date.now()): string {
  const lag = counters.max_event_time_landed > 0 ? now - counters.max_event_time_landed : null;
  return JSON.stringify({
    metric: "phonepipe_stream",
    at: new Date(now).toISOString(),
    ...counters,
    event_time_lag_ms: lag,
  });
}

/** Starts the periodic JSON log line; returns a stop function that logs a final line. */
export function startMetricsLog(
  intervalMs: number,
  log: (line: string) => void = (l) => console.log(l),
): () => void {
  const t = setInterval(() => log(metricsLine()), intervalMs);
  t.unref();
  return () => {
    clearInterval(t);
    log(metricsLine());
  };
}
