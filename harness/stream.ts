/**
 * Shared set-up of the stream tests and benchmarks: a unique topic (+ its .dlq) on the real broker, the listing
 * schema registered under its subject, a unique data/run dir, and readers for the landing and the DLQ.
 * Every user cleans up what it creates. The scenarios the tests produce are in ./stream-scenarios.
 */
import { ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadConfig } from "../infra/config";
import { RegistryClient } from "../producers/registry";
import { encodeConfluent, decodeConfluentFrame } from "../producers/wire-format";
import { loadTopicSchema, schemaJsonFor } from "../schemas";
import { topicReplication } from "../schemas/registration";
import { waitFor } from "../infra/process";
import type { MicroBatchRunOptions } from "../pipelines/run-micro-batch";

export interface StreamTestEnv {
  brokers: string[];
  registryUrl: string;
  cacheDir: string;
  topic: string;
  dataDir: string;
  runDir: string;
  schemaId: number;
  cleanup(): Promise<void>;
}

/** `prefix` names what the topic is for (it: integration tests, bench: make bench-stream). */
export async function setUpStreamTest(partitions = 2, prefix = "it"): Promise<StreamTestEnv> {
  const cfg = loadConfig();
  const suffix = randomBytes(4).toString("hex");
  const topic = `${prefix}.listings.${suffix}`;
  const kafka = new Kafka({ brokers: cfg.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  // As `schemas register` would make them: on the cluster profile three replicas, two in sync.
  const { replicationFactor, minInsyncReplicas } = topicReplication(
    (await admin.describeCluster()).brokers.length,
  );
  const configEntries = [{ name: "min.insync.replicas", value: String(minInsyncReplicas) }];
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: partitions, replicationFactor, configEntries },
      { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor, configEntries },
    ],
  });
  await admin.disconnect();
  const registry = new RegistryClient(cfg.registryUrl);
  const schemaId = await registry.idFor(`${topic}-value`, schemaJsonFor("listings.scraped"));
  const dataDir = mkdtempSync(join(tmpdir(), "pp-stream-it-data-"));
  const runDir = mkdtempSync(join(tmpdir(), "pp-stream-it-run-"));
  return {
    brokers: cfg.kafkaBrokers,
    registryUrl: cfg.registryUrl,
    cacheDir: cfg.cacheDir,
    topic,
    dataDir,
    runDir,
    schemaId,
    cleanup: async () => {
      const a = kafka.admin();
      await a.connect();
      await a.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
      await a.disconnect();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * `phonepipe stream <args>` (the built CLI) as a child on the test's platform, data and run dirs, its output
 * appended to `logFile`.
 */
export function spawnStreamCli(env: StreamTestEnv, args: string[], logFile: string): ChildProcess {
  const root = join(__dirname, "..", "..");
  const log = openSync(logFile, "a");
  try {
    return spawn(process.execPath, [join(root, "dist", "cli", "main.js"), "stream", ...args], {
      env: {
        ...process.env,
        PHONEPIPE_ROOT: process.env.PHONEPIPE_ROOT ?? root,
        PHONEPIPE_DATA_DIR: env.dataDir,
        PHONEPIPE_RUN_DIR: env.runDir,
        PHONEPIPE_KAFKA_BROKERS: env.brokers.join(","),
        PHONEPIPE_REGISTRY_URL: env.registryUrl,
        PHONEPIPE_CACHE: env.cacheDir,
      },
      stdio: ["ignore", log, log],
    });
  } finally {
    closeSync(log);
  }
}

/**
 * Options of a test's micro-batch stream: the platform from the environment, embedded Flink, a short grace
 * and poll so tests finish quickly, one partition's worth of records per cycle; `over` sets the rest.
 */
export function streamTestOptions(
  over: Pick<MicroBatchRunOptions, "topics" | "dataDir" | "runDir" | "groupId" | "instance"> &
    Partial<MicroBatchRunOptions>,
): MicroBatchRunOptions {
  const cfg = loadConfig();
  return {
    cacheDir: cfg.cacheDir,
    registryUrl: cfg.registryUrl,
    brokers: cfg.kafkaBrokers,
    flinkMaster: "[local]",
    windowSeconds: 5,
    allowedLatenessSeconds: 0,
    graceMs: 1000,
    pollMs: 300,
    maxRecordsPerPartition: 10_000,
    shards: 2,
    parallelism: 1,
    metricsIntervalMs: 10_000,
    fxRatesToEgp: {},
    resume: true,
    ...over,
  };
}

export async function produce(
  env: StreamTestEnv,
  messages: Array<{ key: string; value: Buffer; timestamp?: string }>,
): Promise<void> {
  const kafka = new Kafka({ brokers: env.brokers, logLevel: logLevel.NOTHING });
  const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  try {
    await p.send({ topic: env.topic, acks: -1, messages });
  } finally {
    await p.disconnect();
  }
}

export function encodeListing(schemaId: number, value: Record<string, unknown>): Buffer {
  return encodeConfluent(schemaId, loadTopicSchema("listings.scraped").toBuffer(value));
}

export interface LandedRow {
  url: string;
  scraped_at: number;
  event_id: string;
  price_egp: number | null;
  file: string;
}

export async function readLanding(dataDir: string, topic: string): Promise<LandedRow[]> {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  try {
    const res = await conn.runAndReadAll(
      `SELECT url, epoch_ms(scraped_at)::BIGINT AS scraped_at, event_id, price_egp::DOUBLE AS price_egp, filename AS file
       FROM read_parquet('${dataDir}/landing/${topic}/*/*.parquet', hive_partitioning = true, filename = true)
       ORDER BY url, scraped_at`,
    );
    return (res.getRowObjectsJson() as Array<Record<string, unknown>>).map((r) => ({
      url: String(r.url),
      scraped_at: Number(r.scraped_at),
      event_id: String(r.event_id),
      price_egp: r.price_egp === null ? null : Number(r.price_egp),
      file: String(r.file),
    }));
  } catch (err) {
    if (/No files found/i.test((err as Error).message)) return [];
    throw err;
  } finally {
    conn.closeSync();
  }
}

export interface DlqEntry {
  partition: number;
  offset: number;
  stage: string;
  error_type: string | null;
  error: string;
  original_value: Buffer | null;
}

/** Reads the whole DLQ topic from the beginning (a throwaway consumer group). */
export async function readDlq(env: StreamTestEnv, expected: number, timeoutMs: number): Promise<DlqEntry[]> {
  const kafka = new Kafka({ brokers: env.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `it-dlq-reader-${randomBytes(4).toString("hex")}` });
  const out: DlqEntry[] = [];
  const type = loadTopicSchema(`${env.topic}.dlq`);
  await consumer.connect();
  await consumer.subscribe({ topic: `${env.topic}.dlq`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const frame = decodeConfluentFrame(message.value);
      const v = type.fromBuffer(frame.body) as Record<string, unknown>;
      out.push({
        partition: v.partition as number,
        offset: Number(v.offset),
        stage: v.stage as string,
        error_type: (v.error_type as string | null) ?? null,
        error: v.error as string,
        original_value: (v.original_value as Buffer | null) ?? null,
      });
    },
  });
  await waitFor(async () => out.length >= expected, timeoutMs);
  // A little longer, so that an extra (unexpected) dead letter would be seen too.
  const settleUntil = Date.now() + 3000;
  await waitFor(async () => Date.now() >= settleUntil, 5000);
  await consumer.disconnect();
  return out;
}
