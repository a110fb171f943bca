/** The pure stream transforms (transforms/stream), each rule on its own. */
import assert from "node:assert/strict";
import { decodeValue } from "../../../transforms/stream/decode";
import { StageError } from "../../../transforms/stream/errors";
import { validateListing, validateNormalizedPrice } from "../../../transforms/stream/validate";
import { processListingRecord } from "../../../transforms/stream/listing-hook";
import { shardOf } from "../../../transforms/stream/dedupe";
import { LandingRow, latestPerKey } from "../../../transforms/stream/topic-records";
import { topicSpec } from "../../../schemas/catalog";
import {
  landingDir,
  landingFileName,
  windowStamp,
  windowStartOf,
  copyJsonToParquetSql,
} from "../../../transforms/stream/landing";
import { deadLetterAvroValue, deadLetterKey } from "../../../transforms/stream/dead-letter";
import { loadTopicSchema, parseSchema } from "../../../schemas";
import { framed, listing, sourceRecord, STATIC_SCHEMAS, LISTING_SCHEMA_ID } from "./fixtures";

const lookup = (id: number) => (STATIC_SCHEMAS[id] ? parseSchema(STATIC_SCHEMAS[id]) : undefined);
const T = Date.UTC(2026, 10, 27, 12, 0, 0);

function stageOf(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StageError, String(e));
    return [e.stage, e.errorType];
  }
  return ["none", "none"];
}

describe("decode", () => {
  it("decodes a Confluent-framed listing with its writer schema", () => {
    const d = decodeValue(framed(listing("https://noon.com/a", T)), lookup);
    assert.equal(d.schemaId, LISTING_SCHEMA_ID);
    assert.equal(d.value.url, "https://noon.com/a");
    assert.equal(d.value.scraped_at, T);
  });
  it("rejects bytes without the Confluent header", () => {
    assert.deepEqual(
      stageOf(() => decodeValue(Buffer.from("hello"), lookup)),
      ["decode", "bad_frame"],
    );
    assert.deepEqual(
      stageOf(() => decodeValue(null, lookup)),
      ["decode", "bad_frame"],
    );
  });
  it("rejects an unknown schema id", () => {
    assert.deepEqual(
      stageOf(() => decodeValue(framed(listing("https://x.eg/a", T), 4242), lookup)),
      ["decode", "unknown_schema_id"],
    );
  });
  it("rejects a body that is not Avro of that schema", () => {
    const bytes = Buffer.concat([
      Buffer.from([0, 0, 0, 0, LISTING_SCHEMA_ID]),
      Buffer.from([0xff, 0xff, 0x01]),
    ]);
    assert.deepEqual(
      stageOf(() => decodeValue(bytes, lookup)),
      ["decode", "bad_avro_body"],
    );
  });
});

describe("validate", () => {
  const ok = listing("https://noon.com/a", T);
  it("accepts a normal listing", () => {
    assert.deepEqual(
      stageOf(() => validateListing(ok)),
      ["none", "none"],
    );
  });
  it("rejects an empty title, a non-URL, an unknown currency and a negative price", () => {
    assert.deepEqual(
      stageOf(() => validateListing({ ...ok, title: "  " })),
      ["validate", "empty_title"],
    );
    assert.deepEqual(
      stageOf(() => validateListing({ ...ok, url: "noon.com/a" })),
      ["validate", "bad_url"],
    );
    assert.deepEqual(
      stageOf(() => validateListing({ ...ok, currency_hint: "XYZ" })),
      ["validate", "unknown_currency"],
    );
    assert.deepEqual(
      stageOf(() => validateListing({ ...ok, price_text: "-5,000 EGP" })),
      ["validate", "negative_price"],
    );
    assert.deepEqual(
      stageOf(() => validateListing({ ...ok, price_text: "EGP -250" })),
      ["validate", "negative_price"],
    );
  });
  it("does not mistake a range or a model dash for a negative price", () => {
    assert.deepEqual(
      stageOf(() => validateListing({ ...ok, price_text: "EGP 24,999 - 25,999" })),
      ["none", "none"],
    );
  });
  it("rejects absurd normalized prices", () => {
    assert.deepEqual(
      stageOf(() => validateNormalizedPrice({ price_amount: 9e9, price_currency: "EGP", price_egp: 9e9 })),
      ["validate", "absurd_price"],
    );
    assert.deepEqual(
      stageOf(() =>
        validateNormalizedPrice({ price_amount: 20000, price_currency: "EGP", price_egp: 20000 }),
      ),
      ["none", "none"],
    );
  });
});

