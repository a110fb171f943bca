/** Test data for the stream job: listings.scraped values, Confluent-framed, as SourceRecords. */
import { createHash } from "node:crypto";
import { encodeConfluent } from "../../../producers/wire-format";
import { loadTopicSchema, schemaJsonFor } from "../../../schemas";
import { SourceRecord, toB64 } from "../../../transforms/stream/records";

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
