/**
 * The batched stream path (batchesToLanding: a batch per offset read, pre-deduplicated per (window, shard))
 * against the per-record path (recordsToLanding) on the DirectRunner: the same records land the same files
 * with the same rows, the same dead letters and the same counters. And the bench-only `normalize: false`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as beam from "apache-beam";
import { DuckDBInstance } from "@duckdb/node-api";
import { directRunner } from "../../../pipelines/beam-sdk";
import { batchesToLanding, recordsToLanding, StreamJobOptions } from "../../../pipelines/stream-pipeline";
import { counters, StreamCounters } from "../../../pipelines/metrics";
import { shardOf } from "../../../transforms/stream/dedupe";
import type { DeadLetterRecord, SourceRecord } from "../../../transforms/stream/records";
import { topicSpec } from "../../../schemas/catalog";
import { loadTopicSchema, parseSchema, schemaJsonFor } from "../../../schemas";
import { encodeConfluent } from "../../../producers/wire-format";
import { processRecord } from "../../../transforms/stream/topic-records";
import { toB64 } from "../../../transforms/stream/records";
import { framed, listing, offlineJobOptions, sourceRecord, STATIC_SCHEMAS, transaction } from "./fixtures";

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0); // a window boundary for 5 s windows
const W = 5000;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Every landing file (path under the landing dir) with its rows in file order, ingested_at left out. */
async function landed(dataDir: string): Promise<Record<string, unknown[]>> {
  const root = join(dataDir, "landing");
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  const out: Record<string, unknown[]> = {};
  for (const f of filesUnder(root)) {
    const rows = (
      await conn.runAndReadAll(
        `SELECT * EXCLUDE (ingested_at) FROM read_parquet('${f}', hive_partitioning = false)`,
      )
    ).getRowObjectsJson();
    out[relative(root, f)] = rows;
  }
  conn.closeSync();
  return out;
}

/** The dead letters of a run, by position, failed_at (the clock) left out. */
function deadLetters(file: string): Array<Omit<DeadLetterRecord, "failed_at">> {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const { failed_at: _failedAt, ...rest } = JSON.parse(l) as DeadLetterRecord;
      return rest;
    })
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

const COUNTED: Array<keyof StreamCounters> = [
  "records_in",
  "rows_out",
  "replay_skipped",
  "dead_decode",
  "dead_validate",
  "dead_normalize",
  "dlq_produced",
  "landed_rows",
  "landed_files",
];

/** Runs `build` on the DirectRunner; returns how much each counter grew. */
async function run(build: (root: beam.Root) => beam.PValue<unknown>): Promise<Record<string, number>> {
  const before = { ...counters };
  await directRunner().run(build);
  return Object.fromEntries(COUNTED.map((k) => [k, counters[k] - before[k]]));
}

