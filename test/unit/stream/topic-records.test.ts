/**
 * The stream job's handling of catalog topics without a hook (transactions, user activity, price
 * suggestions, reference prices): decode, business rules, product normalization, dedupe per key, and their
 * landing files on the DirectRunner with exactly the column types dbt's landing contract reads.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as beam from "apache-beam";
import { DuckDBInstance } from "@duckdb/node-api";
import { directRunner } from "../../../pipelines/beam-sdk";
import { recordsToLanding } from "../../../pipelines/stream-pipeline";
import { encodeConfluent } from "../../../producers/wire-format";
import { loadTopicSchema, parseSchema, schemaJsonFor } from "../../../schemas";
import { LandingRow, latestPerKey, processRecord } from "../../../transforms/stream/topic-records";
import { topicSpec } from "../../../schemas/catalog";
import { landingColumns } from "../../../schemas/catalog-model";
import { SourceRecord, toB64 } from "../../../transforms/stream/records";
import { copyJsonToParquetSql } from "../../../transforms/stream/landing";
import { createTablesSql, mergeSql, snowflakeTarget } from "../../../transforms/stream/snowflake-sql";
import { writeFileSync } from "node:fs";
import { offlineJobOptions, transaction } from "./fixtures";

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const IDS: Record<string, number> = {
  "marketplace.transactions": 21,
  "marketplace.user_activity": 22,
  "pricing.suggestions": 23,
  "market.reference_prices": 24,
};
const STATIC: Record<number, string> = Object.fromEntries(
  Object.entries(IDS).map(([t, id]) => [id, JSON.stringify(schemaJsonFor(t as never))]),
);
const lookup = (id: number) => (STATIC[id] ? parseSchema(STATIC[id]) : undefined);
let offset = 0;

function rec(topic: string, value: Record<string, unknown> | Buffer): SourceRecord {
  const bytes = Buffer.isBuffer(value)
    ? value
    : encodeConfluent(IDS[topic], loadTopicSchema(topic as never).toBuffer(value));
  return { topic, partition: 0, offset: offset++, timestamp: 0, keyB64: null, valueB64: toB64(bytes) };
}

const tx = (over: Record<string, unknown> = {}) => transaction(T0 + 1000, over);
const ref = (over: Record<string, unknown> = {}) => ({
  record_id: "r-1",
  kind: "retail_price",
  product_title: "iPhone 15 Pro 256GB",
  retailer: "B.TECH",
  price: 64999,
  currency: "EGP",
  fx_base: null,
  fx_quote: null,
  fx_rate: null,
  effective_date: "2026-11-01",
  source_file: "prices.csv",
  source_line: 2,
  loaded_at: T0 + 2000,
  ...over,
});

const deps = { schemaFor: lookup, fxRatesToEgp: {}, now: () => T0 };

describe("event topics: decode, rules, normalization", () => {
  it("decodes a transaction and normalizes its product title", () => {
    const out = processRecord(
      topicSpec("marketplace.transactions"),
      rec("marketplace.transactions", tx()),
      deps,
    );
    assert.ok("row" in out, JSON.stringify(out));
    assert.equal(out.row.amount, 41999.5);
    assert.equal(out.row.occurred_at, T0 + 1000);
    assert.equal(out.row.brand, "samsung");
    assert.equal(out.row.storage_gb, 256);
    assert.equal(out.row.schema_id, 21);
  });

  it("dead-letters a negative amount, an unknown currency and an undecodable record, naming each", () => {
    const spec = topicSpec("marketplace.transactions");
    const dead = (v: Record<string, unknown> | Buffer) => {
      const out = processRecord(spec, rec("marketplace.transactions", v), deps);
      assert.ok("dead" in out);
      return [out.dead.stage, out.dead.error_type, out.dead.error];
    };
    assert.deepEqual(dead(tx({ amount: -5 })), ["validate", "negative_price", "amount -5 is negative"]);
    assert.deepEqual(dead(tx({ currency: "XYZ" })).slice(0, 2), ["validate", "unknown_currency"]);
    assert.deepEqual(dead(Buffer.from("nope")).slice(0, 2), ["decode", "bad_frame"]);
  });

  it("keeps an fx_rate reference row (no product, no price) with null product fields", () => {
    const fx = ref({
      record_id: "fx-1",
      kind: "fx_rate",
      product_title: null,
      retailer: null,
      price: null,
      currency: null,
      fx_base: "USD",
      fx_quote: "EGP",
      fx_rate: 48.6,
    });
    const out = processRecord(topicSpec("market.reference_prices"), rec("market.reference_prices", fx), deps);
    assert.ok("row" in out);
    assert.equal(out.row.fx_rate, 48.6);
    assert.equal(out.row.brand, null);
    assert.equal(out.row.effective_date, "2026-11-01");
  });

  it("collapses re-sent events per key, the later event time winning, sorted by key", () => {
    const spec = topicSpec("pricing.suggestions");
    const row = (id: string, t: number, off: number): LandingRow => ({
      suggestion_id: id,
      generated_at: t,
      kafka_partition: 0,
      kafka_offset: off,
    });
    const out = latestPerKey([row("b", 5, 1), row("a", 1, 2), row("b", 9, 3), row("b", 9, 0)], spec);
    assert.deepEqual(
      out.map((r) => [r.suggestion_id, r.generated_at, r.kafka_offset]),
      [
        ["a", 1, 2],
        ["b", 9, 0],
      ],
    );
  });

  it("names the known topics when asked for an unknown one", () => {
    assert.throws(
      () => topicSpec("orders"),
      /topic 'orders' is not in the catalog.*marketplace\.transactions/,
    );
  });
});

describe("event topics on the DirectRunner", function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), "pp-events-unit-"))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function land(topic: string, records: SourceRecord[]): Promise<Array<Record<string, unknown>>> {
    const opts = offlineJobOptions(dataDir, STATIC, { topic });
    await directRunner().run((root: beam.Root) => recordsToLanding(root.apply(beam.create(records)), opts));
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    const res = await conn.runAndReadAll(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${dataDir}/landing/${topic}/*/*.parquet', hive_partitioning = true))`,
    );
    return res.getRowObjectsJson() as Array<Record<string, unknown>>;
  }

  it("lands transactions deduplicated per event_id with the contract's types", async () => {
    const cols = await land("marketplace.transactions", [
      rec("marketplace.transactions", tx()),
      rec("marketplace.transactions", tx()), // re-sent
      rec("marketplace.transactions", tx({ event_id: "tx-2", event_type: "payment_captured" })),
      rec("marketplace.transactions", tx({ event_id: "tx-3", amount: -1 })), // dead letter
    ]);
    const types = Object.fromEntries(cols.map((c) => [c.column_name, c.column_type]));
    assert.equal(types.amount, "DECIMAL(14,2)");
    assert.equal(types.occurred_at, "TIMESTAMP");
    assert.equal(types.ingested_at, "TIMESTAMP");
    assert.equal(types.storage_gb, "INTEGER");
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    const rows = (
      await conn.runAndReadAll(
        `SELECT event_id, amount::DOUBLE AS amount, epoch_ms(occurred_at) AS t FROM read_parquet('${dataDir}/landing/marketplace.transactions/*/*.parquet') ORDER BY event_id`,
      )
    ).getRowObjectsJson();
    assert.deepEqual(
      rows.map((r) => [r.event_id, r.amount, Number(r.t)]),
      [
        ["tx-1", 41999.5, T0 + 1000],
        ["tx-2", 41999.5, T0 + 1000],
      ],
    );
    const files = readdirSync(join(dataDir, "landing/marketplace.transactions/ingest_date=2026-11-27"));
    assert.ok(
      files.every((f) => /^20261127T100000Z_00[01]\.parquet$/.test(f)),
      files.join(","),
    );
  });

  it("lands reference prices with effective_date as DATE and price as DECIMAL", async () => {
    const cols = await land("market.reference_prices", [rec("market.reference_prices", ref())]);
    const types = Object.fromEntries(cols.map((c) => [c.column_name, c.column_type]));
    assert.equal(types.effective_date, "DATE");
    assert.equal(types.price, "DECIMAL(14,2)");
    assert.equal(types.loaded_at, "TIMESTAMP");
    assert.equal(types.source_line, "INTEGER");
  });
});

