// The DuckDB backend: opens the dbt-built file read-only, so a build never takes dbt's write lock.
import { DuckDBInstance } from "@duckdb/node-api";
import { assertDuckdbPresent, type Row, type Warehouse } from "../warehouse.ts";

export async function openDuckdb(path: string): Promise<Warehouse> {
  assertDuckdbPresent(path);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      access_mode: "READ_ONLY",
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    });
  } catch (err) {
    const msg = (err as Error).message;
    const locked = /lock/i.test(msg);
    throw new Error(
      `cannot open the warehouse ${path}: ${msg}\n` +
        (locked
          ? "it is locked by a writer (a running dbt build or another DuckDB process): wait for it to finish, then build the dashboard again"
          : "it may be damaged or from another DuckDB version: rebuild it with `make dbt-build`"),
    );
  }
  const conn = await instance.connect();
  return {
    description: `duckdb:${path}`,
    async query(sql: string): Promise<Row[]> {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Row[];
    },
    async close(): Promise<void> {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
