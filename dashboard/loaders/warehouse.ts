// Warehouse access for the dashboard's data loaders. The queries (queries/*.ts) are written once in SQL that
// DuckDB, Snowflake and PostgreSQL all accept; PHONEPIPE_DBT_TARGET picks the backend the same way it picks
// dbt's target (dbt/profiles.yml), with the same environment variables.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export type Row = Record<string, string | number | boolean | null>;

export interface Warehouse {
  /** Where the data comes from, for messages and the page footer. */
  readonly description: string;
  query(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

export type Target = "duckdb" | "snowflake" | "postgres";

export function target(): Target {
  const t = process.env.PHONEPIPE_DBT_TARGET ?? "duckdb";
  if (t === "duckdb" || t === "snowflake" || t === "postgres") return t;
  throw new Error(`PHONEPIPE_DBT_TARGET=${t} is not a dashboard backend; use duckdb, snowflake or postgres`);
}

/** The DuckDB file, resolved the way dbt/profiles.yml resolves it. */
export function duckdbPath(): string {
  if (process.env.PHONEPIPE_DUCKDB_PATH) return resolve(process.env.PHONEPIPE_DUCKDB_PATH);
  return join(dataDir(), "warehouse", "phonepipe.duckdb");
}

export function dataDir(): string {
  const root = process.env.PHONEPIPE_ROOT ?? resolve(import.meta.dirname, "..", "..");
  return resolve(process.env.PHONEPIPE_DATA_DIR ?? join(root, "data"));
}

export async function openWarehouse(): Promise<Warehouse> {
  const t = target();
  if (t === "snowflake") return (await import("./backends/snowflake.ts")).openSnowflake();
  if (t === "postgres") return (await import("./backends/postgres.ts")).openPostgres();
  return (await import("./backends/duckdb.ts")).openDuckdb(duckdbPath());
}

/** Fails with the file and the fix when the DuckDB warehouse is not there. */
export function assertDuckdbPresent(path: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `no warehouse at ${path}: build it with \`make dbt-build PHONEPIPE_DATA_DIR=${dirnameOf(dirnameOf(path))}\`` +
        ` (or point PHONEPIPE_DATA_DIR / PHONEPIPE_DUCKDB_PATH at an existing one)`,
    );
  }
}

function dirnameOf(p: string): string {
  return resolve(p, "..");
}
