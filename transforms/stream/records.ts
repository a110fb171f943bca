/**
 * The plain-object shapes that travel between the stream job's stages. Kafka bytes are carried as base64
 * strings so that every element survives any Beam coder and shuffle unchanged (raw Uint8Arrays do not
 * round-trip through the TS SDK's default coder), and so a dead letter can keep the original bytes.
 */

import type { ScrapedListing } from "../../producers/scrapers/listing";

/** One Kafka record as read (KafkaIO, a kafkajs offset-range read, or a test fixture). */
export interface SourceRecord {
  topic: string;
  partition: number;
  offset: number;
  /** Kafka record timestamp (ms). */
  timestamp: number;
  keyB64: string | null;
  valueB64: string | null;
}

export type Stage = "decode" | "validate" | "normalize" | "sink";

/** A record that failed a stage, before it is encoded as a DeadLetter Avro record. */
export interface DeadLetterRecord {
  original_topic: string;
  partition: number;
  offset: number;
  original_key_b64: string | null;
  original_value_b64: string | null;
  stage: Stage;
  error: string;
  error_type: string | null;
  failed_at: number;
  pipeline: string;
}

/**
 * A listings.scraped observation ready for the landing zone (LANDING.md column names): the producer's record
 * (its raw map as JSON; availability as decoded, so any value the stream meets), its Kafka position, and the
 * normalized product and price.
 */
export interface ListingRow extends Omit<ScrapedListing, "raw" | "availability"> {
  kafka_partition: number | null;
  kafka_offset: number | null;
  schema_id: number | null;
  availability: string | null;
  raw_json: string;
  brand: string | null;
  model: string | null;
  color: string | null;
  condition: string | null;
  listing_type: string | null;
  storage_gb: number | null;
  ram_gb: number | null;
  /** null when the record landed without the normalizer (StreamJobOptions.normalize false). */
  confidence: number | null;
  price_amount: number | null;
  price_currency: string | null;
  price_egp: number | null;
}

/** Either a row for the landing or a dead letter: the output of decode → validate → normalize. */
export type Processed = { row: ListingRow } | { dead: DeadLetterRecord };

export const PIPELINE_NAME = "phonepipe-stream";

export function toB64(bytes: Uint8Array | null | undefined): string | null {
  if (bytes === null || bytes === undefined) return null;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
}

export function fromB64(b64: string | null): Buffer | null {
  return b64 === null ? null : Buffer.from(b64, "base64");
}
