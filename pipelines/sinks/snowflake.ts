/**
 * Snowflake sink, second target behind the landing: after a landing file is durable, PUT it to an internal
 * stage, replace its rows in the raw table (DELETE, COPY INTO), MERGE into the keyed table
 * (transforms/stream/snowflake-sql.ts). Enabled by PHONEPIPE_SNOWFLAKE_ACCOUNT; runs in the I/O worker, so the
 * bundle is acknowledged only after Snowflake accepted the file. Tested with the real driver against fakesnow
 * (test/snowflake/), never against a live account (docs/stream.md).
 */
import snowflake from "snowflake-sdk";
import { basename } from "node:path";
import type { TopicSpec } from "../../schemas/catalog-model";
import {
  copyIntoSql,
  createTablesSql,
  deleteFileRowsSql,
  mergeSql,
  putSql,
  SnowflakeTarget,
  snowflakeTarget,
} from "../../transforms/stream/snowflake-sql";

export interface SnowflakeConfig {
  account: string;
  /** Where the driver connects instead of <account>.snowflakecomputing.com, e.g. http://127.0.0.1:8080. */
  accessUrl?: string;
  username: string;
  password?: string;
  authenticator?: string;
  privateKeyPath?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  /** The driver's log level (ERROR, WARN, INFO, …); unset: the driver's default. */
  logLevel?: string;
  target: SnowflakeTarget;
}

/** The sink's configuration from the environment, or undefined when Snowflake is not enabled. */
export function snowflakeConfigFromEnv(
  topic: string,
  spec: TopicSpec,
  env: NodeJS.ProcessEnv = process.env,
): SnowflakeConfig | undefined {
  if (!env.PHONEPIPE_SNOWFLAKE_ACCOUNT) return undefined;
  return {
    account: env.PHONEPIPE_SNOWFLAKE_ACCOUNT,
    accessUrl: env.PHONEPIPE_SNOWFLAKE_ACCESS_URL || undefined,
    username: env.PHONEPIPE_SNOWFLAKE_USER ?? "",
    password: env.PHONEPIPE_SNOWFLAKE_PASSWORD,
    authenticator: env.PHONEPIPE_SNOWFLAKE_AUTHENTICATOR,
    privateKeyPath: env.PHONEPIPE_SNOWFLAKE_PRIVATE_KEY_PATH,
    warehouse: env.PHONEPIPE_SNOWFLAKE_WAREHOUSE,
    database: env.PHONEPIPE_SNOWFLAKE_DATABASE,
    schema: env.PHONEPIPE_SNOWFLAKE_SCHEMA,
    role: env.PHONEPIPE_SNOWFLAKE_ROLE,
    logLevel: env.PHONEPIPE_SNOWFLAKE_LOG_LEVEL || undefined,
    target: snowflakeTarget(spec, topic, env.PHONEPIPE_SNOWFLAKE_STAGE ?? "PHONEPIPE_LANDING"),
  };
}

export class SnowflakeSink {
  private conn?: Promise<snowflake.Connection>;

  constructor(private readonly cfg: SnowflakeConfig) {}

  private connection(): Promise<snowflake.Connection> {
    this.conn ??= new Promise<snowflake.Connection>((resolve, reject) => {
      if (this.cfg.logLevel) snowflake.configure({ logLevel: this.cfg.logLevel as snowflake.LogLevel });
      const c = snowflake.createConnection({
        account: this.cfg.account,
        ...(this.cfg.accessUrl ? { accessUrl: this.cfg.accessUrl } : {}),
        username: this.cfg.username,
        password: this.cfg.password,
        authenticator: this.cfg.authenticator,
        privateKeyPath: this.cfg.privateKeyPath,
        warehouse: this.cfg.warehouse,
        database: this.cfg.database,
        schema: this.cfg.schema,
        role: this.cfg.role,
      } as snowflake.ConnectionOptions);
      c.connect((err) => (err ? reject(err) : resolve(c)));
    }).then(async (c: snowflake.Connection) => {
      await this.exec(c, `CREATE STAGE IF NOT EXISTS ${this.cfg.target.stage}`);
      for (const s of createTablesSql(this.cfg.target)) await this.exec(c, s);
      return c;
    });
    return this.conn as Promise<snowflake.Connection>;
  }

  private exec(c: snowflake.Connection, sqlText: string): Promise<Array<Record<string, unknown>>> {
    return new Promise((resolve, reject) => {
      c.execute({
        sqlText,
        complete: (err, _stmt, rows) =>
          err
            ? reject(new Error(`${err.message} in: ${sqlText.slice(0, 120)}`))
            : resolve((rows ?? []) as Array<Record<string, unknown>>),
      });
    });
  }

  /**
   * PUT + DELETE (the file's rows of an earlier load) + COPY INTO + MERGE of one landing file; `stagePath` is
   * `<topic>/ingest_date=YYYY-MM-DD`. The driver reports a failed upload as a result row (status ≠ UPLOADED,
   * with a message), not as an error, and a COPY that found no file as a row too: both are checked, so the
   * bundle is never acknowledged on a file that did not reach the raw table.
   */
  async loadFile(localPath: string, stagePath: string, ingestDate: string): Promise<void> {
    const c = await this.connection();
    const t = this.cfg.target;
    const name = basename(localPath);
    const put = await this.exec(c, putSql(localPath, t, stagePath));
    expectStatus(put, ["UPLOADED", "SKIPPED"], `PUT of ${localPath} to @${t.stage}/${stagePath}`);
    await this.exec(c, deleteFileRowsSql(t, `%${stagePath}/${name}`));
    const copy = await this.exec(c, copyIntoSql(t, stagePath, name, ingestDate));
    expectStatus(copy, ["LOADED"], `COPY INTO ${t.rawTable} of @${t.stage}/${stagePath}/${name}`);
    await this.exec(c, mergeSql(t, `%${stagePath}/${name}`));
  }

  /** Closes the connection (the stream job keeps it for its lifetime; tests close it). */
  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    const c = await conn.catch(() => undefined);
    if (c) await new Promise<void>((resolve) => c.destroy(() => resolve()));
  }
}

/** Every result row of a PUT or COPY must carry one of the `ok` statuses, and there must be at least one. */
export function expectStatus(rows: Array<Record<string, unknown>>, ok: string[], what: string): void {
  const bad = rows.filter((r) => !ok.includes(String(r.status ?? r.STATUS)));
  if (rows.length === 0 || bad.length > 0) {
    const detail = rows.length === 0 ? "no result row" : JSON.stringify(bad[0]);
    throw new Error(`${what} failed: ${detail}`);
  }
}
