// The Snowflake backend, for production (PHONEPIPE_DBT_TARGET=snowflake). It connects with the environment
// variables dbt/profiles.yml uses. Not exercised by the tests here (they have no Snowflake account); the
// queries it runs are the same text the DuckDB tests run, in SQL both engines accept.
import type { Row, Warehouse } from "../warehouse.ts";

interface SnowflakeConnection {
  connect(cb: (err: Error | undefined) => void): void;
  execute(opts: {
    sqlText: string;
    complete: (err: Error | undefined, stmt: unknown, rows?: Row[]) => void;
  }): void;
  destroy(cb: (err: Error | undefined) => void): void;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(`PHONEPIPE_DBT_TARGET=snowflake needs ${name} (the same variables as dbt/profiles.yml)`);
  return v;
}

export async function openSnowflake(): Promise<Warehouse> {
  const sdk = (await import("snowflake-sdk")).default as unknown as {
    createConnection(o: Record<string, string>): SnowflakeConnection;
    configure(o: Record<string, unknown>): void;
  };
  sdk.configure({ logLevel: "ERROR" });
  const database = process.env.SNOWFLAKE_DATABASE ?? "PHONEPIPE";
  const conn = sdk.createConnection({
    account: required("SNOWFLAKE_ACCOUNT"),
    username: required("SNOWFLAKE_USER"),
    password: process.env.SNOWFLAKE_PASSWORD ?? "",
    authenticator: process.env.SNOWFLAKE_AUTHENTICATOR ?? "snowflake",
    role: process.env.SNOWFLAKE_ROLE ?? "TRANSFORMER",
    warehouse: process.env.SNOWFLAKE_WAREHOUSE ?? "TRANSFORMING",
    database,
  });
  await new Promise<void>((ok, fail) => conn.connect((err) => (err ? fail(err) : ok())));
  return {
    description: `snowflake:${process.env.SNOWFLAKE_ACCOUNT}/${database}`,
    query: (sql) =>
      new Promise((ok, fail) =>
        conn.execute({
          sqlText: sql,
          // Snowflake upper-cases unquoted column names; the pages use dbt's lower-case names.
          complete: (err, _stmt, rows) => (err ? fail(err) : ok((rows ?? []).map(lowerKeys))),
        }),
      ),
    close: () => new Promise((ok) => conn.destroy(() => ok())),
  };
}

function lowerKeys(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
}
