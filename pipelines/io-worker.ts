/**
 * The stream job's I/O, run in a worker thread (synckit) because Beam TS DoFns are synchronous: the DoFn
 * blocks on `callIo(...)` until the write is durable, so a bundle is never acknowledged before its output.
 * One worker per process keeps one DuckDB instance, one Kafka producer and one registry cache.
 */
import { runAsWorker } from "synckit";
import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { Producer, CompressionTypes } from "kafkajs";
import { kafkaClient } from "../infra/kafka-client";
import { RegistryClient } from "../producers/registry";
import { encodeConfluent } from "../producers/wire-format";
import { loadTopicSchema, schemaJsonFor, subjectFor } from "../schemas";
import { copyJsonToParquetSql } from "../transforms/stream/landing";
import type { TopicSpec } from "../schemas/catalog-model";
import { deadLetterAvroValue, deadLetterKey } from "../transforms/stream/dead-letter";
import type { DeadLetterRecord } from "../transforms/stream/records";
import type { IoRequest, IoResponse } from "./io-sync";
import { readOffsetRanges } from "./kafka-range";
import { writeFailure } from "./write-error";

let duck: Promise<DuckDBConnection> | undefined;
function duckdb(): Promise<DuckDBConnection> {
  duck ??= (async () => {
    const inst = await DuckDBInstance.create(":memory:", {
      autoinstall_known_extensions: "false",
      threads: "1",
    });
    return inst.connect();
  })();
  return duck;
}

const producers = new Map<string, Promise<Producer>>();
function producerFor(brokers: string[]): Promise<Producer> {
  const key = brokers.join(",");
  let p = producers.get(key);
  if (!p) {
    p = (async () => {
      const kafka = kafkaClient(brokers, "phonepipe-stream-dlq", { retry: { retries: 5 } });
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      return producer;
    })();
    producers.set(key, p);
  }
  return p;
}

type SnowflakeModule = typeof import("./sinks/snowflake");
const snowflakeSinks = new Map<string, InstanceType<SnowflakeModule["SnowflakeSink"]> | null>();
/** The Snowflake sink of a topic when PHONEPIPE_SNOWFLAKE_ACCOUNT is set, else null (snowflake-sdk loaded only then). */
function snowflakeFor(topic: string, spec: TopicSpec): InstanceType<SnowflakeModule["SnowflakeSink"]> | null {
  let s = snowflakeSinks.get(topic);
  if (s === undefined) {
    s = null;
    if (process.env.PHONEPIPE_SNOWFLAKE_ACCOUNT) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sf = require("./sinks/snowflake") as SnowflakeModule;
      const cfg = sf.snowflakeConfigFromEnv(topic, spec, process.env);
      if (cfg) s = new sf.SnowflakeSink(cfg);
    }
    snowflakeSinks.set(topic, s);
  }
  return s;
}

