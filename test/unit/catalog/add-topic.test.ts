/**
 * Adding a topic is a contract plus a catalog entry: from a new `.avsc` and `.topic.yaml` in a folder of
 * their own, the stream pipeline (DirectRunner) lands the topic with the contract's types, deduplicated on
 * its key, and the generated dbt sources and landing contract pick it up. No code changes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as beam from "apache-beam";
import { DuckDBInstance } from "@duckdb/node-api";
import { directRunner } from "../../../pipelines/beam-sdk";
import { recordsToLanding } from "../../../pipelines/stream-pipeline";
import { encodeConfluent } from "../../../producers/wire-format";
import { parseSchema } from "../../../schemas";
import { loadCatalog } from "../../../schemas/catalog";
import { writeCatalogFiles } from "../../../schemas/catalog-files";
import { SourceRecord, toB64 } from "../../../transforms/stream/records";
import { offlineJobOptions } from "../stream/fixtures";

const TOPIC = "marketplace.reviews";
const SCHEMA_ID = 77;
const CONTRACT = {
  type: "record",
  name: "Review",
  namespace: "phonepipe.marketplace",
  fields: [
    { name: "review_id", type: "string" },
    { name: "listing_id", type: "string" },
    { name: "rating", type: "int" },
    { name: "comment", type: ["null", "string"], default: null },
    {
      name: "price_paid",
      type: ["null", { type: "bytes", logicalType: "decimal", precision: 14, scale: 2 }],
    },
    { name: "tags", type: { type: "map", values: "string" } },
    { name: "reviewed_on", type: { type: "int", logicalType: "date" } },
    { name: "created_at", type: { type: "long", logicalType: "timestamp-millis" } },
  ],
};
const ENTRY = `topic: ${TOPIC}
description: A buyer's review of a seller after an order.
key: review_id
record_id: review_id
event_time: created_at
dedupe: latest_per_key
partitions: 2
retention_days: 7
`;
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

function review(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    review_id: id,
    listing_id: "l-1",
    rating: 4,
    comment: "كويس جدا",
    price_paid: 12500.5,
    tags: { fast: "yes" },
    reviewed_on: "2026-11-27",
    created_at: T0 + 1000,
    ...over,
  };
}

describe("adding a topic: contract + catalog entry only", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pp-add-topic-"));
    writeFileSync(join(dir, `${TOPIC}.avsc`), JSON.stringify(CONTRACT));
    writeFileSync(join(dir, `${TOPIC}.topic.yaml`), ENTRY);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lands the new topic with the contract's types, one row per key", async () => {
    const type = parseSchema(CONTRACT);
    let offset = 0;
    const rec = (v: Record<string, unknown>): SourceRecord => ({
      topic: TOPIC,
      partition: 0,
      offset: offset++,
      timestamp: 0,
      keyB64: null,
      valueB64: toB64(encodeConfluent(SCHEMA_ID, type.toBuffer(v))),
    });
    const records = [
      rec(review("r-1")),
      rec(review("r-1", { rating: 5, created_at: T0 + 2000 })), // a later edit of the same review
      rec(review("r-2", { price_paid: null })),
      rec(review(" ")), // no key: a dead letter, the rest still lands
    ];
    const dataDir = join(dir, "data");
    const opts = offlineJobOptions(
      dataDir,
      { [SCHEMA_ID]: JSON.stringify(CONTRACT) },
      { topic: TOPIC, catalogDir: dir },
    );
    await directRunner().run((root: beam.Root) => recordsToLanding(root.apply(beam.create(records)), opts));

    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    const files = `${dataDir}/landing/${TOPIC}/*/*.parquet`;
    const described = (
      await conn.runAndReadAll(
        `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${files}'))`,
      )
    ).getRowObjectsJson();
    const types = Object.fromEntries(described.map((c) => [c.column_name, c.column_type]));
    assert.equal(types.rating, "INTEGER");
    assert.equal(types.price_paid, "DECIMAL(14,2)");
    assert.equal(types.reviewed_on, "DATE");
    assert.equal(types.created_at, "TIMESTAMP");
    assert.equal(types.tags_json, "VARCHAR");
    assert.equal(types.ingested_at, "TIMESTAMP");
    const rows = (
      await conn.runAndReadAll(
        `SELECT review_id, rating, price_paid::DOUBLE AS paid, tags_json, comment FROM read_parquet('${files}') ORDER BY review_id`,
      )
    ).getRowObjectsJson();
    assert.deepEqual(
      rows.map((r) => [r.review_id, r.rating, r.paid, r.tags_json, r.comment]),
      [
        ["r-1", 5, 12500.5, '{"fast":"yes"}', "كويس جدا"],
        ["r-2", 4, null, '{"fast":"yes"}', "كويس جدا"],
      ],
    );
    const dead = readFileSync(join(dataDir, "dlq.jsonl"), "utf8").trim().split("\n");
    assert.equal(dead.length, 1);
    assert.match(dead[0], /review_id is empty/);
  });

  it("is picked up by the generated dbt sources, landing contract and catalog.json", () => {
    const out = join(dir, "repo");
    const written = writeCatalogFiles(out, dir);
    assert.deepEqual(written.sort(), [
      "dbt/macros/landing_contract.sql",
      "dbt/models/staging/_landing__sources.yml",
      "schemas/generated/catalog.json",
    ]);
    const sources = readFileSync(join(out, "dbt/models/staging/_landing__sources.yml"), "utf8");
    assert.match(sources, /- name: marketplace_reviews\n/);
    assert.match(sources, /landing_dir'\) }}\/marketplace\.reviews\/\*\/\[!\.\]\*\.parquet/);
    const macro = readFileSync(join(out, "dbt/macros/landing_contract.sql"), "utf8");
    assert.match(macro, /'marketplace_reviews': 'marketplace\.reviews'/);
    assert.match(macro, /\('price_paid', 'decimal\(14,2\)'\)/);
    const json = JSON.parse(readFileSync(join(out, "schemas/generated/catalog.json"), "utf8"));
    assert.deepEqual(
      json.topics.map((t: { topic: string }) => t.topic),
      loadCatalog(dir).map((s) => s.topic),
    );
  });
});
