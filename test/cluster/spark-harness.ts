/**
 * Shared set-up of the Spark cluster tests: the cluster profile from the environment infra/with-cluster.sh
 * exports, a topic of listings to back-fill, the backfill, and the landing it wrote in a comparable form.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { loadConfig } from "../../infra/config";
import { ClusterConfig, loadClusterConfig } from "../../infra/cluster/config";
import { sparkMasterUrl } from "../../infra/cluster/spark";
import { BackfillResult, runBackfill } from "../../pipelines/run-backfill";
import { sparkMasterFrom } from "../../pipelines/spark-standalone";
import { encodeListing, produce, readLanding, StreamTestEnv } from "../../harness/stream";

export const WINDOW_S = 2;

/** The cluster profile the tests run against; fails with what to set when it is not there. */
export function clusterFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  const missing = [
    "PHONEPIPE_SPARK_MASTER_URL",
    "PHONEPIPE_CLUSTER_RUN_DIR",
    "PHONEPIPE_CLUSTER_PORT_BASE",
    "PHONEPIPE_KAFKA_BROKERS",
    "PHONEPIPE_REGISTRY_URL",
  ].filter((k) => !env[k]);
  if (missing.length) {
    throw new Error(`the cluster tests run under infra/with-cluster.sh; not set: ${missing.join(", ")}`);
  }
  const cc = loadClusterConfig(loadConfig(env), env);
  if (env.PHONEPIPE_SPARK_MASTER_URL !== sparkMasterUrl(cc)) {
    throw new Error(
      `PHONEPIPE_SPARK_MASTER_URL=${env.PHONEPIPE_SPARK_MASTER_URL} is not the cluster profile's master ` +
        `${sparkMasterUrl(cc)} (PHONEPIPE_CLUSTER_PORT_BASE=${env.PHONEPIPE_CLUSTER_PORT_BASE})`,
    );
  }
  return cc;
}

export interface ProducedRange {
  fromMs: number;
  toMs: number;
  records: number;
  /** Rows the backfill must land: one per URL and window (the latest record wins). */
  expectedRows: number;
}

/**
 * `records` listings over `urls` URLs, `stepMs` apart, with Kafka record time = event time, starting a few
 * windows in the past on a window boundary, so [fromMs, toMs) covers whole windows.
 */
export async function produceListings(
  env: StreamTestEnv,
  records: number,
  urls: number,
  stepMs: number,
): Promise<ProducedRange> {
  const w = WINDOW_S * 1000;
  const span = records * stepMs;
  const base = Math.floor((Date.now() - span - 10 * w) / w) * w;
  const keys = new Set<string>();
  const batch: Array<{ key: string; value: Buffer; timestamp: string }> = [];
  for (let i = 0; i < records; i++) {
    const t = base + i * stepMs;
    const url = `https://noon.com/cl/${i % urls}`;
    keys.add(`${url}|${Math.floor(t / w)}`);
    const v = {
      event_id: createHash("sha256").update(`noon|${url}|${t}`).digest("hex"),
      source: "noon",
      source_domain: "noon.com",
      source_type: "competitor",
      url,
      title: "Realme C55 128GB",
      price_text: `EGP ${6000 + (i % 500)}`,
      currency_hint: "EGP",
      seller_name: null,
      condition_text: "new",
      availability: "in_stock",
      scraped_at: t,
      raw: {},
    };
    batch.push({ key: url, value: encodeListing(env.schemaId, v), timestamp: String(t) });
    if (batch.length === 2000) await produce(env, batch.splice(0));
  }
  if (batch.length) await produce(env, batch);
  return { fromMs: base, toMs: base + Math.ceil((span + 1) / w) * w, records, expectedRows: keys.size };
}

export interface BackfillDirs {
  dataDir: string;
  runDir: string;
}

/**
 * The backfill over the range into `dataDir`, with its own run dir, in this process (its LOOPBACK SDK worker
 * too). The test topics are not in the catalog, which the CLI maps topics through, so the contract is given.
 * The Spark master is `phonepipe backfill`'s default: PHONEPIPE_SPARK_MASTER_URL, unless `master` names one.
 */
export async function backfill(
  env: StreamTestEnv,
  range: ProducedRange,
  dirs: BackfillDirs,
  master?: string,
): Promise<BackfillResult & { seconds: number }> {
  const t0 = Date.now();
  mkdirSync(dirs.runDir, { recursive: true });
  const res = await runBackfill({
    topic: env.topic,
    contract: "listings.scraped",
    registryUrl: env.registryUrl,
    brokers: env.brokers,
    cacheDir: env.cacheDir,
    dataDir: dirs.dataDir,
    runDir: dirs.runDir,
    windowSeconds: WINDOW_S,
    allowedLatenessSeconds: 0,
    shards: 2,
    fxRatesToEgp: { USD: 50 },
    fromMs: range.fromMs,
    toMs: range.toMs,
    runner: "spark",
    sparkMaster: sparkMasterFrom(master, process.env),
  });
  return { ...res, seconds: (Date.now() - t0) / 1000 };
}

/** The landing as [url, scraped_at, event_id, price_egp, file name] rows, sorted, and its file names. */
export async function landingView(
  dataDir: string,
  topic: string,
): Promise<{ rows: Array<[string, number, string, number | null, string]>; files: string[] }> {
  const landed = await readLanding(dataDir, topic);
  const rows = landed.map(
    (r) =>
      [r.url, r.scraped_at, r.event_id, r.price_egp, basename(r.file)] as [
        string,
        number,
        string,
        number | null,
        string,
      ],
  );
  const files = [...new Set(landed.map((r) => `${basename(join(r.file, ".."))}/${basename(r.file)}`))].sort();
  return { rows, files };
}

/** Rows landed more than once (same URL, event time and event id). */
export function duplicates(rows: Array<[string, number, string, number | null, string]>): number {
  return rows.length - new Set(rows.map((r) => `${r[0]}|${r[1]}|${r[2]}`)).size;
}

/** Pids of the live processes in process group `pgid` (the worker and the executors it started). */
export function processGroupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the parenthesised command: state, ppid, pgrp, ...
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}