const registries = new Map<string, RegistryClient>();
function registry(url: string): RegistryClient {
  let r = registries.get(url);
  if (!r) registries.set(url, (r = new RegistryClient(url)));
  return r;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function writeParquet(
  dir: string,
  fileName: string,
  jsonLines: string,
  spec: TopicSpec,
): Promise<string> {
  const staging = join(tmpdir(), `phonepipe-stage-${process.pid}-${randomUUID()}.ndjson`);
  const tmp = join(dir, `.tmp-${randomUUID()}-${fileName}`);
  const final = join(dir, fileName);
  writeFileSync(staging, jsonLines);
  try {
    mkdirSync(dir, { recursive: true });
    const conn = await duckdb();
    await conn.run(copyJsonToParquetSql(staging, tmp, spec));
    fsyncPath(tmp);
    renameSync(tmp, final); // atomic within the folder: readers see the old file or the new one
    fsyncPath(dir);
  } catch (err) {
    throw writeFailure("landing file", final, err);
  } finally {
    rmSync(staging, { force: true });
    rmSync(tmp, { force: true });
  }
  return final;
}

/** Keeps the newest landed window end in a small JSON file (temp + rename), read by a restart. */
function recordProgress(file: string, windowEnd: number): void {
  let cur = 0;
  try {
    cur = (JSON.parse(readFileSync(file, "utf8")) as { landed_window_end: number }).landed_window_end;
  } catch {
    cur = 0;
  }
  if (windowEnd <= cur) return;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(
    tmp,
    JSON.stringify({ landed_window_end: windowEnd, updated_at: new Date().toISOString() }) + "\n",
  );
  fsyncPath(tmp);
  renameSync(tmp, file);
}

async function produceDeadLetters(
  brokers: string[],
  registryUrl: string,
  records: DeadLetterRecord[],
): Promise<number> {
  const byTopic = new Map<string, DeadLetterRecord[]>();
  for (const r of records) {
    const t = `${r.original_topic}.dlq`;
    const list = byTopic.get(t) ?? [];
    list.push(r);
    byTopic.set(t, list);
  }
  try {
    await sendDeadLetters(await producerFor(brokers), registryUrl, byTopic);
  } catch {
    // kafkajs refreshes metadata for every topic a producer ever sent to: once one of them is deleted (a
    // test's topic, a retired DLQ), each later send fails with "This server does not host this topic-partition".
    // A fresh producer knows only the topics of this send; if that fails too, the error is real.
    const stale = producers.get(brokers.join(","));
    producers.delete(brokers.join(","));
    await stale?.then((p) => p.disconnect()).catch(() => undefined);
    await sendDeadLetters(await producerFor(brokers), registryUrl, byTopic);
  }
  return records.length;
}

async function sendDeadLetters(
  producer: Producer,
  registryUrl: string,
  byTopic: Map<string, DeadLetterRecord[]>,
): Promise<void> {
  for (const [topic, list] of byTopic) {
    const id = await registry(registryUrl).idFor(subjectFor(topic), schemaJsonFor(topic));
    const type = loadTopicSchema(topic);
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: list.map((d) => ({
        key: deadLetterKey(d),
        value: encodeConfluent(id, type.toBuffer(deadLetterAvroValue(d))),
      })),
    });
  }
}

async function fetchSchema(registryUrl: string, id: number): Promise<string | null> {
  // Through the registry client: the same credentials and refusal messages as every other registry call.
  return (await registry(registryUrl).schemaTextById(id)) ?? null;
}

runAsWorker(async (req: IoRequest): Promise<IoResponse> => {
  switch (req.op) {
    case "schema":
      return { schema: await fetchSchema(req.registryUrl, req.id) };
    case "writeParquet": {
      const path = await writeParquet(req.dir, req.fileName, req.jsonLines, req.spec);
      if (req.topic) {
        const partition = basename(req.dir); // ingest_date=YYYY-MM-DD
        await snowflakeFor(req.topic, req.spec)?.loadFile(
          path,
          `${req.topic}/${partition}`,
          partition.slice("ingest_date=".length),
        );
      }
      if (req.progressFile && req.windowEnd !== undefined) recordProgress(req.progressFile, req.windowEnd);
      return { path };
    }
    case "deadLetters":
      return { count: await produceDeadLetters(req.brokers, req.registryUrl, req.records) };
    case "deadLettersToFile": {
      mkdirSync(dirname(req.path), { recursive: true });
      const fd = openSync(req.path, "a");
      try {
        appendFileSync(fd, req.records.map((r) => JSON.stringify(r)).join("\n") + "\n");
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return { count: req.records.length };
    }
    case "readOffsets": {
      // One bounded read per element, spanning each partition's runs (the DoFn keeps what the runs name).
      const ranges = req.read.parts.map((p) => ({
        partition: p.partition,
        start: p.runs[0][0],
        end: p.runs[p.runs.length - 1][1],
      }));
      return { records: await readOffsetRanges(req.brokers, req.topic, ranges) };
    }
    case "close":
      for (const p of producers.values()) await (await p).disconnect().catch(() => undefined);
      producers.clear();
      return {};
  }
});
