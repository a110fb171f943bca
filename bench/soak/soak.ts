/**
 * make bench-soak: the stream on the cluster profile (Flink session cluster, external worker pool, three
 * Kafka nodes) under a steady rate of listings for PHONEPIPE_SOAK_SECONDS (600), sampling the RSS of every
 * process each 10 s. Prints each process's growth after the two-minute warm-up (target ≤ 20 %), the consumer
 * lag at the end, and one JSON line. Run it alone on the machine; the load average is printed with it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { kafkaClient } from "../../infra/kafka-client";
import { loadConfig } from "../../infra/config";
import { loadClusterConfig } from "../../infra/cluster/config";
import { waitFor } from "../../infra/process";
import { openAvroProducer, ProducedRecord } from "../../producers/avro-producer";
import { growthAfter, pidsIn, rssMb, Sample } from "./rss-sampler";

const TOPIC = "listings.scraped";
const GROUP = "phonepipe-soak";
const SAMPLE_MS = 10_000;
const TICK_MS = 100;

function envNumber(name: string, fallback: number): number {
  const n = Number(process.env[name] || fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${process.env[name]} is not a positive number`);
  return n;
}

function loadAvg(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

/** A listing observation; 5,000 URLs repeat so the dedupe works as in production. */
function listing(i: number): ProducedRecord {
  const url = `https://noon.com/soak/${i % 5000}`;
  const t = Date.now();
  return {
    key: url,
    value: {
      event_id: createHash("sha256").update(`soak|${i}|${t}`).digest("hex"),
      source: "noon",
      source_domain: "noon.com",
      source_type: "competitor",
      url,
      title: `Samsung Galaxy A54 ${i % 2 ? "128GB" : "256GB"} Awesome Black`,
      price_text: `EGP ${15_000 + (i % 900)}`,
      currency_hint: "EGP",
      seller_name: "noon",
      condition_text: "new",
      availability: "in_stock",
      scraped_at: t,
      raw: {},
    },
  };
}

async function lagAtEnd(brokers: string[]): Promise<number> {
  const admin = kafkaClient(brokers, "phonepipe-soak").admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const [committed] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    const done = new Map(committed.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    return ends.reduce((sum, p) => sum + Number(p.offset) - (done.get(p.partition) ?? 0), 0);
  } finally {
    await admin.disconnect();
  }
}

async function landedRows(dataDir: string): Promise<number> {
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  try {
    const r = await conn.runAndReadAll(
      `SELECT count(*)::BIGINT AS n FROM read_parquet('${dataDir}/landing/${TOPIC}/*/*.parquet')`,
    );
    return Number((r.getRowObjectsJson()[0] as { n: string }).n);
  } finally {
    conn.closeSync();
  }
}

async function main(): Promise<void> {
  const cfg = loadConfig();
  const cc = loadClusterConfig(cfg);
  const seconds = envNumber("PHONEPIPE_SOAK_SECONDS", 600);
  const rate = envNumber("PHONEPIPE_SOAK_RATE", 200);
  const warmS = Math.min(120, seconds / 5);
  const work = join(cfg.root, "run", "bench-soak");
  rmSync(work, { recursive: true, force: true });
  const dataDir = join(work, "data");
  const runDir = join(work, "run");
  mkdirSync(runDir, { recursive: true });
  console.log(
    `soak: ${rate} listings/s for ${seconds} s on ${cfg.kafkaBrokers.join(",")}; load ${loadAvg()}`,
  );

  const log = openSync(join(work, "stream.log"), "a");
  const stream = spawn(
    process.execPath,
    [join(cfg.root, "dist", "cli", "main.js"), "stream", "--topic", TOPIC, "--group-id", GROUP],
    {
      env: { ...process.env, PHONEPIPE_DATA_DIR: dataDir, PHONEPIPE_RUN_DIR: runDir },
      stdio: ["ignore", log, log],
    },
  );
  const sink = await openAvroProducer({ clientId: "phonepipe-soak" });
  const samples: Sample[] = [];
  const t0 = Date.now();
  const sample = (): void => {
    const pids = pidsIn([join(cc.runDir, "pids"), join(runDir, "stream")]);
    if (stream.pid) pids.set("stream-driver", stream.pid);
    const rss: Record<string, number | null> = {};
    for (const [name, pid] of pids) rss[name] = rssMb(pid);
    samples.push({ atS: Math.round((Date.now() - t0) / 1000), rssMb: rss });
    const total = Object.values(rss).reduce<number>((s, v) => s + (v ?? 0), 0);
    console.log(
      `soak: t=${samples[samples.length - 1].atS}s produced ${sink.sent} rss total ${total} MB load ${loadAvg()}`,
    );
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  let i = 0;
  try {
    while (Date.now() - t0 < seconds * 1000) {
      if (stream.exitCode !== null)
        throw new Error(`the stream exited (${stream.exitCode}); see ${work}/stream.log`);
      const due = Math.floor(((Date.now() - t0) / 1000) * rate);
      const batch: ProducedRecord[] = [];
      while (i < due) batch.push(listing(i++));
      if (batch.length) await sink.send(TOPIC, batch);
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    sample();
  } finally {
    clearInterval(sampler);
    await sink.close();
  }
  const produced = i;
  await waitFor(async () => (await lagAtEnd(cfg.kafkaBrokers)) === 0, 60_000, undefined, 1000);
  const lag = await lagAtEnd(cfg.kafkaBrokers);
  const exited = new Promise((r) => stream.once("exit", r));
  stream.kill("SIGTERM");
  await exited;
  const landed = await landedRows(dataDir);
  const growth = growthAfter(samples, warmS);
  console.log(`\nprocess              RSS at ${warmS} s   RSS at end   growth`);
  for (const [name, g] of Object.entries(growth)) {
    const pctText = g.growth === null ? "n/a" : `${(g.growth * 100).toFixed(1)} %`;
    console.log(
      `${name.padEnd(20)} ${String(g.rssWarmMb ?? "-").padStart(8)} MB ${String(g.rssEndMb ?? "-").padStart(8)} MB   ${pctText}`,
    );
  }
  const maxGrowth = Math.max(...Object.values(growth).map((g) => g.growth ?? 0));
  console.log(
    `lag at end ${lag} (within 60 s of the last send), produced ${produced}, landed rows ${landed}; load ${loadAvg()}`,
  );
  console.log(
    JSON.stringify({
      bench: "soak",
      rate_per_s: rate,
      duration_s: seconds,
      warmup_s: warmS,
      produced,
      landed_rows: landed,
      lag_end: lag,
      max_growth: maxGrowth,
      target_max_growth: 0.2,
      met: maxGrowth <= 0.2,
      load_avg: loadAvg(),
      processes: growth,
    }),
  );
}

main().catch((err) => {
  console.error(`bench-soak failed: ${(err as Error).message}`);
  process.exit(1);
});
