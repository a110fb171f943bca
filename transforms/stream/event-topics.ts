/**
 * The stream job's four event topics besides listings (schemas/LANDING.md): marketplace transactions, user
 * activity, AI price suggestions and reference prices. Each has a key, an event time, and optionally a
 * product title that is normalized into brand/model/storage/RAM. Pure: decode → validate → row, no I/O.
 */
import { decodeValue, SchemaLookup } from "./decode";
import { StageError } from "./errors";
import { KNOWN_CURRENCIES, MAX_PRICE_EGP } from "./validate";
import { deadLetter } from "./process";
import { fromB64, SourceRecord, DeadLetterRecord } from "./records";
import { normalizeListing } from "../normalize";

export type EventRow = Record<string, string | number | null>;

export interface EventTopicSpec {
  topic: string;
  key: string;
  eventTime: string;
  /** Field normalized into brand, model, storage_gb, ram_gb (null when the field is). */
  productTitle?: string;
  /** Money fields: when present they must be a non-negative amount below the absurd-price bound. */
  money: string[];
  currency?: string;
  /** [column, type of the JSON staging read, SELECT expression giving the LANDING.md type]. */
  columns: Array<[string, string, string]>;
}

const LINEAGE: Array<[string, string, string]> = [
  ["kafka_partition", "INTEGER", "kafka_partition"],
  ["kafka_offset", "BIGINT", "kafka_offset"],
  ["schema_id", "INTEGER", "schema_id"],
  ["ingested_at", "BIGINT", "make_timestamp(ingested_at * 1000) AS ingested_at"],
];
const PRODUCT: Array<[string, string, string]> = [
  ["brand", "VARCHAR", "brand"],
  ["model", "VARCHAR", "model"],
  ["storage_gb", "INTEGER", "storage_gb"],
  ["ram_gb", "INTEGER", "ram_gb"],
];
const text = (n: string): [string, string, string] => [n, "VARCHAR", `"${n}"`];
const time = (n: string): [string, string, string] => [
  n,
  "BIGINT",
  `make_timestamp("${n}" * 1000) AS "${n}"`,
];
const money = (n: string): [string, string, string] => [
  n,
  "DOUBLE",
  `CAST("${n}" AS DECIMAL(14,2)) AS "${n}"`,
];

export const EVENT_TOPICS: Record<string, EventTopicSpec> = {
  "marketplace.transactions": {
    topic: "marketplace.transactions",
    key: "event_id",
    eventTime: "occurred_at",
    productTitle: "product_title",
    money: ["amount"],
    currency: "currency",
    columns: [
      ...LINEAGE,
      ...[
        "event_id",
        "transaction_id",
        "event_type",
        "listing_id",
        "buyer_id",
        "seller_id",
        "product_title",
        "condition",
      ].map(text),
      money("amount"),
      text("currency"),
      text("payment_method"),
      time("occurred_at"),
      ...PRODUCT,
    ],
  },
  "marketplace.user_activity": {
    topic: "marketplace.user_activity",
    key: "event_id",
    eventTime: "occurred_at",
    money: [],
    columns: [
      ...LINEAGE,
      ...["event_id", "user_id", "session_id", "activity_type", "listing_id", "search_query", "device"].map(
        text,
      ),
      time("occurred_at"),
    ],
  },
  "pricing.suggestions": {
    topic: "pricing.suggestions",
    key: "suggestion_id",
    eventTime: "generated_at",
    productTitle: "product_title",
    money: ["suggested_price"],
    currency: "currency",
    columns: [
      ...LINEAGE,
      ...["suggestion_id", "listing_id", "product_title", "condition"].map(text),
      money("suggested_price"),
      text("currency"),
      ["confidence", "DOUBLE", "confidence"],
      text("model_version"),
      time("generated_at"),
      ...PRODUCT,
    ],
  },
  "market.reference_prices": {
    topic: "market.reference_prices",
    key: "record_id",
    eventTime: "loaded_at",
    productTitle: "product_title",
    money: ["price"],
    currency: "currency",
    columns: [
      ...LINEAGE,
      ...["record_id", "kind", "product_title", "retailer"].map(text),
      money("price"),
      ...["currency", "fx_base", "fx_quote"].map(text),
      ["fx_rate", "DOUBLE", "fx_rate"],
      ["effective_date", "VARCHAR", 'CAST("effective_date" AS DATE) AS "effective_date"'],
      text("source_file"),
      ["source_line", "INTEGER", "source_line"],
      time("loaded_at"),
      ...PRODUCT,
    ],
  },
};

