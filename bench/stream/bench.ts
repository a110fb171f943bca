/**
 * make bench-stream: throughput and freshness of the Flink stream job, next to a baseline
 * measured in the same run: one Node process, a kafkajs consumer doing the same decode → validate →
 * normalize → dedupe (event-time windows, latest per URL) → Parquet write.
 *
 * Throughput: both read the same N events (one burst produced before either starts; Kafka record time =
 * scraped_at = send time) from a fresh topic; N / (first record in → last landing file renamed into place),
 * job start-up excluded. Freshness: a trickle of 50 events/s produced while the Flink job runs; per event,
 * the landing file's rename time − its send time (includes the 5 s window and the watermark wait).
 * Memory: peak RSS of this Node process during each phase (the baseline; the stream job's driver and its
 * LOOPBACK TypeScript worker), sampled every 100 ms, and the Flink job server JVM's peak RSS (VmHWM).
 * The last line printed is one JSON object.
 */
import * as fs from "node:fs";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Type } from "avsc";
import { loadConfig } from "../../infra/config";
import { waitFor } from "../../infra/process";
import { RegistryClient } from "../../producers/registry";
import { encodeConfluent } from "../../producers/wire-format";
import { loadTopicSchema } from "../../schemas";
import { processListingRecord } from "../../transforms/stream/listing-hook";
import { shardOf } from "../../transforms/stream/dedupe";
import { LandingRow, latestPerKey } from "../../transforms/stream/topic-records";
import { topicSpec } from "../../schemas/catalog";
import {
  copyJsonToParquetSql,
  landingDir,
  landingFileName,
  windowStartOf,
} from "../../transforms/stream/landing";
import { ListingRow, toB64 } from "../../transforms/stream/records";
import { startMicroBatchStream } from "../../pipelines/run-micro-batch";
import { counters } from "../../pipelines/metrics";
import { stageTimesSnapshot } from "../../pipelines/stage-times";
import { setUpStreamTest, streamTestOptions } from "../../test/integration/stream/harness";
import { scenarioListing } from "../../test/integration/stream/scenarios";

const N = Number(process.env.PHONEPIPE_BENCH_EVENTS || 5000);
const URLS = Number(process.env.PHONEPIPE_BENCH_URLS || 1000);
const WINDOW_S = 5;
const SHARDS = 2;
const FX = { USD: 48.5 };

/** Samples this process's RSS every 100 ms until stopped; returns the peak in MB. */
function rssPeak(): () => number {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  t.unref();
  return () => {
    clearInterval(t);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
  };
}

