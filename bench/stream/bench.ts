/**
 * make bench-stream: phonepipe's stream (offset-range micro-batches on embedded Flink) against
 *  - a single-process baseline (one kafkajs consumer doing the same work, ./baseline.ts), and
 *  - the seed's engine, Spark Structured Streaming on local[2] (./spark_ss/peer.py), like-for-like against a
 *    run of phonepipe's stream with the listing normalizer switched off (the peer has none),
 * all on the same topic and the same events, in one run. Then (unless PHONEPIPE_BENCH_QUICK=1) a 50,000-event
 * burst (peak RSS per process) and a sustained run stepped up in rate until the lag stops being bounded.
 *
 * Bursts: events with event times in the past (every window closed), produced before any engine starts;
 * throughput = events / (engine started [job server / SparkSession up] → last expected row landed). Each stream
 * run is its own process (./stream-phase.ts) so its peak RSS is its own. The last line is one JSON object.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Kafka } from "kafkajs";
import { kafkaClient } from "../../infra/kafka-client";
import { loadConfig } from "../../infra/config";
import { loadTopicSchema } from "../../schemas";
import { setUpStreamTest, StreamTestEnv } from "../../harness/stream";
import { runBaseline } from "./baseline";
import { BenchTopic, produceBurst, produceSentinel } from "./produce";
import { loadAvg1m } from "./rss";
import { runSparkPeer, SparkPeerResult } from "./spark-peer";
import { startStreamChild, StreamDone } from "./stream-runner";
import { runSustained, SustainedStep } from "./sustained";
import type { StreamPhaseArgs } from "./stream-args";

const N = Number(process.env.PHONEPIPE_BENCH_EVENTS || 5000);
const N_LARGE = Number(process.env.PHONEPIPE_BENCH_LARGE_EVENTS || 50_000);
const URLS = Number(process.env.PHONEPIPE_BENCH_URLS || 1000);
const QUICK = process.env.PHONEPIPE_BENCH_QUICK === "1";
const RATES = (process.env.PHONEPIPE_BENCH_RATES || (QUICK ? "1000" : "1000,2500,5000,7500,10000"))
  .split(",")
  .map(Number);
const SUSTAINED_S = Number(process.env.PHONEPIPE_BENCH_SUSTAINED_S || (QUICK ? 30 : 60));
const WINDOW_S = 5;
const GRACE_MS = 3000;
const SHARDS = 2;
const FX = { USD: 48.5 };
const BURST = { spanMs: 4 * WINDOW_S * 1000, agoMs: 60_000, windowMs: WINDOW_S * 1000 };

const log = (line: string) => console.log(line);
const LOG_DIR = join(process.env.PHONEPIPE_ROOT ?? process.cwd(), "run", "bench-stream");

/** Where a stream or peer run's own log goes (its stderr), one file per run. */
function logTo(tag: string): (line: string) => void {
  mkdirSync(LOG_DIR, { recursive: true });
  const file = join(LOG_DIR, `${tag}.log`);
  writeFileSync(file, "");
  return (line) => appendFileSync(file, line + "\n");
}

function streamArgs(env: StreamTestEnv, groupId: string, over: Partial<StreamPhaseArgs>): StreamPhaseArgs {
  return {
    topic: env.topic,
    dataDir: env.dataDir,
    runDir: env.runDir,
    groupId,
    windowSeconds: WINDOW_S,
    graceMs: GRACE_MS,
    pollMs: Number(process.env.PHONEPIPE_BENCH_POLL_MS || 1000),
    maxRecordsPerPartition: Number(process.env.PHONEPIPE_BENCH_MAX_BATCH || 10_000),
    shards: SHARDS,
    fxRatesToEgp: FX,
    normalize: true,
    expectRows: 0,
    ...over,
  };
}

interface BurstRun {
  eventsPerS: number;
  done: StreamDone;
}

/** One stream process over the whole burst: events/s from its start to `expectRows` landed. */
async function streamBurst(
  env: StreamTestEnv,
  events: number,
  expectRows: number,
  normalize: boolean,
  tag: string,
): Promise<BurstRun> {
  const child = startStreamChild(
    streamArgs(env, `bench-${tag}-${env.topic}`, { expectRows, normalize, dataDir: join(env.dataDir, tag) }),
    logTo(tag),
  );
  await child.started;
  const { ms, stage_ms } = await child.landed();
  const done = await child.stop();
  const eventsPerS = events / (ms / 1000);
  log(
    `bench-stream: ${tag}: ${Math.round(eventsPerS)} events/s (${ms} ms; load ${loadAvg1m()}) stages ${JSON.stringify(stage_ms)}`,
  );
  return { eventsPerS, done };
}

async function benchTopic(env: StreamTestEnv, kafka: Kafka): Promise<BenchTopic> {
  return { kafka, topic: env.topic, schemaId: env.schemaId, type: loadTopicSchema("listings.scraped") };
}

