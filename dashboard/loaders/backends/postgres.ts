// The PostgreSQL backend (PHONEPIPE_DBT_TARGET=postgres), with dbt/profiles.yml's PG* variables. It needs the
// `pg` client, which this repository does not install: `npm install pg` in dashboard/ first. Not exercised by
// the tests here; the queries are the same text the DuckDB tests run.
import type { Row, Warehouse } from "../warehouse.ts";

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
}

export async function openPostgres(): Promise<Warehouse> {
  let pg: { Client: new (o: Record<string, unknown>) => PgClient };
  try {
    const moduleName = "pg";
    pg = ((await import(moduleName)) as { default: typeof pg }).default;
  } catch {
    throw new Error("PHONEPIPE_DBT_TARGET=postgres needs the pg client: run `npm install pg` in dashboard/");
  }
  const client = new pg.Client({
    host: process.env.PGHOST ?? "127.0.0.1",
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? "phonepipe",
    password: process.env.PGPASSWORD ?? "",
    database: process.env.PGDATABASE ?? "phonepipe",
  });
  await client.connect();
  return {
    description: `postgres:${process.env.PGHOST ?? "127.0.0.1"}/${process.env.PGDATABASE ?? "phonepipe"}`,
    query: async (sql) => (await client.query(sql)).rows,
    close: () => client.end(),
  };
}