describe("event topics through the Snowflake sink's SQL (on DuckDB)", () => {
  it("MERGE upserts transactions on event_id, idempotently, the later occurred_at winning", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pp-events-sf-"));
    try {
      const spec = topicSpec("marketplace.transactions");
      const target = { ...snowflakeTarget(spec, "tx", "S"), rawTable: "raw_tx", table: "tx" };
      const conn = await (await DuckDBInstance.create(":memory:")).connect();
      for (const q of createTablesSql(target)) await conn.run(q);
      const write = async (name: string, values: Array<Record<string, unknown>>) => {
        const rows = values.map((v) => {
          const out = processRecord(spec, rec("marketplace.transactions", v), deps);
          assert.ok("row" in out);
          return { ...out.row, ingested_at: 1 };
        });
        const json = join(dir, `${name}.ndjson`);
        writeFileSync(json, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
        const parquet = join(dir, `${name}.parquet`);
        await conn.run(copyJsonToParquetSql(json, parquet, spec));
        const names = landingColumns(spec)
          .map((c) => `"${c.name}"`)
          .join(", ");
        await conn.run(
          `INSERT INTO raw_tx SELECT ${names}, DATE '2026-11-27', '${name}.parquet' FROM read_parquet('${parquet}')`,
        );
      };
      await write("f1", [tx(), tx({ event_id: "tx-2" })]);
      await conn.run(mergeSql(target, "%f1.parquet"));
      await conn.run(mergeSql(target, "%f1.parquet")); // a replayed file changes nothing
      await write("f2", [tx({ amount: 40000, occurred_at: T0 + 9000 })]);
      await conn.run(mergeSql(target, "%f2.parquet"));
      const rows = (
        await conn.runAndReadAll(`SELECT event_id, amount::DOUBLE AS amount FROM tx ORDER BY event_id`)
      ).getRowObjectsJson();
      assert.deepEqual(
        rows.map((r) => [r.event_id, r.amount]),
        [
          ["tx-1", 40000],
          ["tx-2", 41999.5],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