export function eventTopicSpec(topic: string): EventTopicSpec {
  const spec = EVENT_TOPICS[topic];
  if (!spec) {
    throw new Error(
      `the stream job cannot land topic '${topic}': known topics are listings.scraped, ${Object.keys(EVENT_TOPICS).join(", ")}`,
    );
  }
  return spec;
}

function fail(message: string, errorType: string): never {
  throw new StageError("validate", message, errorType);
}

/** Business rules every event topic shares: a key, an event time, sane money and a known currency. */
export function validateEvent(spec: EventTopicSpec, v: Record<string, unknown>): void {
  const key = v[spec.key];
  if (typeof key !== "string" || key.trim() === "") fail(`${spec.key} is empty`, "empty_key");
  const t = v[spec.eventTime];
  if (typeof t !== "number" || !Number.isFinite(t) || t <= 0)
    fail(`${spec.eventTime} ${String(t)} is not a timestamp`, "bad_event_time");
  for (const m of spec.money) {
    const amount = v[m];
    if (amount === null || amount === undefined) continue;
    if (typeof amount !== "number" || !Number.isFinite(amount)) fail(`${m} is not a number`, "bad_amount");
    if (amount < 0) fail(`${m} ${amount} is negative`, "negative_price");
    if (amount > MAX_PRICE_EGP) fail(`${m} ${amount} is absurdly high`, "absurd_price");
  }
  if (spec.currency) {
    const c = v[spec.currency];
    if (
      c !== null &&
      c !== undefined &&
      (typeof c !== "string" || !KNOWN_CURRENCIES.has(c.trim().toUpperCase()))
    )
      fail(`${spec.currency} ${JSON.stringify(c)} is not a known currency`, "unknown_currency");
  }
}

function cell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return JSON.stringify(v);
}

export function processEventRecord(
  spec: EventTopicSpec,
  src: SourceRecord,
  deps: { schemaFor: SchemaLookup; now: () => number },
): { row: EventRow } | { dead: DeadLetterRecord } {
  try {
    const { schemaId, value: v } = decodeValue(fromB64(src.valueB64), deps.schemaFor);
    validateEvent(spec, v);
    const row: EventRow = { kafka_partition: src.partition, kafka_offset: src.offset, schema_id: schemaId };
    for (const [name] of spec.columns) if (!(name in row) && name in v) row[name] = cell(v[name]);
    if (spec.productTitle) {
      const title = v[spec.productTitle];
      let n = { brand: null, model: null, storage_gb: null, ram_gb: null } as Record<string, unknown>;
      if (typeof title === "string" && title.trim() !== "") {
        try {
          n = normalizeListing({ title }) as unknown as Record<string, unknown>;
        } catch (err) {
          throw new StageError("normalize", (err as Error).message, (err as Error).name || "normalize_error");
        }
      }
      for (const f of ["brand", "model", "storage_gb", "ram_gb"]) row[f] = cell(n[f]);
    }
    return { row };
  } catch (err) {
    return { dead: deadLetter(src, err, deps.now()) };
  }
}

/**
 * Dedupe within a window: one row per key (a re-sent or replayed event collapses); the later event time wins,
 * ties broken by Kafka position so the choice never depends on arrival order. Sorted by key.
 */
export function latestPerKey(rows: Iterable<EventRow>, spec: EventTopicSpec): EventRow[] {
  const best = new Map<string, EventRow>();
  const pos = (r: EventRow) => Number(r.kafka_partition ?? -1) * 1e15 + Number(r.kafka_offset ?? -1);
  for (const r of rows) {
    const k = String(r[spec.key]);
    const cur = best.get(k);
    if (
      !cur ||
      Number(r[spec.eventTime]) > Number(cur[spec.eventTime]) ||
      (Number(r[spec.eventTime]) === Number(cur[spec.eventTime]) && pos(r) < pos(cur))
    )
      best.set(k, r);
  }
  return [...best.values()].sort((a, b) => {
    const x = String(a[spec.key]);
    const y = String(b[spec.key]);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
