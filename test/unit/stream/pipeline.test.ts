/** The whole stream job on the DirectRunner: dedupe per window, landing files, dead letters. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as beam from "apache-beam";
import { DuckDBInstance } from "@duckdb/node-api";
import { directRunner } from "../../../pipelines/beam-sdk";
import { recordsToLanding, StreamJobOptions } from "../../../pipelines/stream-pipeline";
import { framed, listing, offlineJobOptions, sourceRecord, STATIC_SCHEMAS } from "./fixtures";
import type { DeadLetterRecord, SourceRecord } from "../../../transforms/stream/records";

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0); // a window boundary for 5 s windows

async function readLanding(dataDir: string): Promise<Array<Record<string, unknown>>> {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  const res = await conn.runAndReadAll(
    `SELECT url, epoch_ms(scraped_at) AS scraped_at, ingest_date::VARCHAR AS ingest_date, price_egp::DOUBLE AS price_egp, brand, model
     FROM read_parquet('${dataDir}/landing/listings.scraped/*/*.parquet', hive_partitioning = true) ORDER BY url, scraped_at`,
  );
  return res.getRowObjectsJson() as Array<Record<string, unknown>>;
}

describe("stream pipeline on the DirectRunner", function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "pp-stream-unit-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  function options(): StreamJobOptions {
    return offlineJobOptions(dataDir, STATIC_SCHEMAS, { fxRatesToEgp: { USD: 50 } });
  }

  it("lands the latest observation per URL and window, and dead-letters bad records with reasons", async () => {
    const a1 = listing("https://noon.com/a", T0 + 1000);
    const a2 = listing("https://noon.com/a", T0 + 3000, { price_text: "EGP 23,000" });
    const b1 = listing("https://noon.com/b", T0 + 2000);
    const aLater = listing("https://noon.com/a", T0 + 7000, { price_text: "EGP 22,000" });
    const records: SourceRecord[] = [
      sourceRecord(a1),
      sourceRecord(a2),
      sourceRecord(a2), // identical observation re-sent
      sourceRecord(b1),
      sourceRecord(aLater),
      sourceRecord(Buffer.from("not avro at all")),
      sourceRecord(framed(a1, 999)), // unknown schema id
      sourceRecord(listing("https://noon.com/c", T0 + 1500, { price_text: "-5000 EGP" })),
      sourceRecord(listing("https://noon.com/d", T0 + 1500, { title: "   " })),
    ];
    const opts = options();
    await directRunner().run((root: beam.Root) => recordsToLanding(root.apply(beam.create(records)), opts));

    const rows = await readLanding(dataDir);
    assert.deepEqual(
      rows.map((r) => [r.url, Number(r.scraped_at), r.price_egp, r.ingest_date]),
      [
        ["https://noon.com/a", T0 + 3000, 23000, "2026-11-27"],
        ["https://noon.com/a", T0 + 7000, 22000, "2026-11-27"],
        ["https://noon.com/b", T0 + 2000, 24999, "2026-11-27"],
      ],
    );
    const files = readdirSync(join(dataDir, "landing/listings.scraped/ingest_date=2026-11-27")).sort();
    assert.ok(
      files.every((f) => /^20261127T1000(00|05)Z_00[01]\.parquet$/.test(f)),
      files.join(","),
    );

    const dead = readFileSync(opts.deadLetterFile as string, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as DeadLetterRecord)
      .sort((x, y) => x.offset - y.offset);
    assert.deepEqual(
      dead.map((d) => [d.stage, d.error_type]),
      [
        ["decode", "bad_frame"],
        ["decode", "unknown_schema_id"],
        ["validate", "negative_price"],
        ["validate", "empty_title"],
      ],
    );
    assert.equal(Buffer.from(dead[0].original_value_b64 as string, "base64").toString(), "not avro at all");
    assert.equal(dead[0].original_topic, "listings.scraped");
  });

  it("a replay rewrites the same files with the same rows (deterministic names, no duplicates)", async () => {
    const records = [
      sourceRecord(listing("https://noon.com/a", T0 + 1000)),
      sourceRecord(listing("https://noon.com/b", T0 + 1000)),
    ];
    const opts = options();
    await directRunner().run((root: beam.Root) => recordsToLanding(root.apply(beam.create(records)), opts));
    const dir = join(dataDir, "landing/listings.scraped/ingest_date=2026-11-27");
    const first = readdirSync(dir).sort();
    await directRunner().run((root: beam.Root) => recordsToLanding(root.apply(beam.create(records)), opts));
    assert.deepEqual(readdirSync(dir).sort(), first);
    assert.equal((await readLanding(dataDir)).length, 2);
  });

  it("lands windows before lateWindowsBefore as late files beside the on-time ones (micro-batch late data)", async () => {
    const early = listing("https://noon.com/late", T0 + 1000);
    const onTime = listing("https://noon.com/on-time", T0 + 6000);
    const opts = { ...options(), lateWindowsBefore: T0 + 5000 };
    await directRunner().run((root: beam.Root) =>
      recordsToLanding(root.apply(beam.create([sourceRecord(early), sourceRecord(onTime)])), opts),
    );
    const files = readdirSync(join(dataDir, "landing/listings.scraped/ingest_date=2026-11-27")).sort();
    assert.equal(files.length, 2, files.join(","));
    assert.match(files[0], /^20261127T100000Z_00[01]_late-[0-9a-f]{12}\.parquet$/);
    assert.match(files[1], /^20261127T100005Z_00[01]\.parquet$/);
  });
});
