/**
 * The stream job lands the event topics too: transactions and price suggestions produced to the real topics
 * are landed by one micro-batch stream on embedded Flink (one job per cycle, a branch per topic), deduplicated
 * per key, with a bad record dead-lettered; rows are identified by ids unique to this run, so records other
 * tests produced to the same topics do not matter. A suggestion written with the contract's first version (no
 * interval) lands beside one written with the current version: the registry's schema evolution end to end.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadConfig } from "../../../infra/config";
import { waitFor } from "../../../infra/process";
import { RegistryClient } from "../../../producers/registry";
import { encodeConfluent } from "../../../producers/wire-format";
import { loadTopicSchema, parseSchema, schemaJsonFor } from "../../../schemas";
import {
  startMicroBatchStream,
  stateFileFor,
  MicroBatchHandle,
  MicroBatchRunOptions,
} from "../../../pipelines/run-micro-batch";
import { counters } from "../../../pipelines/metrics";
import { streamTestOptions } from "../../../harness/stream";

/** pricing.suggestions as first registered, before the interval fields: what older producers still write. */
const V1_SUGGESTION_SCHEMA = join(
  __dirname,
  ...["..", "..", "..", "..", "test", "fixtures", "schemas", "pricing.suggestions.v1.avsc"],
);

describe("stream job lands the event topics (transactions, suggestions)", function () {
  this.timeout(600_000);
  const cfg = loadConfig();
  const run = randomBytes(4).toString("hex");
  let dataDir: string;
  let runDir: string;
  let handle: MicroBatchHandle | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "pp-events-it-data-"));
    runDir = mkdtempSync(join(tmpdir(), "pp-events-it-run-"));
  });
  after(async () => {
    await handle?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  });

  const options = (): MicroBatchRunOptions =>
    streamTestOptions({
      topics: ["marketplace.transactions", "pricing.suggestions"],
      dataDir,
      runDir,
      groupId: `it-events-${run}`,
      metricsIntervalMs: 60_000,
      instance: "it-events",
      log: () => undefined,
    });

  async function query(sql: string): Promise<Array<Record<string, unknown>>> {
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    try {
      return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
    } catch (err) {
      if (/No files found/i.test((err as Error).message)) return [];
      throw err;
    }
  }

  it("lands each topic deduplicated per key and dead-letters the bad transaction", async () => {
    const registry = new RegistryClient(cfg.registryUrl);
    const encode = async (topic: "marketplace.transactions" | "pricing.suggestions", v: object) =>
      encodeConfluent(
        await registry.idFor(`${topic}-value`, schemaJsonFor(topic)),
        loadTopicSchema(topic).toBuffer(v),
      );
    const t = Date.now() - 60_000;
    const tx = (id: string, amount: number) => ({
      event_id: `${run}-${id}`,
      transaction_id: `${run}-t`,
      event_type: "order_placed",
      listing_id: "l-1",
      buyer_id: "b-1",
      seller_id: "s-1",
      product_title: "Apple iPhone 13 128GB",
      condition: "used_good",
      amount,
      currency: "EGP",
      payment_method: null,
      occurred_at: t,
    });
    const v1Json = readFileSync(V1_SUGGESTION_SCHEMA, "utf8");
    const encodeV1 = async (v: object) =>
      encodeConfluent(
        await new RegistryClient(cfg.registryUrl).register(
          "pricing.suggestions-value",
          JSON.parse(v1Json) as object,
        ),
        parseSchema(v1Json).toBuffer(v),
      );
    const suggestionV1 = {
      suggestion_id: `${run}-s1`,
      listing_id: null,
      product_title: "Samsung Galaxy A54 128GB",
      condition: "used",
      suggested_price: 9500,
      currency: "EGP",
      confidence: 0.6,
      model_version: "v0",
      generated_at: t + 5,
    };
    const suggestion = {
      suggestion_id: `${run}-s`,
      listing_id: null,
      product_title: "Xiaomi Redmi Note 13 256GB",
      condition: "new",
      suggested_price: 11999,
      currency: "EGP",
      confidence: 0.8,
      model_version: "v1",
      generated_at: t + 10,
      price_low: 11000,
      price_high: 12999.5,
      reason: null,
    };
    const kafka = new Kafka({ brokers: cfg.kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: "marketplace.transactions",
      acks: -1,
      messages: [
        { key: "a", value: await encode("marketplace.transactions", tx("a", 30000)) },
        { key: "a", value: await encode("marketplace.transactions", tx("a", 30000)) }, // re-sent
        { key: "b", value: await encode("marketplace.transactions", tx("b", 31000)) },
        { key: "bad", value: await encode("marketplace.transactions", tx("bad", -1)) },
      ].map((m) => ({ ...m, timestamp: String(t) })),
    });
    await producer.send({
      topic: "pricing.suggestions",
      acks: -1,
      messages: [
        { key: "s1", value: await encodeV1(suggestionV1), timestamp: String(t) },
        { key: "s", value: await encode("pricing.suggestions", suggestion), timestamp: String(t) },
      ],
    });
    await producer.disconnect();

    const deadBefore = counters.dead_validate;
    handle = await startMicroBatchStream(options());
    let tx_: Array<Record<string, unknown>> = [];
    let sg: Array<Record<string, unknown>> = [];
    const landed = await waitFor(
      async () => {
        tx_ = await query(
          `SELECT event_id, amount::DOUBLE AS amount, brand, storage_gb FROM read_parquet('${dataDir}/landing/marketplace.transactions/*/*.parquet') WHERE event_id LIKE '${run}-%' ORDER BY event_id`,
        );
        sg = await query(
          `SELECT suggestion_id, suggested_price::DOUBLE AS p, price_low::DOUBLE AS lo, price_high::DOUBLE AS hi, model FROM read_parquet('${dataDir}/landing/pricing.suggestions/*/*.parquet') WHERE suggestion_id LIKE '${run}-%' ORDER BY suggestion_id`,
        );
        return tx_.length >= 2 && sg.length >= 2;
      },
      180_000,
      undefined,
      500,
    );
    assert.ok(landed, `landed ${tx_.length} transactions, ${sg.length} suggestions`);
    assert.deepEqual(
      tx_.map((r) => [r.event_id, r.amount, r.brand, r.storage_gb]),
      [
        [`${run}-a`, 30000, "apple", 128],
        [`${run}-b`, 31000, "apple", 128],
      ],
    );
    assert.deepEqual(
      sg.map((r) => [r.suggestion_id, r.p, r.lo, r.hi]),
      [
        [`${run}-s`, 11999, 11000, 12999.5],
        [`${run}-s1`, 9500, null, null],
      ],
    );
    assert.ok(counters.dead_validate > deadBefore, "the negative amount was dead-lettered");
  });

  it("stops with a clear error when a state file is ahead of its topic (recreated topic, other cluster)", async () => {
    await handle?.stop();
    const file = stateFileFor(dataDir, "pricing.suggestions");
    const parts = { "0": { next_offset: 1e9, read_to: 1e9 } };
    writeFileSync(
      file,
      JSON.stringify({ version: 1, topic: "pricing.suggestions", closed_before: 0, partitions: parts }),
    );
    handle = await startMicroBatchStream(options());
    const final = await handle.done;
    assert.match(
      final,
      /^FAILED: .*pricing\.suggestions\.micro-batch\.json says partition 0 of pricing\.suggestions was read up to offset 1000000000/,
    );
    assert.match(final, /--no-resume/);
  });
});
