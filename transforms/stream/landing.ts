/**
 * Landing-zone naming and the SQL that writes a topic's landing columns (schemas/LANDING.md). Pure: paths and
 * SQL text only, no I/O.
 */
import { createHash } from "node:crypto";
import { LandingColumn, landingColumns, TopicSpec } from "../../schemas/catalog-model";

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

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * How a landing column is staged: the DuckDB type of the JSON staging read and the SELECT expression giving
 * the landing type (event times travel as epoch milliseconds, money as numbers, dates as 'YYYY-MM-DD').
 */
export function stagedColumn(c: LandingColumn): { stageType: string; select: string } {
  const n = quoted(c.name);
  if (c.type === "timestamp") return { stageType: "BIGINT", select: `make_timestamp(${n} * 1000) AS ${n}` };
  if (c.type === "date") return { stageType: "VARCHAR", select: `CAST(${n} AS DATE) AS ${n}` };
  if (c.type.startsWith("decimal"))
    return { stageType: "DOUBLE", select: `CAST(${n} AS ${c.type.toUpperCase()}) AS ${n}` };
  return { stageType: c.type.toUpperCase(), select: n };
}

/** The order rows are written in: by key, then record id, so a file's content is deterministic. */
export function landingOrder(spec: TopicSpec): string[] {
  return spec.key === spec.recordId ? [spec.key] : [spec.key, spec.recordId];
}

/** DuckDB statement turning a newline-delimited JSON staging file into one landing Parquet file. */
export function copyJsonToParquetSql(jsonPath: string, parquetPath: string, spec: TopicSpec): string {
  const cols = landingColumns(spec);
  const staged = cols.map((c) => stagedColumn(c));
  const columns = cols.map((c, i) => `${sqlString(c.name)}: ${sqlString(staged[i].stageType)}`).join(", ");
  const select = staged.map((s) => s.select).join(", ");
  return (
    `COPY (SELECT ${select} FROM read_json(${sqlString(jsonPath)}, format = 'newline_delimited', ` +
    `columns = {${columns}}) ORDER BY ${landingOrder(spec).map(quoted).join(", ")}) TO ${sqlString(parquetPath)} (FORMAT parquet)`
  );
}
