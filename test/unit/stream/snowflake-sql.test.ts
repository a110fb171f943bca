/** The Snowflake sink's shared SQL (DDL + MERGE) run against DuckDB over real landing Parquet. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { copyJsonToParquetSql } from "../../../transforms/stream/landing";
import {
  copyIntoSql,
  createTablesSql,
  mergeSql,
  putSql,
  snowflakeTarget,
} from "../../../transforms/stream/snowflake-sql";
import { topicSpec } from "../../../schemas/catalog";
import { listingRow } from "./fixtures";
import type { ListingRow } from "../../../transforms/stream/records";
import { snowflakeConfigFromEnv } from "../../../pipelines/sinks/snowflake";

const listings = topicSpec("listings.scraped");
const target = {
  ...snowflakeTarget(listings, "listings", "PHONEPIPE_LANDING"),
  rawTable: "raw_listings",
  table: "listings",
};
const T = Date.UTC(2026, 10, 27, 9, 0, 0);

const row = listingRow;

describe("Snowflake sink SQL (on DuckDB)", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "pp-sf-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("MERGE upserts a landing file's rows on event_id, idempotently", async () => {
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    for (const s of createTablesSql(target)) await conn.run(s);
    const files: string[] = [];
    const write = async (name: string, rows: ListingRow[]) => {
      const json = join(dir, `${name}.ndjson`);
      writeFileSync(json, rows.map((r) => JSON.stringify({ ...r, ingested_at: 1 })).join("\n") + "\n");
      const parquet = join(dir, `${name}.parquet`);
      await conn.run(copyJsonToParquetSql(json, parquet, listings));
      // What COPY INTO does on Snowflake: the file's columns + ingest_date + its name.
      await conn.run(
        `INSERT INTO raw_listings SELECT ${target.columns.map((c) => `"${c.name}"`).join(", ")}, DATE '2026-11-27', '${name}.parquet' FROM read_parquet('${parquet}')`,
      );
      files.push(name);
    };
    const a = row("https://noon.com/a", T, "EGP 100");
    const b = row("https://noon.com/b", T, "EGP 200");
    await write("f1", [a, b]);
    await conn.run(mergeSql(target, "%f1.parquet"));
    await conn.run(mergeSql(target, "%f1.parquet")); // a replay of the same file changes nothing
    await write("f2", [{ ...b }, row("https://noon.com/a", T + 5000, "EGP 90")]);
    await conn.run(mergeSql(target, "%f2.parquet"));
    const res = await conn.runAndReadAll(
      `SELECT url, price_egp::DOUBLE AS p FROM listings ORDER BY url, scraped_at`,
    );
    assert.deepEqual(res.getRowObjectsJson(), [
      { url: "https://noon.com/a", p: 100 },
      { url: "https://noon.com/a", p: 90 },
      { url: "https://noon.com/b", p: 200 },
    ]);
    conn.closeSync();
  });

  it("stages with PUT and loads one file with COPY INTO (Snowflake-only statements)", () => {
    assert.equal(
      putSql("/d/x.parquet", target, "listings.scraped/ingest_date=2026-11-27"),
      "PUT 'file:///d/x.parquet' @PHONEPIPE_LANDING/listings.scraped/ingest_date=2026-11-27 AUTO_COMPRESS = FALSE OVERWRITE = TRUE",
    );
    const copy = copyIntoSql(target, "listings.scraped/ingest_date=2026-11-27", "x.parquet", "2026-11-27");
    assert.match(
      copy,
      /^COPY INTO raw_listings FROM \(SELECT \$1:kafka_partition, .* METADATA\$FILENAME FROM @PHONEPIPE_LANDING\//,
    );
    assert.match(copy, /FILES = \('x\.parquet'\) FILE_FORMAT = \(TYPE = PARQUET\) FORCE = TRUE$/);
  });
});

describe("Snowflake sink configuration", () => {
  it("is off without PHONEPIPE_SNOWFLAKE_ACCOUNT and names the tables after the topic when on", () => {
    assert.equal(snowflakeConfigFromEnv("listings.scraped", listings, {}), undefined);
    const cfg = snowflakeConfigFromEnv("listings.scraped", listings, {
      PHONEPIPE_SNOWFLAKE_ACCOUNT: "acme-x1",
      PHONEPIPE_SNOWFLAKE_USER: "u",
    });
    assert.deepEqual(
      {
        stage: cfg?.target.stage,
        rawTable: cfg?.target.rawTable,
        table: cfg?.target.table,
        key: cfg?.target.key,
        eventTime: cfg?.target.eventTime,
      },
      {
        stage: "PHONEPIPE_LANDING",
        rawTable: "RAW_LISTINGS_SCRAPED",
        table: "LISTINGS_SCRAPED",
        key: "event_id",
        eventTime: "scraped_at",
      },
    );
  });
});
