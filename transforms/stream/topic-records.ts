/**
 * What the stream job does with a record of any catalog topic: decode → validate → row (a topic with a hook
 * hands the record to it), and the dedupe of a window's rows. Everything topic-specific comes from the topic's
 * TopicSpec (schemas/catalog-model.ts), so a new topic needs no code here. Pure: no I/O.
 */
import { decodeValue, SchemaLookup } from "./decode";
import { StageError } from "./errors";
import { KNOWN_CURRENCIES, MAX_PRICE_EGP } from "./validate";
import { deadLetter } from "./dead-letter";
import { processListingRecord } from "./listing-hook";
import { fromB64, SourceRecord, DeadLetterRecord } from "./records";
import { normalizeListing } from "../normalize";
import type { TopicSpec } from "../../schemas/catalog-model";

/** A landed row: landing column name → JSON value. */
export type LandingRow = Record<string, string | number | null>;

export interface RecordDeps {
  schemaFor: SchemaLookup;
  fxRatesToEgp: Record<string, number>;
  /** Clock for failed_at (injected so tests are deterministic). */
  now: () => number;
  /** false: no product normalization, the product columns land null (see ProcessDeps.normalize). */
  normalize?: boolean;
}

function fail(message: string, errorType: string): never {
  throw new StageError("validate", message, errorType);
}

function validateMoney(spec: TopicSpec, v: Record<string, unknown>): void {
  for (const m of spec.money) {
    const amount = v[m];
    if (amount === null || amount === undefined) continue;
    if (typeof amount !== "number" || !Number.isFinite(amount)) fail(`${m} is not a number`, "bad_amount");
    if (amount < 0) fail(`${m} ${amount} is negative`, "negative_price");
    if (amount > MAX_PRICE_EGP) fail(`${m} ${amount} is absurdly high`, "absurd_price");
  }
}

/** Business rules every topic shares: a key, an event time, sane money and a known currency. */
export function validateRecord(spec: TopicSpec, v: Record<string, unknown>): void {
  const key = v[spec.key];
  if (typeof key !== "string" || key.trim() === "") fail(`${spec.key} is empty`, "empty_key");
  const t = v[spec.eventTime];
  if (typeof t !== "number" || !Number.isFinite(t) || t <= 0)
    fail(`${spec.eventTime} ${String(t)} is not a timestamp`, "bad_event_time");
  validateMoney(spec, v);
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
  if (v instanceof Map) return JSON.stringify(Object.fromEntries(v));
  return JSON.stringify(v);
}

/** brand, model, storage_gb and ram_gb of the product title (all null when there is no title). */
function productColumns(title: unknown): Record<string, unknown> {
  if (typeof title !== "string" || title.trim() === "")
    return { brand: null, model: null, storage_gb: null, ram_gb: null };
  try {
    return normalizeListing({ title }) as unknown as Record<string, unknown>;
  } catch (err) {
    throw new StageError("normalize", (err as Error).message, (err as Error).name || "normalize_error");
  }
}

/** The landing row of a decoded, valid value: the contract's fields (complex ones as JSON) and the product. */
function rowOf(
  spec: TopicSpec,
  src: SourceRecord,
  schemaId: number,
  v: Record<string, unknown>,
  normalize: boolean,
): LandingRow {
  const row: LandingRow = { kafka_partition: src.partition, kafka_offset: src.offset, schema_id: schemaId };
  for (const { name } of spec.columns) {
    if (name in v) row[name] = cell(v[name]);
    else if (name.endsWith("_json") && name.slice(0, -5) in v) row[name] = cell(v[name.slice(0, -5)] ?? {});
  }
  if (spec.productTitle) {
    const n = productColumns(normalize ? v[spec.productTitle] : null);
    for (const f of ["brand", "model", "storage_gb", "ram_gb"]) row[f] = cell(n[f]);
  }
  return row;
}

/** decode → validate → row for one record of a topic, or its dead letter. */
export function processRecord(
  spec: TopicSpec,
  src: SourceRecord,
  deps: RecordDeps,
): { row: LandingRow } | { dead: DeadLetterRecord } {
  if (spec.hook === "listing")
    return processListingRecord(src, deps) as { row: LandingRow } | { dead: DeadLetterRecord };
  try {
    const { schemaId, value: v } = decodeValue(fromB64(src.valueB64), deps.schemaFor);
    validateRecord(spec, v);
    return { row: rowOf(spec, src, schemaId, v, deps.normalize !== false) };
  } catch (err) {
    return { dead: deadLetter(src, err, deps.now()) };
  }
}

/** A row's event time; a missing or non-numeric one sorts first (NaN would make every comparison false). */
function eventTimeOf(r: LandingRow, spec: TopicSpec): number {
  const t = Number(r[spec.eventTime]);
  return Number.isNaN(t) ? -Infinity : t;
}

/** Kafka position as (partition, offset), compared in that order; a row without one sorts first. */
function comparePosition(a: LandingRow, b: LandingRow): number {
  const pa = Number(a.kafka_partition ?? -1);
  const pb = Number(b.kafka_partition ?? -1);
  if (pa !== pb) return pa - pb;
  return Number(a.kafka_offset ?? -1) - Number(b.kafka_offset ?? -1);
}

/** The row's cells in column-name order: the last tie-break, so equal-looking rows still compare totally. */
const canonical = (r: LandingRow): string =>
  JSON.stringify(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );

/**
 * Whether row a beats row b of the same key: later event time, then greater record id, then earlier Kafka
 * position, then the smaller content. A strict order on distinct rows, so the winner of a set of rows is the same
 * however they are grouped or ordered (dedupe per read then merge = dedupe of all at once).
 */
function wins(a: LandingRow, b: LandingRow, spec: TopicSpec): boolean {
  const ta = eventTimeOf(a, spec);
  const tb = eventTimeOf(b, spec);
  if (ta !== tb) return ta > tb;
  const ia = String(a[spec.recordId]);
  const ib = String(b[spec.recordId]);
  if (ia !== ib) return ia > ib;
  // The same record read twice (a replay): keep the earliest Kafka position for stable lineage.
  const pos = comparePosition(a, b);
  if (pos !== 0) return pos < 0;
  return canonical(a) < canonical(b);
}

/**
 * Dedupe within a window: one row per key, the latest event wins, so a re-sent or replayed record collapses.
 * Ties never depend on arrival order (a replay must pick the same row). Sorted by key.
 */
export function latestPerKey(rows: Iterable<LandingRow>, spec: TopicSpec): LandingRow[] {
  const best = new Map<string, LandingRow>();
  for (const r of rows) {
    const k = String(r[spec.key]);
    const cur = best.get(k);
    if (!cur || wins(r, cur, spec)) best.set(k, r);
  }
  return [...best.values()].sort((a, b) => {
    const x = String(a[spec.key]);
    const y = String(b[spec.key]);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
