// Runs one page's named queries and prints the page's data as JSON on stdout (a Framework data loader's
// contract). A failing query names the page and the query, with its SQL, so the build log says what broke.
import { statSync } from "node:fs";
import { duckdbPath, openWarehouse, target, type Row, type Warehouse } from "./warehouse.ts";

export type Queries = Record<string, string>;

export interface PageData {
  page: string;
  source: string;
  generated_at: string;
  warehouse_built_at: string | null;
  results: Record<string, Row[]>;
  extra?: unknown;
}

export async function runQueries(
  wh: Warehouse,
  page: string,
  queries: Queries,
): Promise<Record<string, Row[]>> {
  const results: Record<string, Row[]> = {};
  for (const [name, sql] of Object.entries(queries)) {
    try {
      results[name] = await wh.query(sql);
    } catch (err) {
      throw new Error(
        `dashboard page "${page}": query "${name}" failed on ${wh.description}: ${(err as Error).message}\n` +
          `--- query "${name}" ---\n${sql.trim()}\n---\n` +
          "if a table is missing, the warehouse predates it or dbt did not finish: run `make dbt-build`",
      );
    }
  }
  return results;
}

/** When dbt last wrote the DuckDB file (null on the other targets, where the build time is not at hand). */
export function warehouseBuiltAt(): string | null {
  if (target() !== "duckdb") return null;
  return statSync(duckdbPath()).mtime.toISOString();
}

/** The whole loader: open, query, print, close; on failure print the reason and exit 1. */
export async function runPage(
  page: string,
  queries: Queries,
  extra?: (results: Record<string, Row[]>) => unknown,
): Promise<void> {
  try {
    const wh = await openWarehouse();
    try {
      const results = await runQueries(wh, page, queries);
      const data: PageData = {
        page,
        source: wh.description,
        generated_at: new Date().toISOString(),
        warehouse_built_at: warehouseBuiltAt(),
        results,
        extra: extra?.(results),
      };
      process.stdout.write(JSON.stringify(data));
    } finally {
      await wh.close();
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
