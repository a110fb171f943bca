import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { loadConfig } from "../../../infra/config";
import { AvroDecoder } from "../../../producers/avro-decoder";
import { openAvroProducer, RecordSink, SchemaValidationError } from "../../../producers/avro-producer";
import { RegistryClient } from "../../../producers/registry";
import { subjectFor } from "../../../schemas";

const cfg = loadConfig();
const kafka = new Kafka({
  clientId: "phonepipe-test",
  brokers: cfg.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});

async function endOffsets(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offs = await admin.fetchTopicOffsets(topic);
    return offs.reduce((sum, o) => sum + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Reads `count` messages of a topic from the beginning, waiting (with a deadline) until they are there. */
async function consume(topic: string, count: number, timeoutMs = 30_000) {
  const consumer = kafka.consumer({ groupId: `test-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: Array<{ key: string; value: Buffer; timestamp: number }> = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${got.length}/${count} messages within ${timeoutMs} ms`)),
      timeoutMs,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        got.push({
          key: String(message.key),
          value: message.value as Buffer,
          timestamp: Number(message.timestamp),
        });
        if (got.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return got;
}

function transaction(i: number) {
  return {
    event_id: randomUUID(),
    transaction_id: `order-${i}`,
    event_type: "order_placed",
    listing_id: `listing-${i % 7}`,
    buyer_id: `user-${i}`,
    seller_id: "store-1",
    product_title: "Apple iPhone 13 Pro 256GB",
    condition: i % 2 ? "used" : null,
    amount: 30_000 + i + 0.5,
    currency: "EGP",
    payment_method: "wallet",
    occurred_at: 1_760_000_000_000 + i,
  };
}

describe("Avro producer against the real broker and registry", function () {
  this.timeout(120_000);
  let producer: RecordSink;

  before(async () => {
    producer = await openAvroProducer({ clientId: "phonepipe-test" });
  });
  after(async () => producer?.close());

  it("produces Confluent-framed Avro that decodes back to the input", async () => {
    const topic = "marketplace.transactions";
    const before = await endOffsets(topic);
    const records = Array.from({ length: 25 }, (_, i) => ({ key: `order-${i}`, value: transaction(i) }));
    await producer.send(topic, records);
    assert.equal(producer.sent, 25);
    assert.equal(await endOffsets(topic), before + 25);

    const registry = new RegistryClient(cfg.registryUrl);
    const latest = await registry.latest(subjectFor(topic));
    assert.ok(latest, "subject registered");
    // Other tests write to the same topic and partitions interleave: pick this test's records by event id.
    const messages = await consume(topic, before + 25);
    const decoder = new AvroDecoder(registry);
    const byEventId = new Map<string, (typeof records)[number]>(records.map((r) => [r.value.event_id, r]));
    let found = 0;
    for (const m of messages) {
      const decoded = await decoder.decode(m.value);
      const sent = byEventId.get(String(decoded.value.event_id));
      if (!sent) continue;
      found += 1;
      assert.equal(m.value[0], 0, "magic byte");
      assert.equal(m.value.readUInt32BE(1), latest.id, "schema id in bytes 1..4");
      assert.equal(m.key, sent.key);
      assert.deepEqual(decoded.value, sent.value);
      assert.equal(m.timestamp, sent.value.occurred_at, "record timestamp is the event time");
    }
    assert.equal(found, 25, "every record sent was read back");
  });

  it("refuses a record that violates its schema, naming the field, and sends nothing", async () => {
    const topic = "market.reference_prices";
    const before = await endOffsets(topic);
    const bad = {
      record_id: "r1",
      kind: "fx_rate",
      fx_base: "USD",
      fx_quote: "EGP",
      fx_rate: "forty-eight",
      effective_date: "2025-10-01",
      source_file: "rates.csv",
      source_line: 2,
      loaded_at: Date.now(),
    };
    const good = { ...bad, record_id: "r0", fx_rate: 48.2 };
    await assert.rejects(
      producer.send(topic, [
        { key: "r0", value: good },
        { key: "r1", value: bad },
      ]),
      (err: unknown) =>
        err instanceof SchemaValidationError && err.field === "fx_rate" && err.recordIndex === 1,
    );
    assert.equal(await endOffsets(topic), before, "the valid record in the same call was not sent either");
  });
});
