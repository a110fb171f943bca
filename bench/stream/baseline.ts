/**
 * The single-process baseline of the stream benchmark: one Node process, a kafkajs consumer doing the stream
 * job's work — decode → validate → normalize (the same listing hook) → event-time windows → latest per URL
 * per shard → one Parquet file per (window, shard) — with windows flushed as the slowest partition's event
 * time passes them. Its landing is also the reference row count the other engines must reach.
 */
import * as fs from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { Type } from "avsc";
import { waitFor } from "../../infra/process";
import { RegistryClient } from "../../producers/registry";
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
import type { BenchTopic } from "./produce";
import { sampleOwnRss } from "./rss";

export interface BaselineResult {
  eventsPerS: number;
  peakRssMb: number;
  landedRows: number;
}

const SPEC = topicSpec("listings.scraped");

/** Rows of one DuckDB query on a fresh in-memory database. */
export async function query<T>(sql: string): Promise<T[]> {
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  const rows = (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  conn.closeSync();
  return rows;
}

class WindowWriter {
  private readonly windows = new Map<number, ListingRow[]>();
  lastWrite = 0;
  constructor(
    private readonly conn: DuckDBConnection,
    private readonly dir: string,
    private readonly topic: string,
    private readonly windowMs: number,
    private readonly shards: number,
  ) {}

  add(row: ListingRow): void {
    const ws = windowStartOf(row.scraped_at, this.windowMs);
    const list = this.windows.get(ws) ?? [];
    list.push(row);
    this.windows.set(ws, list);
  }

  /** Writes every window that ends at or before `upTo`. */
  async flush(upTo: number): Promise<void> {
    const due = [...this.windows].filter(([w]) => w + this.windowMs <= upTo).sort((a, b) => a[0] - b[0]);
    for (const [ws, rows] of due) {
      this.windows.delete(ws);
      const byShard = new Map<number, ListingRow[]>();
      for (const r of rows) {
        const s = shardOf(r.url, this.shards);
        byShard.set(s, [...(byShard.get(s) ?? []), r]);
      }
      for (const [shard, list] of byShard) await this.write(ws, shard, list);
    }
  }

  private async write(ws: number, shard: number, list: ListingRow[]): Promise<void> {
    const kept = latestPerKey(list as unknown as LandingRow[], SPEC);
    const dir = landingDir(this.dir, this.topic, ws);
    const staging = join(tmpdir(), `pp-bench-${process.pid}-${ws}-${shard}.ndjson`);
    const now = Date.now();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(staging, kept.map((r) => JSON.stringify({ ...r, ingested_at: now })).join("\n") + "\n");
    const tmp = join(dir, `.tmp-${landingFileName(ws, shard)}`);
    await this.conn.run(copyJsonToParquetSql(staging, tmp, SPEC));
    fs.renameSync(tmp, join(dir, landingFileName(ws, shard)));
    rmSync(staging, { force: true });
    this.lastWrite = Date.now();
  }
}

/** Consumes `n` events of `t` from the beginning and lands them; events/s from first record to last file. */
export async function runBaseline(
  t: BenchTopic,
  n: number,
  o: { registryUrl: string; windowSeconds: number; shards: number; fxRatesToEgp: Record<string, number> },
): Promise<BaselineResult> {
  const rss = sampleOwnRss();
  const baseDir = mkdtempSync(join(tmpdir(), "pp-bench-base-"));
  const writerSchema: Type = await new RegistryClient(o.registryUrl).schemaById(t.schemaId);
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  const w = new WindowWriter(conn, baseDir, t.topic, o.windowSeconds * 1000, o.shards);
  const maxByPartition = new Map<number, number>();
  let consumed = 0;
  let firstIn = 0;
  const consumer = t.kafka.consumer({ groupId: `bench-base-${t.topic}-${n}` });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: t.topic, fromBeginning: true });
    const schemaFor = (id: number): Type | undefined => (id === t.schemaId ? writerSchema : undefined);
    await consumer.run({
      eachBatch: async ({ batch }) => {
        firstIn ||= Date.now();
        for (const m of batch.messages) {
          const src = {
            topic: t.topic,
            partition: batch.partition,
            offset: Number(m.offset),
            timestamp: Number(m.timestamp),
            keyB64: toB64(m.key),
            valueB64: toB64(m.value),
          };
          const out = processListingRecord(src, { schemaFor, fxRatesToEgp: o.fxRatesToEgp, now: Date.now });
          consumed++;
          if (!("row" in out)) continue;
          w.add(out.row);
          const prev = maxByPartition.get(batch.partition) ?? 0;
          if (out.row.scraped_at > prev) maxByPartition.set(batch.partition, out.row.scraped_at);
        }
        // Event-time watermark: the slowest partition's newest event (the topic has 2 partitions).
        await w.flush(maxByPartition.size < 2 ? 0 : Math.min(...maxByPartition.values()));
      },
    });
    await waitFor(async () => consumed >= n, 300_000, undefined, 20);
    await consumer.stop(); // lets a running eachBatch (and its flush) finish first
    await w.flush(Number.MAX_SAFE_INTEGER);
    const [{ rows }] = await query<{ rows: number }>(
      `SELECT count(*)::INTEGER AS rows FROM read_parquet('${baseDir}/landing/${t.topic}/*/*.parquet')`,
    );
    return {
      eventsPerS: n / ((w.lastWrite - firstIn) / 1000),
      peakRssMb: rss(),
      landedRows: rows,
    };
  } finally {
    await consumer.disconnect();
    conn.closeSync();
    rmSync(baseDir, { recursive: true, force: true });
  }
}
