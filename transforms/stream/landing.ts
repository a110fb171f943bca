/**
 * Landing-zone naming and columns (schemas/LANDING.md). Pure: paths and SQL text only, no I/O.
 */
import { createHash } from "node:crypto";

/** 'YYYYMMDDTHHMMSSZ' of a window start (UTC). */
export function windowStamp(windowStartMs: number): string {
  const iso = new Date(windowStartMs).toISOString(); // 2026-11-27T16:30:05.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** Hive partition value: the UTC date of the window start. */
export function ingestDate(windowStartMs: number): string {
  return new Date(windowStartMs).toISOString().slice(0, 10);
}

export function windowStartOf(eventTimeMs: number, windowMs: number): number {
  return Math.floor(eventTimeMs / windowMs) * windowMs;
}

/**
 * The file of one (window, shard). The on-time pane owns `<stamp>_<shard>.parquet`; a late pane (data that
 * arrived after the watermark passed the window) gets a name derived from its content, so a replay of the
 * same late data rewrites the same file and never clobbers the on-time one.
 */
export function landingFileName(windowStartMs: number, shard: number, lateKeys?: string[]): string {
  const base = `${windowStamp(windowStartMs)}_${String(shard).padStart(3, "0")}`;
  if (!lateKeys) return `${base}.parquet`;
  const h = createHash("sha1");
  for (const id of [...lateKeys].sort()) h.update(id).update("\n");
  return `${base}_late-${h.digest("hex").slice(0, 12)}.parquet`;
}

export function landingDir(dataDir: string, topic: string, windowStartMs: number): string {
  return `${dataDir}/landing/${topic}/ingest_date=${ingestDate(windowStartMs)}`;
}

/** Column name → DuckDB type of the JSON staging read, and the SELECT expression that gives the LANDING type. */
export const LISTING_COLUMNS: Array<[name: string, stageType: string, select: string]> = [
  ["kafka_partition", "INTEGER", "kafka_partition"],
  ["kafka_offset", "BIGINT", "kafka_offset"],
  ["schema_id", "INTEGER", "schema_id"],
  ["ingested_at", "BIGINT", "make_timestamp(ingested_at * 1000) AS ingested_at"],
  ["event_id", "VARCHAR", "event_id"],
  ["source", "VARCHAR", "source"],
  ["source_domain", "VARCHAR", "source_domain"],
  ["source_type", "VARCHAR", "source_type"],
  ["url", "VARCHAR", "url"],
  ["title", "VARCHAR", "title"],
  ["price_text", "VARCHAR", "price_text"],
  ["currency_hint", "VARCHAR", "currency_hint"],
  ["seller_name", "VARCHAR", "seller_name"],
  ["condition_text", "VARCHAR", "condition_text"],
  ["availability", "VARCHAR", "availability"],
  ["scraped_at", "BIGINT", "make_timestamp(scraped_at * 1000) AS scraped_at"],
  ["raw_json", "VARCHAR", "raw_json"],
  ["brand", "VARCHAR", "brand"],
  ["model", "VARCHAR", "model"],
  ["color", "VARCHAR", "color"],
  ["condition", "VARCHAR", '"condition"'],
  ["listing_type", "VARCHAR", "listing_type"],
  ["storage_gb", "INTEGER", "storage_gb"],
  ["ram_gb", "INTEGER", "ram_gb"],
  ["confidence", "DOUBLE", "confidence"],
  ["price_amount", "DOUBLE", "CAST(price_amount AS DECIMAL(14,2)) AS price_amount"],
  ["price_currency", "VARCHAR", "price_currency"],
  ["price_egp", "DOUBLE", "CAST(price_egp AS DECIMAL(14,2)) AS price_egp"],
];

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The SQL type a landing column has in the Parquet file (and in the Snowflake raw tables). */
export function landingSqlType([, stageType, select]: [string, string, string]): string {
  if (select.includes("make_timestamp")) return "TIMESTAMP";
  if (select.includes("DECIMAL(14,2)")) return "DECIMAL(14,2)";
  if (select.includes("AS DATE")) return "DATE";
  return stageType;
}

/** DuckDB statement turning a newline-delimited JSON staging file into one landing Parquet file. */
export function copyJsonToParquetSql(
  jsonPath: string,
  parquetPath: string,
  landingColumns: Array<[string, string, string]> = LISTING_COLUMNS,
  orderBy: string[] = ["url", "event_id"],
): string {
  const columns = landingColumns.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(", ");
  const select = landingColumns.map(([, , s]) => s).join(", ");
  return (
    `COPY (SELECT ${select} FROM read_json(${sqlString(jsonPath)}, format = 'newline_delimited', ` +
    `columns = {${columns}}) ORDER BY ${orderBy.map((c) => `"${c}"`).join(", ")}) TO ${sqlString(parquetPath)} (FORMAT parquet)`
  );
}