/** Peak RSS (VmHWM) of another process in MB, or null when it is gone. */
function peakRssOf(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Rows of one DuckDB query on a fresh in-memory database. */
async function query<T>(sql: string): Promise<T[]> {
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  const rows = (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  conn.closeSync();
  return rows;
}

async function landedFreshness(
  dataDir: string,
  topic: string,
  sentAt: Map<string, number>,
): Promise<number[]> {
  const rows = await query<{ event_id: string; filename: string }>(
    `SELECT event_id, filename FROM read_parquet('${dataDir}/landing/${topic}/*/*.parquet', hive_partitioning = true, filename = true)`,
  );
  const out: number[] = [];
  const mtimes = new Map<string, number>();
  for (const r of rows) {
    let m = mtimes.get(r.filename);
    if (m === undefined) mtimes.set(r.filename, (m = statSync(r.filename).mtimeMs));
    const sent = sentAt.get(r.event_id);
    if (sent !== undefined) out.push(m - sent);
  }
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const cfg = loadConfig();
  // The integration tests' set-up: a fresh topic + DLQ, its schema registered, data and run dirs.
  const env = await setUpStreamTest(2, "bench");
  const { topic, schemaId, dataDir: streamDir, runDir } = env;
  const kafka = new Kafka({ brokers: cfg.kafkaBrokers, logLevel: logLevel.NOTHING });
  const type = loadTopicSchema("listings.scraped");
  const baseDir = mkdtempSync(join(tmpdir(), "pp-bench-base-"));
  try {
    // One burst of N events; the send time is the event time and the Kafka record time.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sentAt = new Map<string, number>();
    for (let i = 0; i < N; i += 500) {
      const t = Date.now();
      const messages = [];
      for (let j = i; j < Math.min(N, i + 500); j++) {
        const url = `https://noon.com/bench/${j % URLS}`;
        const v = scenarioListing(url, t, {
          event_id: createHash("sha256").update(`noon|${url}|${t}|${j}`).digest("hex"),
          title: `Samsung Galaxy A54 ${j % 2 ? "128GB" : "256GB"} Awesome Black`,
          price_text: `EGP ${15000 + (j % 900)}`,
          seller_name: "noon",
        });
        sentAt.set(String(v.event_id), t);
        messages.push({ key: url, value: encodeConfluent(schemaId, type.toBuffer(v)), timestamp: String(t) });
      }
      await producer.send({ topic, acks: -1, messages });
    }
    await producer.disconnect();
    console.log(`bench-stream: produced ${N} events to ${topic}`);

    // Baseline: one process, kafkajs consumer, same transforms, windows flushed as the event time passes them.
    const baselineRss = rssPeak();
    const writer = await (await DuckDBInstance.create(":memory:")).connect();
    const writerSchema = await new RegistryClient(cfg.registryUrl).schemaById(schemaId);
    const windows = new Map<number, ListingRow[]>();
    let consumed = 0;
    let firstIn = 0;
    let lastWrite = 0;
    const maxByPartition = new Map<number, number>();
    const flush = async (upTo: number) => {
      for (const [ws, rows] of [...windows]
        .filter(([w]) => w + WINDOW_S * 1000 <= upTo)
        .sort((a, b) => a[0] - b[0])) {
        windows.delete(ws);
        const byShard = new Map<number, ListingRow[]>();
        for (const r of rows) {
          const s = shardOf(r.url, SHARDS);
          byShard.set(s, [...(byShard.get(s) ?? []), r]);
        }
        for (const [shard, list] of byShard) {
          const kept = latestPerKey(list as unknown as LandingRow[], topicSpec("listings.scraped"));
          const dir = landingDir(baseDir, topic, ws);
          const staging = join(tmpdir(), `pp-bench-${ws}-${shard}.ndjson`);
          const now = Date.now();
          fs.mkdirSync(dir, { recursive: true });
          const ndjson = kept.map((r) => JSON.stringify({ ...r, ingested_at: now })).join("\n") + "\n";
          fs.writeFileSync(staging, ndjson);
          const tmp = join(dir, `.tmp-${landingFileName(ws, shard)}`);
          await writer.run(copyJsonToParquetSql(staging, tmp, topicSpec("listings.scraped")));
          fs.renameSync(tmp, join(dir, landingFileName(ws, shard)));
          rmSync(staging, { force: true });
          lastWrite = Date.now();
        }
      }
    };
    const consumer = kafka.consumer({ groupId: `bench-base-${topic}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const schemaFor = (id: number): Type | undefined => (id === schemaId ? writerSchema : undefined);
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (!firstIn) firstIn = Date.now();
        for (const m of batch.messages) {
          const out = processListingRecord(
            {
              topic,
              partition: batch.partition,
              offset: Number(m.offset),
              timestamp: Number(m.timestamp),
              keyB64: toB64(m.key),
              valueB64: toB64(m.value),
            },
            { schemaFor, fxRatesToEgp: FX, now: Date.now },
          );
          consumed++;
          if (!("row" in out)) continue;
          const ws = windowStartOf(out.row.scraped_at, WINDOW_S * 1000);
          windows.set(ws, [...(windows.get(ws) ?? []), out.row]);
          const prev = maxByPartition.get(batch.partition) ?? 0;
          if (out.row.scraped_at > prev) maxByPartition.set(batch.partition, out.row.scraped_at);
        }
        // Event-time watermark: the slowest partition's newest event (the topic has 2 partitions).
        const wm = maxByPartition.size < 2 ? 0 : Math.min(...maxByPartition.values());
        await flush(wm);
      },
    });
    await waitFor(async () => consumed >= N, 300_000, undefined, 50);
    await flush(Number.MAX_SAFE_INTEGER);
    await consumer.disconnect();
    const baselinePerS = N / ((lastWrite - firstIn) / 1000);
    const baselineRssMb = baselineRss();
    console.log(`bench-stream: baseline ${baselinePerS.toFixed(0)} events/s, peak RSS ${baselineRssMb} MB`);

    // The stream job (offset-range micro-batches on embedded [local] Flink, LOOPBACK TS worker), with the
    // CLI's defaults; job-server start-up excluded.
    const streamRss = rssPeak();
    const handle = await startMicroBatchStream(
      streamTestOptions({
        topics: [topic],
        contracts: { [topic]: "listings.scraped" },
        dataDir: streamDir,
        runDir,
        groupId: `bench-stream-${topic}`,
        instance: "bench",
        windowSeconds: WINDOW_S,
        graceMs: 3000,
        pollMs: 1000,
        maxRecordsPerPartition: 1000,
        shards: SHARDS,
        parallelism: 2,
        fxRatesToEgp: FX,
        resume: false,
      }),
    );
    let streamFirstIn = 0;
    const [{ n: expectedRows }] = await query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${baseDir}/landing/${topic}/*/*.parquet')`,
    );
    const streamLanded = async () => {
      if (!streamFirstIn && counters.records_in > 0) streamFirstIn = Date.now();
      return counters.landed_rows >= expectedRows;
    };
    await waitFor(streamLanded, 600_000, undefined, 50);
    const streamPerS = N / ((Date.now() - streamFirstIn) / 1000);
    console.log(
      `bench-stream: stream ${streamPerS.toFixed(0)} events/s; landed rows stream=${counters.landed_rows} baseline=${expectedRows}`,
    );

    console.log(`bench-stream: profile of the burst ${JSON.stringify(stageTimesSnapshot())}`);

    // Freshness: a steady trickle produced while the job runs (distinct URLs, so every event lands).
    const FRESH = Number(process.env.PHONEPIPE_BENCH_FRESH_EVENTS || 300);
    const freshSent = new Map<string, number>();
    const p2 = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await p2.connect();
    const landedBefore = counters.landed_rows;
    for (let i = 0; i < FRESH; i += 10) {
      const t = Date.now();
      const messages = [];
      for (let j = i; j < Math.min(FRESH, i + 10); j++) {
        const url = `https://noon.com/fresh/${j}`;
        const v = scenarioListing(url, t, {
          title: "Oppo Reno 8 256GB",
          price_text: "EGP 17,000",
          condition_text: "used",
        });
        freshSent.set(String(v.event_id), t);
        messages.push({ key: url, value: encodeConfluent(schemaId, type.toBuffer(v)), timestamp: String(t) });
      }
      await p2.send({ topic, acks: -1, messages });
      await new Promise((r) => setTimeout(r, 200)); // 50 events/s
    }
    await p2.disconnect();
    await waitFor(async () => counters.landed_rows >= landedBefore + FRESH, 300_000, undefined, 50);
    const jobServerRssMb = peakRssOf(handle.services[0].pid);
    await handle.stop();
    const streamRssMb = streamRss();
    const fresh = await landedFreshness(streamDir, topic, freshSent);
    console.log(
      JSON.stringify({
        events: N,
        urls: URLS,
        window_seconds: WINDOW_S,
        stream_events_per_s: Math.round(streamPerS),
        baseline_events_per_s: Math.round(baselinePerS),
        ratio: Number((streamPerS / baselinePerS).toFixed(3)),
        freshness_p50_ms: Math.round(pct(fresh, 50)),
        freshness_p95_ms: Math.round(pct(fresh, 95)),
        freshness_p99_ms: Math.round(pct(fresh, 99)),
        freshness_events: fresh.length,
        landed_rows: expectedRows,
        stream_node_peak_rss_mb: streamRssMb,
        flink_job_server_peak_rss_mb: jobServerRssMb,
        baseline_peak_rss_mb: baselineRssMb,
      }),
    );
  } finally {
    await env.cleanup();
    rmSync(baseDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
