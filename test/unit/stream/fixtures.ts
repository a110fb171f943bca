/** Test data for the stream job: listings.scraped values, Confluent-framed, as SourceRecords. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { StreamJobOptions } from "../../../pipelines/stream-pipeline";
import { encodeConfluent } from "../../../producers/wire-format";
import { loadTopicSchema, parseSchema, schemaJsonFor } from "../../../schemas";
import { processListingRecord } from "../../../transforms/stream/listing-hook";
import { ListingRow, SourceRecord, toB64 } from "../../../transforms/stream/records";
import type { LandingRow } from "../../../transforms/stream/topic-records";

export const LISTING_SCHEMA_ID = 7;
export const STATIC_SCHEMAS: Record<number, string> = {
  [LISTING_SCHEMA_ID]: JSON.stringify(schemaJsonFor("listings.scraped")),
};

export function listing(
  url: string,
  scrapedAt: number,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const source = "noon";
  return {
    event_id: createHash("sha256").update(`${source}|${url}|${scrapedAt}`).digest("hex"),
    source,
    source_domain: "noon.com",
    source_type: "competitor",
    url,
    title: "Apple iPhone 13 128GB Blue",
    price_text: "EGP 24,999.00",
    currency_hint: "EGP",
    seller_name: "noon",
    condition_text: "very good",
    availability: "in_stock",
    scraped_at: scrapedAt,
    raw: { sku: "N1" },
    ...over,
  };
}

export function framed(value: Record<string, unknown>, schemaId = LISTING_SCHEMA_ID): Buffer {
  return encodeConfluent(schemaId, loadTopicSchema("listings.scraped").toBuffer(value));
}

let offset = 0;
export function sourceRecord(
  value: Buffer | Record<string, unknown>,
  partition = 0,
  topic = "listings.scraped",
): SourceRecord {
  const bytes = Buffer.isBuffer(value) ? value : framed(value);
  return {
    topic,
    partition,
    offset: offset++,
    timestamp: 0,
    keyB64: toB64(Buffer.from("k")),
    valueB64: toB64(bytes),
  };
}

/** A listing observation through decode → validate → normalize, as the landing (and Snowflake) receive it. */
export function listingRow(url: string, scrapedAt: number, priceText: string): ListingRow {
  const out = processListingRecord(sourceRecord(listing(url, scrapedAt, { price_text: priceText })), {
    schemaFor: (id) => parseSchema(STATIC_SCHEMAS[id]),
    fxRatesToEgp: {},
    now: () => 0,
  });
  assert.ok("row" in out, "the fixture listing is valid");
  return out.row;
}

/** A marketplace.transactions value: an order of tx-1 for a used S23 Ultra, with the fields `over` sets. */
export function transaction(occurredAt: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: "tx-1",
    transaction_id: "t-1",
    event_type: "order_placed",
    listing_id: "l-1",
    buyer_id: "b-1",
    seller_id: "s-1",
    product_title: "Samsung Galaxy S23 Ultra 256GB",
    condition: "used_good",
    amount: 41999.5,
    currency: "EGP",
    payment_method: "cash",
    occurred_at: occurredAt,
    ...over,
  };
}

/**
 * Options of the stream job for the DirectRunner without a broker or registry: writer schemas from `schemas`,
 * dead letters to `<dataDir>/dlq.jsonl`, 5 s windows, two shards; `over` sets the rest.
 */
export function offlineJobOptions(
  dataDir: string,
  schemas: Record<number, string>,
  over: Partial<StreamJobOptions> = {},
): StreamJobOptions {
  return {
    topic: "listings.scraped",
    dataDir,
    registryUrl: "http://127.0.0.1:1/unused",
    brokers: [],
    windowSeconds: 5,
    shards: 2,
    allowedLatenessSeconds: 0,
    fxRatesToEgp: {},
    staticSchemas: schemas,
    deadLetterFile: join(dataDir, "dlq.jsonl"),
    ...over,
  };
}

/** A landing row with only what the dedupe looks at: key, event time, record id and Kafka position. */
export function dedupeRow(
  url: string,
  at: number,
  id: string,
  partition = 0,
  offset = 0,
  extra: Record<string, string | number | null> = {},
): LandingRow {
  return { url, scraped_at: at, event_id: id, kafka_partition: partition, kafka_offset: offset, ...extra };
}
