/**
 * The topic catalog's model: one entry per topic (`schemas/avro/<topic>.topic.yaml`) joined with its Avro
 * contract (`<topic>.avsc`) into a TopicSpec, the single definition the stream job, the registration, dbt,
 * Airflow, the sample-landing generator and the quality checks derive from. Field types are defined once, in
 * the contract; the entry adds what the contract cannot say (key, dedupe, partitions, hooks). Pure: no I/O.
 */

/** Landing column types, spelt as DuckDB names them (dbt maps them for other targets). */
export type LandingType =
  | "varchar"
  | "integer"
  | "bigint"
  | "double"
  | "boolean"
  | "timestamp"
  | "date"
  | `decimal(${number},${number})`;

export interface LandingColumn {
  name: string;
  type: LandingType;
}

/** Topic-specific processing in code (transforms/stream/hooks); the default handles every other topic. */
export const HOOKS = ["listing"] as const;
export type HookName = (typeof HOOKS)[number];

export interface TopicSpec {
  topic: string;
  /** Warehouse table name: the topic with non-alphanumerics as underscores. */
  table: string;
  description: string;
  /** Kafka message key and dedupe key: one landed row per key per window. */
  key: string;
  /** Identity of one record: event-time tie-break, late file names, the warehouse merge key. */
  recordId: string;
  eventTime: string;
  dedupe: "latest_per_key";
  partitions: number;
  retentionDays: number;
  hook?: HookName;
  /** Field normalized into brand, model, storage_gb and ram_gb. */
  productTitle?: string;
  /** Field holding an ISO currency code that must be known. */
  currency?: string;
  /** The role that writes the topic (its only Kafka writer in the secure profile, docs/security.md). */
  producer?: string;
  /** Contract fields of a decimal type: non-negative and below the absurd-price bound when present. */
  money: string[];
  /** The landing columns this topic's rows carry, before the lineage columns. */
  columns: LandingColumn[];
}

/** Columns every landed row has, written by the stream job (ingest_date is the Hive partition). */
export const LINEAGE_COLUMNS: LandingColumn[] = [
  { name: "kafka_partition", type: "integer" },
  { name: "kafka_offset", type: "bigint" },
  { name: "schema_id", type: "integer" },
  { name: "ingested_at", type: "timestamp" },
];
export const PARTITION_COLUMN: LandingColumn = { name: "ingest_date", type: "date" };

/** Columns product normalization adds to a topic with a `product_title`. */
export const PRODUCT_COLUMNS: LandingColumn[] = [
  { name: "brand", type: "varchar" },
  { name: "model", type: "varchar" },
  { name: "storage_gb", type: "integer" },
  { name: "ram_gb", type: "integer" },
];

/** Columns the listing hook adds: the normalized listing (docs/normalization.md). */
export const LISTING_HOOK_COLUMNS: LandingColumn[] = [
  { name: "brand", type: "varchar" },
  { name: "model", type: "varchar" },
  { name: "color", type: "varchar" },
  { name: "condition", type: "varchar" },
  { name: "listing_type", type: "varchar" },
  { name: "storage_gb", type: "integer" },
  { name: "ram_gb", type: "integer" },
  { name: "confidence", type: "double" },
  { name: "price_amount", type: "decimal(14,2)" },
  { name: "price_currency", type: "varchar" },
  { name: "price_egp", type: "decimal(14,2)" },
];

type AvroType = string | { type: string | AvroType; logicalType?: string; [k: string]: unknown } | AvroType[];
interface AvroField {
  name: string;
  type: AvroType;
}

export class CatalogError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "CatalogError";
  }
}

/** The landing column of one Avro field: complex values land as JSON text in `<name>_json`. */
export function landingColumnOf(field: AvroField, file: string): LandingColumn {
  let t = field.type;
  if (Array.isArray(t)) {
    const branches = t.filter((b) => b !== "null");
    if (branches.length !== 1)
      throw new CatalogError(file, `field '${field.name}': only ["null", T] unions can land`);
    t = branches[0];
  }
  if (typeof t === "object" && !Array.isArray(t) && typeof t.type === "object") t = t.type;
  const name = field.name;
  if (typeof t === "string") {
    const simple: Record<string, LandingType> = {
      string: "varchar",
      int: "integer",
      long: "bigint",
      double: "double",
      float: "double",
      boolean: "boolean",
    };
    if (simple[t]) return { name, type: simple[t] };
    throw new CatalogError(file, `field '${name}': Avro type '${t}' has no landing type`);
  }
  if (Array.isArray(t)) throw new CatalogError(file, `field '${name}': nested unions cannot land`);
  if (t.logicalType === "timestamp-millis") return { name, type: "timestamp" };
  if (t.logicalType === "date") return { name, type: "date" };
  if (t.logicalType === "decimal")
    return { name, type: `decimal(${Number(t.precision ?? 38)},${Number(t.scale ?? 0)})` };
  if (t.type === "enum") return { name, type: "varchar" };
  if (t.type === "map" || t.type === "record" || t.type === "array")
    return { name: `${name}_json`, type: "varchar" };
  return landingColumnOf({ name, type: t.type }, file);
}