describe("batched stream path on the DirectRunner", function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), "pp-stream-batched-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  // Three URLs of each shard (shard 1's second is unused).
  const urls = Array.from({ length: 40 }, (_, i) => `https://noon.com/item/${i}`);
  const byShard = [0, 1].map((s) => urls.filter((u) => shardOf(u, 2) === s).slice(0, 3));
  const [a, b, c] = byShard[0];
  const [d, , f] = byShard[1];

  /**
   * Batches as offset reads would give them: windows T0-5s (replay-skipped), T0 (late), T0+5s, T0+10s, URLs
   * of both shards, a URL observed several times in a window across reads, identical re-sends in other
   * reads, equal event times with different event ids, and bad records of each stage.
   */
  function batches(): SourceRecord[][] {
    const obs = (url: string, t: number, over: Record<string, unknown> = {}) => listing(url, t, over);
    const aT1 = obs(a, T0 + W + 1000, { price_text: "EGP 20,000" });
    const dT2 = obs(d, T0 + W + 2000, { price_text: "EGP 21,000" });
    return [
      [
        sourceRecord(obs(a, T0 - 3000), 0), // window before skipWindowsBefore: skipped
        sourceRecord(obs(a, T0 + 1000), 0), // late window
        sourceRecord(obs(d, T0 + 1500), 0),
        sourceRecord(aT1, 0),
        sourceRecord(obs(b, T0 + W + 500), 0),
        sourceRecord(dT2, 0),
        sourceRecord(Buffer.from("not avro at all"), 0),
        sourceRecord(obs(c, T0 + 2 * W + 100, { price_text: "EGP 19,000" }), 0),
      ],
      [
        sourceRecord(obs(a, T0 + 3000, { price_text: "EGP 23,000" }), 1), // later in the late window
        sourceRecord(aT1, 1), // re-sent, other partition
        sourceRecord(obs(a, T0 + W + 4000, { price_text: "EGP 18,000" }), 1), // later in its window
        sourceRecord(obs(d, T0 + W + 2000, { price_text: "EGP 22,000", event_id: "ff".repeat(32) }), 1), // tie
        sourceRecord(framed(obs(c, T0 + W + 10), 999), 1), // unknown schema id
        sourceRecord(obs(f, T0 + 2 * W + 4000), 1),
        sourceRecord(obs(c, T0 + W + 1500, { price_text: "-5000 EGP" }), 1),
      ],
      [
        sourceRecord(dT2, 2), // re-sent
        sourceRecord(obs(c, T0 + 2 * W + 100, { price_text: "EGP 19,000" }), 2), // identical re-send
        sourceRecord(obs(b, T0 + W + 200), 2), // earlier than b's in the other read
        sourceRecord(obs(f, T0 + 2 * W + 3000, { title: "   " }), 2),
        sourceRecord(obs(c, T0 - 1000), 2), // skipped
      ],
    ];
  }

  function options(dataDir: string, over: Partial<StreamJobOptions> = {}): StreamJobOptions {
    return offlineJobOptions(dataDir, STATIC_SCHEMAS, {
      fxRatesToEgp: { USD: 50 },
      skipWindowsBefore: T0,
      lateWindowsBefore: T0 + W,
      ...over,
    });
  }

  it("lands the same files with the same rows, dead letters and counters as the per-record path", async () => {
    const input = batches();
    const perRecordDir = newDir();
    const batchedDir = newDir();
    const perRecordOpts = options(perRecordDir);
    const batchedOpts = options(batchedDir);
    const perRecordCounts = await run((root) =>
      recordsToLanding(root.apply(beam.create(input.flat())), perRecordOpts),
    );
    const batchedCounts = await run((root) => batchesToLanding(root.apply(beam.create(input)), batchedOpts));

    const expected = await landed(perRecordDir);
    const actual = await landed(batchedDir);
    // The scenario covers what it claims: late and on-time files, both shards, several windows.
    const names = Object.keys(expected);
    assert.ok(
      names.some((n) => /T100000Z_000_late-[0-9a-f]{12}\.parquet$/.test(n)),
      names.join(","),
    );
    assert.ok(
      names.some((n) => /T100000Z_001_late-[0-9a-f]{12}\.parquet$/.test(n)),
      names.join(","),
    );
    for (const stamp of ["T100005Z_000", "T100005Z_001", "T100010Z_000", "T100010Z_001"])
      assert.ok(
        names.some((n) => n.endsWith(`${stamp}.parquet`)),
        `${stamp}: ${names.join(",")}`,
      );
    assert.ok(!names.some((n) => n.includes("T095955Z")), "replayed window skipped");
    assert.deepEqual(actual, expected);

    const dead = deadLetters(perRecordOpts.deadLetterFile as string);
    assert.deepEqual(
      dead.map((x) => [x.stage, x.error_type]),
      [
        ["decode", "bad_frame"],
        ["decode", "unknown_schema_id"],
        ["validate", "negative_price"],
        ["validate", "empty_title"],
      ],
    );
    assert.deepEqual(deadLetters(batchedOpts.deadLetterFile as string), dead);

    assert.deepEqual(batchedCounts, perRecordCounts);
    assert.equal(perRecordCounts.records_in, 20);
    assert.equal(perRecordCounts.replay_skipped, 2);
    assert.equal(perRecordCounts.dlq_produced, 4);
  });

  it("normalize: false lands listings without the normalized columns; true is the default", async () => {
    const input = [[sourceRecord(listing(a, T0 + 1000, { price_text: "USD 500" }))]];
    const rowsOf = async (over: Partial<StreamJobOptions>) => {
      const dir = newDir();
      await run((root) => batchesToLanding(root.apply(beam.create(input)), options(dir, over)));
      return Object.values(await landed(dir)).flat() as Array<Record<string, unknown>>;
    };
    const [plain] = await rowsOf({ normalize: false });
    for (const col of [
      "brand",
      "model",
      "color",
      "condition",
      "listing_type",
      "storage_gb",
      "ram_gb",
      "confidence",
      "price_amount",
      "price_currency",
      "price_egp",
    ])
      assert.equal(plain[col], null, col);
    assert.equal(plain.url, a);
    assert.equal(plain.title, "Apple iPhone 13 128GB Blue");
    assert.equal(plain.price_text, "USD 500");

    const [normalized] = await rowsOf({ normalize: true });
    const [byDefault] = await rowsOf({});
    assert.deepEqual(normalized, byDefault);
    assert.equal(normalized.brand, "apple");
    assert.equal(normalized.storage_gb, 128);
    assert.equal(Number(normalized.price_egp), 25000);
    // Apart from the normalized columns, the rows are the same.
    const rest = (r: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => plain[k] !== null || normalized[k] === null));
    assert.deepEqual(rest(plain), rest(normalized));
  });

  it("normalize: false also leaves the product columns of a topic with a product title null", () => {
    const topic = "marketplace.transactions";
    const schema = JSON.stringify(schemaJsonFor(topic));
    const src: SourceRecord = {
      topic,
      partition: 0,
      offset: 0,
      timestamp: 0,
      keyB64: null,
      valueB64: toB64(encodeConfluent(21, loadTopicSchema(topic).toBuffer(transaction(T0)))),
    };
    const deps = {
      schemaFor: (id: number) => (id === 21 ? parseSchema(schema) : undefined),
      fxRatesToEgp: {},
      now: () => 0,
    };
    const on = processRecord(topicSpec(topic), src, deps);
    const off = processRecord(topicSpec(topic), src, { ...deps, normalize: false });
    assert.ok("row" in on && "row" in off);
    assert.equal(on.row.brand, "samsung");
    assert.deepEqual(off.row, { ...on.row, brand: null, model: null, storage_gb: null, ram_gb: null });
  });
});
