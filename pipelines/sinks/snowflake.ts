/**
 * Snowflake sink, second target behind the landing: after a landing file is durable, PUT it to an internal
 * stage, COPY INTO the raw table, MERGE into the keyed table (transforms/stream/snowflake-sql.ts). Enabled by
 * PHONEPIPE_SNOWFLAKE_ACCOUNT; runs in the I/O worker, so the bundle is acknowledged only after Snowflake
 * accepted the file. Not exercised against a live account (see the stream section of README.md).
 */
import snowflake from "snowflake-sdk";
import { basename } from "node:path";
import { EVENT_TOPICS } from "../../transforms/stream/event-topics";
import {
  copyIntoSql,
  createTablesSql,
  mergeSql,
  putSql,
  SnowflakeTarget,
} from "../../transforms/stream/snowflake-sql";

export interface SnowflakeConfig {
  account: string;
  username: string;
  password?: string;
  authenticator?: string;
  privateKeyPath?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  target: SnowflakeTarget;
}

/** The sink's configuration from the environment, or undefined when Snowflake is not enabled. */
export function snowflakeConfigFromEnv(
  topic: string,
  env: NodeJS.ProcessEnv = process.env,
  contract: string = topic,
): SnowflakeConfig | undefined {
  if (!env.PHONEPIPE_SNOWFLAKE_ACCOUNT) return undefined;
  const base = topic.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
  return {
    account: env.PHONEPIPE_SNOWFLAKE_ACCOUNT,
    username: env.PHONEPIPE_SNOWFLAKE_USER ?? "",
    password: env.PHONEPIPE_SNOWFLAKE_PASSWORD,
    authenticator: env.PHONEPIPE_SNOWFLAKE_AUTHENTICATOR,
    privateKeyPath: env.PHONEPIPE_SNOWFLAKE_PRIVATE_KEY_PATH,
    warehouse: env.PHONEPIPE_SNOWFLAKE_WAREHOUSE,
    database: env.PHONEPIPE_SNOWFLAKE_DATABASE,
    schema: env.PHONEPIPE_SNOWFLAKE_SCHEMA,
    role: env.PHONEPIPE_SNOWFLAKE_ROLE,
    target: {
      stage: env.PHONEPIPE_SNOWFLAKE_STAGE ?? "PHONEPIPE_LANDING",
      rawTable: `RAW_${base}`,
      table: base,
      key: EVENT_TOPICS[contract]?.key ?? "event_id",
      ...(EVENT_TOPICS[contract]
        ? { columns: EVENT_TOPICS[contract].columns, eventTime: EVENT_TOPICS[contract].eventTime }
        : {}),
    },
  };
}

export class SnowflakeSink {
  private conn?: Promise<snowflake.Connection>;

  constructor(private readonly cfg: SnowflakeConfig) {}

  private connection(): Promise<snowflake.Connection> {
    this.conn ??= new Promise<snowflake.Connection>((resolve, reject) => {
      const c = snowflake.createConnection({
        account: this.cfg.account,
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

  private exec(c: snowflake.Connection, sqlText: string): Promise<void> {
    return new Promise((resolve, reject) => {
      c.execute({
        sqlText,
        complete: (err) =>
          err ? reject(new Error(`${err.message} in: ${sqlText.slice(0, 120)}`)) : resolve(),
      });
    });
  }

  /** PUT + COPY INTO + MERGE of one landing file; `stagePath` is `<topic>/ingest_date=YYYY-MM-DD`. */
  async loadFile(localPath: string, stagePath: string, ingestDate: string): Promise<void> {
    const c = await this.connection();
    const t = this.cfg.target;
    const name = basename(localPath);
    await this.exec(c, putSql(localPath, t, stagePath));
    await this.exec(c, copyIntoSql(t, stagePath, name, ingestDate));
    await this.exec(c, mergeSql(t, `%${stagePath}/${name}`));
  }
}