const ENTRY_KEYS = new Set([
  "topic",
  "description",
  "key",
  "record_id",
  "event_time",
  "dedupe",
  "partitions",
  "retention_days",
  "hook",
  "product_title",
  "currency",
  "producer",
]);

function requireString(entry: Record<string, unknown>, k: string, file: string): string {
  const v = entry[k];
  if (typeof v !== "string" || v.trim() === "")
    throw new CatalogError(file, `'${k}' must be a non-empty string`);
  return v;
}

function requirePositiveInt(entry: Record<string, unknown>, k: string, file: string): number {
  const v = entry[k];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new CatalogError(file, `'${k}' must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function requireField(fields: AvroField[], name: string, what: string, file: string): AvroField {
  const f = fields.find((x) => x.name === name);
  if (!f) throw new CatalogError(file, `${what} '${name}' is not a field of the contract`);
  return f;
}

function checkKeys(entry: Record<string, unknown>, file: string): void {
  for (const k of Object.keys(entry))
    if (!ENTRY_KEYS.has(k))
      throw new CatalogError(file, `unknown key '${k}' (known: ${[...ENTRY_KEYS].join(", ")})`);
  if (entry.dedupe !== "latest_per_key")
    throw new CatalogError(file, `'dedupe' must be latest_per_key, got ${JSON.stringify(entry.dedupe)}`);
  if (entry.hook !== undefined && !HOOKS.includes(entry.hook as HookName))
    throw new CatalogError(file, `unknown hook ${JSON.stringify(entry.hook)} (known: ${HOOKS.join(", ")})`);
  if (entry.producer !== undefined && !/^[a-z][a-z0-9-]*$/.test(String(entry.producer)))
    throw new CatalogError(file, `'producer' must be a role name, got ${JSON.stringify(entry.producer)}`);
}

function columnsOf(
  fields: AvroField[],
  hook: HookName | undefined,
  productTitle: string | undefined,
  file: string,
) {
  const columns = fields.map((f) => landingColumnOf(f, file));
  if (hook === "listing") columns.push(...LISTING_HOOK_COLUMNS);
  else if (productTitle) columns.push(...PRODUCT_COLUMNS);
  const seen = new Set<string>(LINEAGE_COLUMNS.map((c) => c.name).concat(PARTITION_COLUMN.name));
  for (const c of columns) {
    if (seen.has(c.name)) throw new CatalogError(file, `landing column '${c.name}' is defined twice`);
    seen.add(c.name);
  }
  return columns;
}

/** Joins a parsed catalog entry with its contract (the .avsc JSON) into the topic's spec. */
export function buildTopicSpec(entry: Record<string, unknown>, contract: object, file: string): TopicSpec {
  checkKeys(entry, file);
  const topic = requireString(entry, "topic", file);
  const fields = (contract as { fields?: AvroField[] }).fields;
  if (!Array.isArray(fields))
    throw new CatalogError(file, `the contract of '${topic}' is not an Avro record`);
  const hook = entry.hook as HookName | undefined;
  const key = requireField(fields, requireString(entry, "key", file), "key", file).name;
  const recordId = requireField(fields, requireString(entry, "record_id", file), "record_id", file).name;
  const eventTime = requireField(fields, requireString(entry, "event_time", file), "event_time", file);
  if (landingColumnOf(eventTime, file).type !== "timestamp")
    throw new CatalogError(file, `event_time '${eventTime.name}' must be a timestamp-millis field`);
  const productTitle =
    entry.product_title === undefined
      ? undefined
      : requireField(fields, requireString(entry, "product_title", file), "product_title", file).name;
  const currency =
    entry.currency === undefined
      ? undefined
      : requireField(fields, requireString(entry, "currency", file), "currency", file).name;
  const columns = columnsOf(fields, hook, productTitle, file);
  return {
    topic,
    table: topic.replace(/[^A-Za-z0-9]+/g, "_").toLowerCase(),
    description: requireString(entry, "description", file),
    key,
    recordId,
    eventTime: eventTime.name,
    dedupe: "latest_per_key",
    partitions: requirePositiveInt(entry, "partitions", file),
    retentionDays: requirePositiveInt(entry, "retention_days", file),
    ...(hook ? { hook } : {}),
    ...(productTitle ? { productTitle } : {}),
    ...(currency ? { currency } : {}),
    ...(typeof entry.producer === "string" ? { producer: entry.producer } : {}),
    money: fields.filter((f) => landingColumnOf(f, file).type.startsWith("decimal")).map((f) => f.name),
    columns,
  };
}

/** A topic's full landing column list in Parquet order: lineage first, then the topic's own columns. */
export function landingColumns(spec: TopicSpec): LandingColumn[] {
  return [...LINEAGE_COLUMNS, ...spec.columns];
}
