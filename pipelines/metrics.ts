/**
 * Stream-job counters, kept per process (LOOPBACK runs every TS DoFn in the submitting process) and logged
 * as one JSON line per interval: records in/out/dead-lettered per stage, landed rows and files, and event-time
 * lag (wall clock minus the newest scraped_at landed).
 */
import { stageTimesSnapshot } from "./stage-times";

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
    stage_ms: stageTimesSnapshot(),
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

/** HELP text of each counter in the Prometheus exposition (same names, `phonepipe_stream_` prefix). */
const PROMETHEUS_HELP: Record<keyof StreamCounters, string> = {
  records_in: "Kafka records entering decode",
  rows_out: "rows that passed decode, validation and normalization",
  dead_decode: "records dead-lettered at decode",
  dead_validate: "records dead-lettered at validation",
  dead_normalize: "records dead-lettered at normalization",
  dead_sink: "records dead-lettered at the sink",
  dlq_produced: "dead letters acknowledged by the DLQ topic",
  landed_rows: "rows written to landing Parquet files",
  landed_files: "landing Parquet files written",
  max_event_time_landed: "newest event time landed (epoch ms)",
  replay_skipped: "records skipped on replay (their window was landed before)",
  batches: "micro-batch cycles run",
  held_records: "records held for a window that is still open",
  late_records: "late records landed in their own files",
};

const GAUGES = new Set<keyof StreamCounters>(["max_event_time_landed", "held_records"]);

/** The counters in Prometheus' text exposition format (version 0.0.4), plus the event-time lag gauge. */
export function prometheusText(c: StreamCounters = counters, now: number = Date.now()): string {
  const lines: string[] = [];
  for (const key of Object.keys(PROMETHEUS_HELP) as Array<keyof StreamCounters>) {
    const gauge = GAUGES.has(key);
    const name = `phonepipe_stream_${key}${gauge ? "" : "_total"}`;
    lines.push(`# HELP ${name} ${PROMETHEUS_HELP[key]}`, `# TYPE ${name} ${gauge ? "gauge" : "counter"}`);
    lines.push(`${name} ${c[key]}`);
  }
  if (c.max_event_time_landed > 0) {
    lines.push(
      "# HELP phonepipe_stream_event_time_lag_ms wall clock minus the newest event time landed",
      "# TYPE phonepipe_stream_event_time_lag_ms gauge",
      `phonepipe_stream_event_time_lag_ms ${now - c.max_event_time_landed}`,
    );
  }
  return lines.join("\n") + "\n";
}
