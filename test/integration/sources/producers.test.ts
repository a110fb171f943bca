import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { loadConfig } from "../../../infra/config";
import { AvroDecoder } from "../../../producers/avro-decoder";
import { openAvroProducer, ProducedRecord, RecordSink } from "../../../producers/avro-producer";
import { RegistryClient } from "../../../producers/registry";
import { loadMarketData } from "../../../producers/market-data/loader";
import { ScrapedListing } from "../../../producers/scrapers/listing";
import { ListingOutput, runScrape, sinkOutput } from "../../../producers/scrapers/scrape-run";
import { runSimulation } from "../../../producers/simulators/runner";
import { repoRoot, startFixtureSite } from "../../../infra/fixture-site";

const cfg = loadConfig();
const kafka = new Kafka({
  clientId: "phonepipe-sources-test",
  brokers: cfg.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});
const decoder = new AvroDecoder(new RegistryClient(cfg.registryUrl));

/**
 * Reads `topic` from the beginning and decodes every message until `want` has seen all the ids it waits
 * for (or the deadline passes, which fails with how many were found).
 */
async function readUntil(
  topic: string,
  idOf: (v: Record<string, unknown>) => string,
  ids: Set<string>,
  timeoutMs = 60_000,
) {
  const found = new Map<string, { key: string; value: Record<string, unknown> }>();
  const consumer = kafka.consumer({ groupId: `sources-test-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${topic}: found ${found.size}/${ids.size} records within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          const { value } = await decoder.decode(message.value);
          const id = idOf(value);
          if (ids.has(id)) found.set(id, { key: String(message.key), value });
          if (found.size === ids.size) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}

/** Wraps the real producer to remember what was acknowledged. */
function recording(sink: RecordSink): RecordSink & { log: { topic: string; record: ProducedRecord }[] } {
  const log: { topic: string; record: ProducedRecord }[] = [];
  return {
    log,
    get sent() {
      return sink.sent;
    },
    async send(topic, records) {
      await sink.send(topic, records);
      for (const record of records) log.push({ topic, record });
    },
    close: () => sink.close(),
  };
}

describe("sources against the real broker and registry", function () {
  this.timeout(180_000);
  let state: string;
  before(() => (state = mkdtempSync(join(tmpdir(), "phonepipe-sources-it-"))));
  after(() => rmSync(state, { recursive: true, force: true }));

  for (const [source, query, count] of [
    ["mobilemasr", "13", 35],
    ["noon", "iphone", 7],
  ] as const) {
    it(`scrape ${source}: listings land on listings.scraped and decode to what was scraped`, async () => {
      const site = await startFixtureSite(source);
      const sink = await openAvroProducer({ clientId: `sources-it-${source}` });
      const output: ListingOutput = sinkOutput(sink, "kafka");
      try {
        const s = await runScrape({
          source,
          baseUrl: site.baseUrl,
          query,
          maxPages: 10,
          full: false,
          stateDir: join(state, source),
          politeness: {
            userAgent: "phonepipe-scraper/it",
            delayMs: 0,
            maxRetries: 1,
            backoffBaseMs: 10,
            backoffMaxMs: 100,
            timeoutSecs: 10,
          },
          output,
        });
        assert.deepEqual(s.failures, []);
        assert.equal(s.produced.length, count);
        assert.equal(sink.sent, count);
        const byId = new Map<string, ScrapedListing>(s.produced.map((r) => [r.event_id, r]));
        const found = await readUntil("listings.scraped", (v) => String(v.event_id), new Set(byId.keys()));
        for (const [id, got] of found) assert.deepEqual(got.value, byId.get(id));
      } finally {
        await output.close();
        await site.close();
      }
    });
  }

  it("simulate all: transactions and activity land and decode", async () => {
    const sink = recording(await openAvroProducer({ clientId: "sources-it-sim" }));
    try {
      const s = await runSimulation({
        kind: "all",
        seed: Date.now() % 100000,
        rate: 200,
        durationS: 2,
        startMs: Date.now(),
        sink,
      });
      assert.equal(s.events, sink.log.length);
      for (const topic of ["marketplace.transactions", "marketplace.user_activity"]) {
        const sent = sink.log.filter((l) => l.topic === topic);
        assert.ok(sent.length > 0, `nothing simulated for ${topic}`);
        const byId = new Map(sent.map((l) => [String(l.record.value.event_id), l.record]));
        const found = await readUntil(topic, (v) => String(v.event_id), new Set(byId.keys()));
        for (const [id, got] of found) {
          assert.deepEqual(got.value, byId.get(id)?.value);
          assert.equal(got.key, byId.get(id)?.key);
        }
      }
    } finally {
      await sink.close();
    }
  });

  it("market-data load: reference prices land and decode", async () => {
    const sink = recording(await openAvroProducer({ clientId: "sources-it-md" }));
    try {
      const file = join(repoRoot(), "test", "fixtures", "market-data", "reference_prices_2025-11.csv");
      const s = await loadMarketData({ file, skipBad: false, sink, dataDir: state });
      assert.equal(s.loaded, 16);
      // record_id is deterministic per row, so re-runs find the same ids; match on loaded_at too.
      const byId = new Map(
        sink.log.map((l) => [`${l.record.value.record_id}@${l.record.value.loaded_at}`, l.record]),
      );
      const found = await readUntil(
        "market.reference_prices",
        (v) => `${v.record_id}@${v.loaded_at}`,
        new Set(byId.keys()),
      );
      for (const [id, got] of found) assert.deepEqual(got.value, byId.get(id)?.value);
    } finally {
      await sink.close();
    }
  });
});
