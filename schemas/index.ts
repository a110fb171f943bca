import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as avro from "avsc";
import { loadCatalog, schemaDir, topicNames } from "./catalog";

export { schemaDir };

/**
 * The Avro contracts of every topic, loaded from schemas/avro/*.avsc, and the avsc logical types that make
 * their values plain JSON-friendly JavaScript:
 * - `decimal` (money) ↔ a JS number with at most `scale` decimals;
 * - `date` ↔ a 'YYYY-MM-DD' string;
 * - `timestamp-millis` stays an epoch-milliseconds number (avsc's default for an unknown logical type).
 */

/** Every topic of the catalog (schemas/avro/*.topic.yaml), sorted by name. */
export const TOPICS: readonly string[] = topicNames();
export type Topic = string;

/** Event time (epoch ms) of a record, or undefined when the topic has none (dead letters use failed_at). */
export function eventTimeOf(topic: string, value: Record<string, unknown>): number | undefined {
  const field = topic.endsWith(".dlq")
    ? "failed_at"
    : loadCatalog().find((s) => s.topic === topic)?.eventTime;
  const v = field ? value[field] : undefined;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export const DLQ_SUFFIX = ".dlq";
export const dlqTopic = (topic: string): string => `${topic}${DLQ_SUFFIX}`;
export const subjectFor = (topic: string): string => `${topic}-value`;

export class DecimalType extends avro.types.LogicalType {
  private readonly scale: number;
  private readonly precision: number;

  constructor(schema: avro.Schema, opts?: object) {
    super(schema, opts);
    const attrs = schema as { scale?: number; precision?: number };
    this.scale = attrs.scale ?? 0;
    this.precision = attrs.precision ?? 38;
  }

  _fromValue(buf: Buffer): number {
    let n = 0n;
    for (const byte of buf) n = (n << 8n) | BigInt(byte);
    if (buf.length > 0 && buf[0] & 0x80) n -= 1n << BigInt(buf.length * 8);
    return Number(n) / 10 ** this.scale;
  }

  _toValue(value: unknown): Buffer {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(`decimal value must be a finite number, got ${JSON.stringify(value)}`);
    }
    let n = BigInt(Math.round(value * 10 ** this.scale));
    if (n.toString().replace("-", "").length > this.precision) {
      throw new Error(`decimal ${value} exceeds precision ${this.precision}`);
    }
    const bytes: number[] = [];
    // Two's complement, big endian, minimal length.
    for (;;) {
      const byte = Number(n & 0xffn);
      bytes.unshift(byte);
      n >>= 8n;
      if ((n === 0n && !(byte & 0x80)) || (n === -1n && byte & 0x80)) break;
    }
    return Buffer.from(bytes);
  }

  _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    if (avro.Type.isType(type, "logical:decimal")) return (v) => v;
    return undefined;
  }

  /** A value is valid when it is a number that fits the declared precision at the declared scale. */
  isValidDecimal(value: unknown): boolean {
    if (typeof value !== "number" || !Number.isFinite(value)) return false;
    return BigInt(Math.round(Math.abs(value) * 10 ** this.scale)).toString().length <= this.precision;
  }
}

const DAY_MS = 86_400_000;

export class DateType extends avro.types.LogicalType {
  _fromValue(days: number): string {
    return new Date(days * DAY_MS).toISOString().slice(0, 10);
  }

  _toValue(value: unknown): number {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new Error(`date must be a 'YYYY-MM-DD' string, got ${JSON.stringify(value)}`);
    }
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
      throw new Error(`date ${value} is not a real calendar date`);
    }
    return Math.round(ms / DAY_MS);
  }

  _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    if (avro.Type.isType(type, "int", "logical:date")) return (v) => v;
    return undefined;
  }
}

export const LOGICAL_TYPES = { decimal: DecimalType, date: DateType };

/** Parses an Avro schema (object or JSON text) with the project's logical types. */
export function parseSchema(schema: object | string): avro.Type {
  const obj = typeof schema === "string" ? (JSON.parse(schema) as object) : schema;
  return avro.Type.forSchema(obj as avro.Schema, { logicalTypes: LOGICAL_TYPES, wrapUnions: false });
}

const fileCache = new Map<string, object>();

/** The schema JSON of a topic's value (`<topic>.avsc`); every `<topic>.dlq` uses dead_letter.avsc. */
export function schemaJsonFor(topic: string, dir: string = schemaDir()): object {
  const file = topic.endsWith(DLQ_SUFFIX) ? "dead_letter.avsc" : `${topic}.avsc`;
  const path = join(dir, file);
  let json = fileCache.get(path);
  if (!json) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      throw new Error(`no schema for topic '${topic}': ${path} does not exist`);
    }
    json = JSON.parse(text) as object;
    fileCache.set(path, json);
  }
  return json;
}

const typeCache = new Map<string, avro.Type>();

export function loadTopicSchema(topic: string, dir: string = schemaDir()): avro.Type {
  const key = `${dir}::${topic.endsWith(DLQ_SUFFIX) ? DLQ_SUFFIX : topic}`;
  let t = typeCache.get(key);
  if (!t) {
    t = parseSchema(schemaJsonFor(topic, dir));
    typeCache.set(key, t);
  }
  return t;
}

/** Every .avsc file in a directory keyed by file name without extension. */
export function readSchemaFiles(dir: string = schemaDir()): Map<string, object> {
  const out = new Map<string, object>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".avsc"))
    .sort()) {
    out.set(f.slice(0, -5), JSON.parse(readFileSync(join(dir, f), "utf8")) as object);
  }
  return out;
}

/** Topic → schema file stem: every catalog topic, plus one dlq topic each sharing `dead_letter`. */
export function allSubjects(): Array<{ topic: string; subject: string; schemaFile: string }> {
  const out: Array<{ topic: string; subject: string; schemaFile: string }> = [];
  for (const t of TOPICS) {
    out.push({ topic: t, subject: subjectFor(t), schemaFile: t });
    out.push({ topic: dlqTopic(t), subject: subjectFor(dlqTopic(t)), schemaFile: "dead_letter" });
  }
  return out;
}
