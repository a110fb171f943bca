import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

/**
 * Shared by the dashboard tests and benchmark: a generated landing built into a warehouse with dbt, the
 * dashboard built over it, and SQL on the warehouse to compute what the pages must show.
 */
export const ROOT = resolve(__dirname, "..", "..");
export const RUN_DIR = resolve(process.env.PHONEPIPE_RUN_DIR ?? join(ROOT, "run"));

export interface CommandResult {
  code: number;
  output: string;
  ms: number;
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}): CommandResult {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return { code: r.status ?? 1, output: `${r.stdout ?? ""}${r.stderr ?? ""}`, ms: Date.now() - t0 };
}

function mustRun(what: string, cmd: string, args: string[], env: Record<string, string> = {}): CommandResult {
  const r = run(cmd, args, env);
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  return r;
}

export function warehouseFile(dataDir: string): string {
  return join(dataDir, "warehouse", "phonepipe.duckdb");
}

/** Environment that points dbt, the loaders and the Pipeline page at one data dir (and its own dbt target). */
export function dataEnv(dataDir: string): Record<string, string> {
  return {
    PHONEPIPE_DATA_DIR: dataDir,
    DBT_TARGET_PATH: join(dataDir, "dbt-target"),
    DBT_LOG_PATH: join(dataDir, "dbt-logs"),
    PHONEPIPE_DBT_TARGET: "duckdb",
  };
}

/** A sample landing of `days` days and `rows` listing observations, built by dbt (models and snapshot). */
export function generateWarehouse(dataDir: string, days: number, rows: number): void {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dataDir, "warehouse"), { recursive: true });
  const py = join(ROOT, ".venv", "dbt", "bin", "python");
  mustRun("sample landing", py, [
    "dbt/scripts/generate_sample_landing.py",
    "--data-dir",
    dataDir,
    "--rows",
    String(rows),
    "--seed",
    "42",
    "--days",
    String(days),
  ]);
  const dbt = join(ROOT, ".venv", "dbt", "bin", "dbt");
  const args = ["build", "--project-dir", "dbt", "--profiles-dir", "dbt", "--exclude", "resource_type:test"];
  mustRun("dbt build", dbt, [...args, "resource_type:unit_test"], dataEnv(dataDir));
}

/** Builds the dashboard over dataDir into outDir; returns the exit code and output (the caller asserts). */
export function buildDashboard(dataDir: string, outDir: string): CommandResult {
  rmSync(outDir, { recursive: true, force: true });
  return run(join(ROOT, "dashboard", "scripts", "build.sh"), [], {
    ...dataEnv(dataDir),
    PHONEPIPE_DASHBOARD_OUT: outDir,
  });
}

export function mustBuildDashboard(dataDir: string, outDir: string): CommandResult {
  const r = buildDashboard(dataDir, outDir);
  if (r.code !== 0 || !existsSync(join(outDir, "index.html"))) {
    throw new Error(`dashboard build failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  }
  return r;
}

export type SqlRow = Record<string, unknown>;

/** Runs SQL on a warehouse file (read-only unless write is set). */
export async function sql(file: string, query: string, write = false): Promise<SqlRow[]> {
  const inst = await DuckDBInstance.create(file, write ? {} : { access_mode: "READ_ONLY" });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(query)).getRowObjectsJson() as SqlRow[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/** A warehouse with every mart and snapshot table of `source`, and no rows: what a fresh platform has. */
export async function emptyWarehouse(source: string, dataDir: string): Promise<void> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dataDir, "warehouse"), { recursive: true });
  const tables = await sql(
    source,
    "select schema_name, table_name from duckdb_tables() where schema_name in ('marts', 'snapshots')",
  );
  const stmts = [`attach '${source}' as src (read_only)`, "create schema marts", "create schema snapshots"];
  for (const t of tables) {
    const name = `${t.schema_name}.${t.table_name}`;
    stmts.push(`create table ${name} as select * from src.${name} limit 0`);
  }
  await sql(warehouseFile(dataDir), `${stmts.join(";\n")};`, true);
}
