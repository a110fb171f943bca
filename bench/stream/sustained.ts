/**
 * Sustained load for the stream benchmark: `seconds` at a fixed rate, stepped up while the stream keeps up.
 * A step has bounded lag when every event lands within the drain time after production stops and the
 * freshness does not grow during the step: the median freshness of the last 15 s of sends is at most 3 s above
 * that of sends 10–25 s in (a stream falling behind shows freshness climbing with time). Freshness per event
 * = its landing file's rename time − its send time (= its event time).
 */
import { statSync } from "node:fs";
import { pct } from "./rss";
import { query } from "./baseline";
import { producePaced, BenchTopic } from "./produce";
import type { StreamChild } from "./stream-runner";

export interface SustainedStep {
  rate: number;
  produced: number;
  landed_all: boolean;
  pacing_behind_ms: number;
  freshness_p50_ms: number;
  freshness_p99_ms: number;
  early_median_ms: number;
  late_median_ms: number;
  bounded: boolean;
}

/** [send time, freshness ms] of every landed event of `sent`, by send time. */
async function freshness(dataDir: string, topic: string, sent: Map<string, number>): Promise<number[][]> {
  const rows = await query<{ event_id: string; filename: string }>(
    `SELECT event_id, filename FROM read_parquet('${dataDir}/landing/${topic}/*/*.parquet', filename = true)`,
  );
  const mtimes = new Map<string, number>();
  const out: number[][] = [];
  for (const r of rows) {
    const at = sent.get(r.event_id);
    if (at === undefined) continue;
    let m = mtimes.get(r.filename);
    if (m === undefined) mtimes.set(r.filename, (m = statSync(r.filename).mtimeMs));
    out.push([at, m - at]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function medianOf(values: number[]): number {
  return pct(
    [...values].sort((a, b) => a - b),
    50,
  );
}

async function step(
  t: BenchTopic,
  stream: StreamChild,
  dataDir: string,
  rate: number,
  seconds: number,
): Promise<SustainedStep> {
  const before = stream.landedRows();
  const { sent, behindMs } = await producePaced(t, `rate${rate}`, rate, seconds);
  const landedAll = await stream.waitLanded(before + sent.size, 30_000);
  const f = await freshness(dataDir, t.topic, sent);
  const t0 = f.length > 0 ? f[0][0] : 0;
  const early = f.filter(([at]) => at - t0 >= 10_000 && at - t0 < 25_000).map(([, ms]) => ms);
  const late = f.filter(([at]) => at - t0 >= (seconds - 15) * 1000).map(([, ms]) => ms);
  const all = f.map(([, ms]) => ms).sort((a, b) => a - b);
  const earlyMedian = medianOf(early);
  const lateMedian = medianOf(late);
  return {
    rate,
    produced: sent.size,
    landed_all: landedAll,
    pacing_behind_ms: behindMs,
    freshness_p50_ms: Math.round(pct(all, 50)),
    freshness_p99_ms: Math.round(pct(all, 99)),
    early_median_ms: Math.round(earlyMedian),
    late_median_ms: Math.round(lateMedian),
    // Pacing that fell a second behind means the producer, not the stream, set the rate: not a valid step.
    bounded: landedAll && lateMedian - earlyMedian <= 3000 && behindMs < 1000,
  };
}

/** Runs the steps in order until one is not bounded; returns every step run. */
export async function runSustained(
  t: BenchTopic,
  stream: StreamChild,
  dataDir: string,
  rates: number[],
  seconds: number,
  log: (line: string) => void,
): Promise<SustainedStep[]> {
  const steps: SustainedStep[] = [];
  for (const rate of rates) {
    const s = await step(t, stream, dataDir, rate, seconds);
    log(`bench-stream: sustained ${JSON.stringify(s)}`);
    steps.push(s);
    if (!s.bounded) break;
  }
  return steps;
}
