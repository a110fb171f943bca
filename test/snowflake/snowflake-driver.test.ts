/**
 * The Snowflake sink with the real snowflake-sdk driver, against a fakesnow server on 127.0.0.1
 * (test/snowflake/fakesnow_server.py, from the venv `make bootstrap-fakesnow` builds): landing files written by
 * the I/O worker exactly as the stream job writes them, then PUT to the internal stage over the driver's
 * file transfer, COPY INTO the raw table and MERGE into the keyed table (pipelines/sinks/snowflake.ts).
 * Run by `make test-snowflake-driver` (part of `make test`); not matched by the unit or integration globs.
 */
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import snowflake from "snowflake-sdk";
import { callIo } from "../../pipelines/io-sync";
import { expectStatus, SnowflakeSink, snowflakeConfigFromEnv } from "../../pipelines/sinks/snowflake";
import { encodeConfluent } from "../../producers/wire-format";
import { loadTopicSchema, parseSchema, schemaJsonFor } from "../../schemas";
import { LandingRow, processRecord } from "../../transforms/stream/topic-records";
import { topicSpec } from "../../schemas/catalog";
import { landingDir, landingFileName } from "../../transforms/stream/landing";
import { toB64 } from "../../transforms/stream/records";
import { listingRow, transaction } from "../unit/stream/fixtures";

const ROOT = process.env.PHONEPIPE_ROOT ?? resolve(__dirname, "../../..");
const PYTHON = process.env.PHONEPIPE_FAKESNOW_PYTHON ?? join(ROOT, ".venv/fakesnow/bin/python");
const SERVER = join(ROOT, "test/snowflake/fakesnow_server.py");
const W1 = Date.UTC(2026, 10, 27, 9, 0, 0);
const W2 = W1 + 5000;
const W3 = W1 + 10_000;

type Row = Record<string, unknown>;

/** Starts the server and resolves with its port once it printed it (it prints only after it listens). */
async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run \`make bootstrap-fakesnow\``);
  const child = spawn(PYTHON, [SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`fakesnow server exited (${code}) before it printed its port`);
  });
  const firstLine = once(createInterface({ input: child.stdout! }), "line").then(([l]) => l as string);
  const line = await Promise.race([firstLine, exited]);
  exited.catch(() => undefined);
  return { child, port: (JSON.parse(line) as { port: number }).port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.stdin?.end(); // the server stops when its stdin closes; SIGTERM as well
  child.kill("SIGTERM");
  await exited;
}

function connect(accessUrl: string, database?: string, schema?: string): Promise<snowflake.Connection> {
  const c = snowflake.createConnection({
    account: "fakesnow",
    username: "fake",
    password: "snow",
    accessUrl,
    database,
    schema,
  } as snowflake.ConnectionOptions);
  return new Promise((res, rej) => c.connect((err) => (err ? rej(err) : res(c))));
}

function query(c: snowflake.Connection, sqlText: string): Promise<Row[]> {
  return new Promise((res, rej) =>
    c.execute({ sqlText, complete: (err, _s, rows) => (err ? rej(err) : res((rows ?? []) as Row[])) }),
  );
}

const TX_SCHEMA_ID = 21;
const txSpec = topicSpec("marketplace.transactions");
let txOffset = 0;
const txRow = (over: Record<string, unknown>): LandingRow => {
  const value = transaction(W1 + 1000, over);
  const bytes = encodeConfluent(TX_SCHEMA_ID, loadTopicSchema("marketplace.transactions").toBuffer(value));
  const out = processRecord(
    txSpec,
    {
      topic: txSpec.topic,
      partition: 0,
      offset: txOffset++,
      timestamp: 0,
      keyB64: null,
      valueB64: toB64(bytes),
    },
    {
      schemaFor: (id: number) =>
        id === TX_SCHEMA_ID
          ? parseSchema(JSON.stringify(schemaJsonFor("marketplace.transactions")))
          : undefined,
      fxRatesToEgp: {},
      now: () => W1,
    },
  );
  assert.ok("row" in out);
  return out.row;
};