async function burst5k(kafka: Kafka, registryUrl: string) {
  const env = await setUpStreamTest(2, "bench");
  try {
    const t = await benchTopic(env, kafka);
    const { newest, expectedRows } = await produceBurst(t, N, { urls: URLS, ...BURST });
    log(
      `bench-stream: produced ${N} events (${expectedRows} (window, url) pairs) to ${t.topic}; load ${loadAvg1m()}`,
    );
    const base = await runBaseline(t, N, {
      registryUrl,
      windowSeconds: WINDOW_S,
      shards: SHARDS,
      fxRatesToEgp: FX,
    });
    log(
      `bench-stream: baseline ${Math.round(base.eventsPerS)} events/s, ${base.landedRows} rows, peak RSS ${base.peakRssMb} MB`,
    );
    if (base.landedRows !== expectedRows)
      throw new Error(`baseline landed ${base.landedRows} rows, expected ${expectedRows}`);
    const stream = await streamBurst(env, N, expectedRows, true, "stream");
    const plain = await streamBurst(env, N, expectedRows, false, "stream-no-normalize");
    await produceSentinel(t, newest, 60_000);
    let spark: SparkPeerResult | null = null;
    try {
      spark = await runSparkPeer(
        process.env.PHONEPIPE_ROOT ?? process.cwd(),
        {
          brokers: env.brokers,
          topic: t.topic,
          windowSeconds: WINDOW_S,
          watermarkSeconds: GRACE_MS / 1000,
          expectedRows,
        },
        logTo("spark-peer"),
      );
      log(
        `bench-stream: Spark Structured Streaming ${Math.round(spark.events_per_s)} events/s (start-up ${spark.startup_s} s; load ${loadAvg1m()})`,
      );
    } catch (err) {
      log(`bench-stream: Spark peer not measured: ${(err as Error).message}`);
    }
    return { expectedRows, base, stream, plain, spark };
  } finally {
    await env.cleanup();
  }
}

async function burst50k(kafka: Kafka): Promise<BurstRun> {
  const env = await setUpStreamTest(2, "bench");
  try {
    const t = await benchTopic(env, kafka);
    const { expectedRows } = await produceBurst(t, N_LARGE, { urls: URLS, ...BURST });
    log(
      `bench-stream: produced ${N_LARGE} events (${expectedRows} (window, url) pairs); load ${loadAvg1m()}`,
    );
    return await streamBurst(env, N_LARGE, expectedRows, true, "stream-50k");
  } finally {
    await env.cleanup();
  }
}

/** Rates stepped up on one stream (the CLI's window and grace unless `over` says otherwise). */
async function sustained(
  kafka: Kafka,
  rates: number[],
  over: Partial<StreamPhaseArgs> = {},
): Promise<{ steps: SustainedStep[]; done: StreamDone }> {
  const env = await setUpStreamTest(2, "bench");
  try {
    const t = await benchTopic(env, kafka);
    const child = startStreamChild(
      streamArgs(env, `bench-sustained-${env.topic}`, over),
      logTo(`sustained-w${over.windowSeconds ?? WINDOW_S}`),
    );
    await child.started;
    const steps = await runSustained(t, child, env.dataDir, rates, SUSTAINED_S, log);
    return { steps, done: await child.stop() };
  } finally {
    await env.cleanup();
  }
}

async function main(): Promise<void> {
  const cfg = loadConfig();
  const kafka = kafkaClient(cfg.kafkaBrokers, "phonepipe-bench");
  const loadStart = loadAvg1m();
  log(`bench-stream: load average ${loadStart} at start (${QUICK ? "quick: 5,000-event part" : "full"})`);
  const b = await burst5k(kafka, cfg.registryUrl);
  const large = QUICK ? null : await burst50k(kafka);
  const sus = await sustained(kafka, RATES);
  // The freshness floor is window + grace: the same 1,000 events/s with 1 s windows, 1 s grace, 250 ms poll.
  log("bench-stream: sustained, low-latency settings (--window-seconds 1 --grace-ms 1000 --poll-ms 250)");
  const fast = await sustained(kafka, [1000], { windowSeconds: 1, graceMs: 1000, pollMs: 250 });
  const at1000 = sus.steps.find((s) => s.rate === 1000);
  const bounded = sus.steps.filter((s) => s.bounded).map((s) => s.rate);
  const rss = (d: StreamDone) => ({
    stream_node: d.node_peak_rss_mb,
    flink_job_server: d.job_server_peak_rss_mb,
  });
  console.log(
    JSON.stringify({
      events: N,
      urls: URLS,
      window_seconds: WINDOW_S,
      landed_rows: b.expectedRows,
      stream_events_per_s: Math.round(b.stream.eventsPerS),
      baseline_events_per_s: Math.round(b.base.eventsPerS),
      ratio: Number((b.stream.eventsPerS / b.base.eventsPerS).toFixed(3)),
      freshness_p50_ms: at1000?.freshness_p50_ms ?? null,
      freshness_p99_ms: at1000?.freshness_p99_ms ?? null,
      stream_no_normalize_events_per_s: Math.round(b.plain.eventsPerS),
      spark_ss_events_per_s: b.spark ? Math.round(b.spark.events_per_s) : null,
      ratio_vs_spark: b.spark ? Number((b.plain.eventsPerS / b.spark.events_per_s).toFixed(3)) : null,
      burst50k_events: large ? N_LARGE : null,
      burst50k_events_per_s: large ? Math.round(large.eventsPerS) : null,
      peak_rss_mb: {
        burst5k: {
          ...rss(b.stream.done),
          baseline_node: b.base.peakRssMb,
          spark_jvm: b.spark?.jvm_peak_rss_mb ?? null,
          spark_python: b.spark?.python_peak_rss_mb ?? null,
        },
        burst50k: large ? rss(large.done) : null,
        sustained: rss(sus.done),
      },
      sustained_seconds: SUSTAINED_S,
      sustained_max_events_per_s: bounded.length > 0 ? Math.max(...bounded) : 0,
      sustained_freshness_p99_ms: at1000?.freshness_p99_ms ?? null,
      sustained_steps: sus.steps,
      sustained_low_latency: { window_seconds: 1, grace_ms: 1000, poll_ms: 250, ...fast.steps[0] },
      load_avg_1m: { start: loadStart, end: loadAvg1m() },
    }),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
