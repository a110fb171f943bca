/**
 * The Snowflake sink's SQL, as pure text: stage a landing file (PUT), replace its rows in a raw table (DELETE,
 * COPY INTO), then MERGE the raw rows of that file into the keyed table, so replays and re-sent observations
 * collapse on the key. The DELETE, the MERGE and the table DDL are plain SQL that DuckDB also runs
 * (test/unit/stream/snowflake-sql.test.ts; all of them through snowflake-sdk in test/snowflake/).
 */
import { LandingColumn, landingColumns, TopicSpec } from "../../schemas/catalog-model";

export interface SnowflakeTarget {
  stage: string; // e.g. PHONEPIPE_LANDING (internal named stage)
  rawTable: string; // e.g. RAW_LISTINGS_SCRAPED
  table: string; // e.g. LISTINGS_SCRAPED
  /** The merge key: the topic's record id (each observation is kept; the stream deduped per window). */
  key: string;
  /** The topic's landing columns, lineage included, and its event-time column. */
  columns: LandingColumn[];
  eventTime: string;
}

/** The Snowflake tables of a topic: RAW_<TOPIC> (one row set per file) and <TOPIC> (keyed). */
export function snowflakeTarget(spec: TopicSpec, topic: string, stage: string): SnowflakeTarget {
  const base = topic.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
  return {
    stage,
    rawTable: `RAW_${base}`,
    table: base,
    key: spec.recordId,
    columns: landingColumns(spec),
    eventTime: spec.eventTime,
  };
}

const namesOf = (t: SnowflakeTarget) => t.columns.map((c) => c.name);

function q(id: string): string {
  return `"${id.replace(/"/g, '""')}"`;
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function createTablesSql(t: SnowflakeTarget): string[] {
  const cols = t.columns.map((c) => `${q(c.name)} ${c.type.toUpperCase()}`).join(", ");
  return [
    `CREATE TABLE IF NOT EXISTS ${t.rawTable} (${cols}, "ingest_date" DATE, "source_file" VARCHAR)`,
    `CREATE TABLE IF NOT EXISTS ${t.table} (${cols}, "ingest_date" DATE)`,
  ];
}

/** Snowflake only: upload the file to the stage folder of its partition (same name: a replay overwrites). */
export function putSql(localPath: string, t: SnowflakeTarget, stagePath: string): string {
  return `PUT ${lit(`file://${localPath}`)} @${t.stage}/${stagePath} AUTO_COMPRESS = FALSE OVERWRITE = TRUE`;
}

/** Snowflake only: load that one staged file into the raw table (FORCE: a replayed file is loaded again). */
export function copyIntoSql(
  t: SnowflakeTarget,
  stagePath: string,
  fileName: string,
  ingestDate: string,
): string {
  const select = namesOf(t)
    .map((c) => `$1:${c}`)
    .join(", ");
  return (
    `COPY INTO ${t.rawTable} FROM (SELECT ${select}, ${lit(ingestDate)}::DATE, METADATA$FILENAME ` +
    `FROM @${t.stage}/${stagePath}) FILES = (${lit(fileName)}) FILE_FORMAT = (TYPE = PARQUET) FORCE = TRUE`
  );
}

/**
 * Before a file is loaded: drop the raw rows an earlier load of the same file name left (a replayed window, or
 * a retry after the COPY had succeeded), so the raw table holds each file once. COPY ... FORCE = TRUE appends
 * a file again; without this the MERGE would see every key of a replayed file twice, which Snowflake refuses
 * for WHEN MATCHED ... UPDATE ("Duplicate row detected during DML action") and inserts twice when the key is
 * not in the keyed table yet. Shared by Snowflake and DuckDB.
 */
export function deleteFileRowsSql(t: SnowflakeTarget, sourceFileLike: string): string {
  return `DELETE FROM ${t.rawTable} WHERE "source_file" LIKE ${lit(sourceFileLike)}`;
}

/**
 * Upsert the rows of one source file from the raw table into the keyed table. Shared by Snowflake and DuckDB.
 * Within the file the key is unique (LANDING.md); across files the later event time wins.
 */
export function mergeSql(t: SnowflakeTarget, sourceFileLike: string): string {
  const cols = [...namesOf(t), "ingest_date"];
  const time = q(t.eventTime);
  const set = cols
    .filter((c) => c !== t.key)
    .map((c) => `${q(c)} = s.${q(c)}`)
    .join(", ");
  return (
    `MERGE INTO ${t.table} AS t USING (SELECT ${cols.map(q).join(", ")} FROM ${t.rawTable} ` +
    `WHERE "source_file" LIKE ${lit(sourceFileLike)}) AS s ON t.${q(t.key)} = s.${q(t.key)} ` +
    `WHEN MATCHED AND s.${time} >= t.${time} THEN UPDATE SET ${set} ` +
    `WHEN NOT MATCHED THEN INSERT (${cols.map(q).join(", ")}) VALUES (${cols.map((c) => `s.${q(c)}`).join(", ")})`
  );
}