describe("Snowflake sink with snowflake-sdk against fakesnow", function () {
  this.timeout(120_000);
  let server: { child: ChildProcess; port: number } | undefined;
  let admin: snowflake.Connection;
  let dataDir: string;
  const saved = { ...process.env };

  /** One landing file written by the I/O worker, which then loads it into Snowflake (as the stream job does). */
  const land = (topic: string, windowStart: number, rows: object[]): { dir: string; file: string } => {
    const dir = landingDir(dataDir, topic, windowStart);
    const fileName = landingFileName(windowStart, 0);
    const jsonLines =
      rows.map((r) => JSON.stringify({ ...r, ingested_at: windowStart + 60_000 })).join("\n") + "\n";
    const res = callIo({ op: "writeParquet", dir, fileName, jsonLines, topic, spec: topicSpec(topic) });
    assert.equal(res.path, join(dir, fileName));
    return { dir, file: fileName };
  };
  const count = async (table: string) =>
    Number((await query(admin, `SELECT COUNT(*) AS "n" FROM ${table}`))[0].n);

  before(async () => {
    server = await startServer();
    const accessUrl = `http://127.0.0.1:${server.port}`;
    snowflake.configure({ logLevel: "OFF" }); // this process's driver: the admin connection and the last test
    admin = await connect(accessUrl);
    // The sink expects its database and schema to exist (they are provisioned once, outside the job).
    await query(admin, "CREATE DATABASE IF NOT EXISTS PHONEPIPE");
    await query(admin, "CREATE SCHEMA IF NOT EXISTS PHONEPIPE.RAW");
    await query(admin, "USE SCHEMA PHONEPIPE.RAW");
    dataDir = mkdtempSync(join(tmpdir(), "pp-sf-driver-"));
    // Read by the I/O worker when it starts (on the first callIo), as in `phonepipe stream`.
    Object.assign(process.env, {
      PHONEPIPE_SNOWFLAKE_ACCOUNT: "fakesnow",
      PHONEPIPE_SNOWFLAKE_ACCESS_URL: accessUrl,
      PHONEPIPE_SNOWFLAKE_USER: "fake",
      PHONEPIPE_SNOWFLAKE_PASSWORD: "snow",
      PHONEPIPE_SNOWFLAKE_DATABASE: "PHONEPIPE",
      PHONEPIPE_SNOWFLAKE_SCHEMA: "RAW",
      PHONEPIPE_SNOWFLAKE_LOG_LEVEL: "WARN",
    });
  });

  after(async () => {
    process.env = saved;
    if (admin) await new Promise<void>((res) => admin.destroy(() => res()));
    if (server) await stopServer(server.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("stages a listing landing file, loads it and merges it; a replayed file adds no row", async () => {
    const a = listingRow("https://noon.com/a", W1, "EGP 100");
    const b = listingRow("https://noon.com/b", W1 + 1000, "EGP 200");
    const { file } = land("listings.scraped", W1, [a, b]);

    // PUT: the file is in the stage folder of its topic and partition.
    const staged = await query(admin, "LIST @PHONEPIPE_LANDING");
    assert.deepEqual(
      staged.map((r) => r.name),
      [`phonepipe_landing/listings.scraped/ingest_date=2026-11-27/${file}`],
    );
    // COPY INTO: the file's rows, with their partition date; MERGE: one row per event_id.
    const raw = await query(
      admin,
      `SELECT "event_id", "url", "price_egp"::DOUBLE AS "p", "ingest_date"::VARCHAR AS "d" FROM RAW_LISTINGS_SCRAPED ORDER BY "url"`,
    );
    assert.deepEqual(raw, [
      { event_id: a.event_id, url: "https://noon.com/a", p: 100, d: "2026-11-27" },
      { event_id: b.event_id, url: "https://noon.com/b", p: 200, d: "2026-11-27" },
    ]);
    const keyed = `SELECT "event_id", "url", "price_egp"::DOUBLE AS "p", "scraped_at"::VARCHAR AS "t" FROM LISTINGS_SCRAPED ORDER BY "url", "scraped_at"`;
    const first = await query(admin, keyed);
    assert.deepEqual(
      first.map((r) => [r.url, r.p, r.t]),
      [
        ["https://noon.com/a", 100, "2026-11-27 09:00:00"],
        ["https://noon.com/b", 200, "2026-11-27 09:00:01"],
      ],
    );

    // The same file landed again (a replayed window): PUT overwrites, its earlier raw rows are replaced (so
    // the MERGE source has each key once, as Snowflake requires), MERGE changes nothing.
    land("listings.scraped", W1, [a, b]);
    assert.equal(await count("RAW_LISTINGS_SCRAPED"), 2);
    assert.deepEqual(await query(admin, keyed), first);

    // A later window with a re-scrape of /a (a new observation, so a new event_id) and /b re-sent unchanged.
    const a2 = listingRow("https://noon.com/a", W2, "EGP 90");
    land("listings.scraped", W2, [a2, b]);
    assert.deepEqual(
      (await query(admin, keyed)).map((r) => [r.url, r.p, r.t]),
      [
        ["https://noon.com/a", 100, "2026-11-27 09:00:00"],
        ["https://noon.com/a", 90, "2026-11-27 09:00:05"],
        ["https://noon.com/b", 200, "2026-11-27 09:00:01"],
      ],
    );
    assert.equal((await query(admin, "LIST @PHONEPIPE_LANDING")).length, 2);
  });

  it("keeps the latest transaction per event_id: a later one wins, an older re-send does not", async () => {
    land("marketplace.transactions", W1, [txRow({}), txRow({ event_id: "tx-2", amount: 500 })]);
    const keyed = `SELECT "event_id", "amount"::DOUBLE AS "amount", "occurred_at"::VARCHAR AS "t" FROM MARKETPLACE_TRANSACTIONS ORDER BY "event_id"`;
    assert.deepEqual(await query(admin, keyed), [
      { event_id: "tx-1", amount: 41999.5, t: "2026-11-27 09:00:01" },
      { event_id: "tx-2", amount: 500, t: "2026-11-27 09:00:01" },
    ]);
    // tx-1 corrected later (later occurred_at): it replaces the row.
    land("marketplace.transactions", W2, [txRow({ amount: 40000, occurred_at: W2 + 4000 })]);
    // tx-1 re-sent with its original, older time: the newer row stays.
    land("marketplace.transactions", W3, [txRow({ amount: 1, occurred_at: W1 + 500 })]);
    // and the W2 file replayed: nothing changes.
    land("marketplace.transactions", W2, [txRow({ amount: 40000, occurred_at: W2 + 4000 })]);
    assert.deepEqual(await query(admin, keyed), [
      { event_id: "tx-1", amount: 40000, t: "2026-11-27 09:00:09" },
      { event_id: "tx-2", amount: 500, t: "2026-11-27 09:00:01" },
    ]);
    assert.equal(await count("RAW_MARKETPLACE_TRANSACTIONS"), 4); // files W1 (2 rows), W2, W3: each once
  });

  it("treats a PUT or COPY result row without an ok status as a failure", () => {
    // The row snowflake-sdk 3.3.0 returned, without an error, when fakesnow did not accept an upload.
    const failedUpload = {
      source: "x.parquet",
      target: "x.parquet",
      sourceSize: 478,
      targetSize: 0,
      message: "Error: Unknown Error in uploading a file: /d/x.parquet",
    };
    assert.throws(
      () => expectStatus([failedUpload], ["UPLOADED", "SKIPPED"], "PUT"),
      /PUT failed: .*Unknown Error/,
    );
    assert.throws(() => expectStatus([], ["LOADED"], "COPY"), /COPY failed: no result row/);
    assert.throws(
      () => expectStatus([{ status: "Copy executed with 0 files processed." }], ["LOADED"], "COPY"),
      /COPY failed/,
    );
    expectStatus([{ file: "f", status: "LOADED" }], ["LOADED"], "COPY");
  });

  it("rejects a file the driver could not upload (never acknowledged as loaded)", async () => {
    const cfg = snowflakeConfigFromEnv("listings.scraped", topicSpec("listings.scraped"));
    assert.ok(cfg);
    const sink = new SnowflakeSink({ ...cfg, logLevel: "OFF" }); // the driver logs the ENOENT as an ERROR
    try {
      await assert.rejects(
        sink.loadFile(
          join(dataDir, "missing.parquet"),
          "listings.scraped/ingest_date=2026-11-27",
          "2026-11-27",
        ),
        /ENOENT.*missing\.parquet/,
      );
      assert.equal(await count("RAW_LISTINGS_SCRAPED"), 4);
    } finally {
      await sink.close();
    }
  });
});