describe("process (decode → validate → normalize)", () => {
  const deps = { schemaFor: lookup, fxRatesToEgp: { USD: 50 }, now: () => 123 };
  it("calls the normalizer and maps the landing row", () => {
    const out = processListingRecord(
      sourceRecord(listing("https://noon.com/a", T, { price_text: "$500" })),
      deps,
    );
    assert.ok("row" in out);
    assert.equal(out.row.brand, "apple");
    assert.equal(out.row.storage_gb, 128);
    assert.equal(out.row.price_currency, "USD");
    assert.equal(out.row.price_egp, 25000);
    assert.equal(out.row.raw_json, '{"sku":"N1"}');
    assert.equal(out.row.schema_id, LISTING_SCHEMA_ID);
  });
  it("routes failures to a dead letter with the original bytes, stage, reason and time", () => {
    const src = sourceRecord(Buffer.from("junk, not a frame"), 3);
    const out = processListingRecord(src, deps);
    assert.ok("dead" in out);
    assert.equal(out.dead.stage, "decode");
    assert.equal(out.dead.partition, 3);
    assert.equal(out.dead.offset, src.offset);
    assert.equal(out.dead.original_value_b64, src.valueB64);
    assert.equal(out.dead.failed_at, 123);
    assert.match(out.dead.error, /magic byte/);
  });
});

describe("dead letter envelope", () => {
  it("encodes with dead_letter.avsc and keeps the original bytes", () => {
    const out = processListingRecord(sourceRecord(Buffer.from("junk")), {
      schemaFor: lookup,
      fxRatesToEgp: {},
      now: () => 5,
    });
    assert.ok("dead" in out);
    const type = loadTopicSchema("listings.scraped.dlq");
    const back = type.fromBuffer(type.toBuffer(deadLetterAvroValue(out.dead))) as Record<string, unknown>;
    assert.deepEqual(back.original_value, Buffer.from("junk"));
    assert.equal(back.stage, "decode");
    assert.equal(back.pipeline, "phonepipe-stream");
    assert.equal(deadLetterKey(out.dead), `listings.scraped/0/${out.dead.offset}`);
  });
});

describe("dedupe", () => {
  const listings = topicSpec("listings.scraped");
  const latestPerUrl = (rows: LandingRow[]) => latestPerKey(rows, listings);
  const row = (url: string, at: number, id: string): LandingRow => ({
    url,
    scraped_at: at,
    event_id: id,
    kafka_partition: 0,
    kafka_offset: at,
  });
  it("keeps the latest scraped_at per URL, whatever the arrival order", () => {
    const rows = [row("u1", 1, "a"), row("u1", 3, "c"), row("u2", 2, "b"), row("u1", 2, "x")];
    assert.deepEqual(
      latestPerUrl(rows).map((r) => r.event_id),
      ["c", "b"],
    );
    assert.deepEqual(
      latestPerUrl([...rows].reverse()).map((r) => r.event_id),
      ["c", "b"],
    );
  });
  it("collapses identical observations and breaks scraped_at ties by event_id", () => {
    assert.equal(latestPerUrl([row("u", 5, "a"), row("u", 5, "a")]).length, 1);
    assert.equal(latestPerUrl([row("u", 5, "a"), row("u", 5, "b")])[0].event_id, "b");
  });
  it("assigns a URL to the same shard every time", () => {
    assert.equal(shardOf("https://noon.com/a", 4), shardOf("https://noon.com/a", 4));
    const seen = new Set(Array.from({ length: 50 }, (_, i) => shardOf(`https://noon.com/${i}`, 4)));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
  });
});

describe("landing names", () => {
  it("derives partition, file name and window from the data", () => {
    const ws = windowStartOf(T + 4321, 5000);
    assert.equal(ws, T);
    assert.equal(windowStamp(ws), "20261127T120000Z");
    assert.equal(
      landingDir("/d", "listings.scraped", ws),
      "/d/landing/listings.scraped/ingest_date=2026-11-27",
    );
    assert.equal(landingFileName(ws, 1), "20261127T120000Z_001.parquet");
    const late = landingFileName(ws, 1, ["b", "a"]);
    assert.match(late, /^20261127T120000Z_001_late-[0-9a-f]{12}\.parquet$/);
    assert.equal(late, landingFileName(ws, 1, ["a", "b"]));
  });
  it("writes LANDING.md types: timestamps in microseconds, money as DECIMAL(14,2)", () => {
    const sql = copyJsonToParquetSql("/tmp/x.ndjson", "/tmp/x.parquet", topicSpec("listings.scraped"));
    assert.match(sql, /make_timestamp\("scraped_at" \* 1000\)/);
    assert.match(sql, /CAST\("price_egp" AS DECIMAL\(14,2\)\)/);
    assert.match(sql, /FORMAT parquet/);
  });
});
