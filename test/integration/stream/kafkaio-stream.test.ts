/**
 * The stream job on the real broker + registry and the embedded Flink job server (cross-language KafkaIO,
 * LOOPBACK TypeScript worker): exact deduplicated landing and exact dead letters.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { startStream, StreamHandle } from "../../../pipelines/run-stream";
import { waitFor } from "../../../infra/process";
import { encodeListing, produce, readDlq, readLanding, setUpStreamTest, StreamTestEnv } from "./harness";

const WINDOW_S = 2;

function listing(
  url: string,
  scrapedAt: number,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    event_id: createHash("sha256").update(`noon|${url}|${scrapedAt}`).digest("hex"),
    source: "noon",
    source_domain: "noon.com",
    source_type: "competitor",
    url,
    title: "Xiaomi Redmi Note 12 128GB Grey",
    price_text: "EGP 9,999",
    currency_hint: "EGP",
    seller_name: null,
    condition_text: "new",
    availability: "in_stock",
    scraped_at: scrapedAt,
    raw: {},
    ...over,
  };
}

describe("stream job on embedded Flink (KafkaIO cross-language)", function () {
  this.timeout(600_000);
  let env: StreamTestEnv;
  let handle: StreamHandle | undefined;

  before(async () => {
    env = await setUpStreamTest(2);
  });
  after(async () => {
    await handle?.stop();
    await env?.cleanup();
  });

  it("lands exactly the deduplicated observations and dead-letters exactly the bad records", async () => {
    handle = await startStream({
      topic: env.topic,
      contract: "listings.scraped",
      dataDir: env.dataDir,
      runDir: env.runDir,
      cacheDir: env.cacheDir,
      registryUrl: env.registryUrl,
      brokers: env.brokers,
      flinkMaster: "[local]",
      groupId: `it-${randomBytes(4).toString("hex")}`,
      windowSeconds: WINDOW_S,
      allowedLatenessSeconds: 30,
      shards: 2,
      parallelism: 1,
      checkpointIntervalMs: 3000,
      metricsIntervalMs: 5000,
      fxRatesToEgp: { USD: 50 },
      resume: true,
      instance: "it-flink",
    });
    // Event times a few windows in the past, on window boundaries, and the Kafka record time set to the event
    // time (as a producer sending while it scrapes would): the watermark follows the record time.
    const w = WINDOW_S * 1000;
    const base = Math.floor((Date.now() - 5 * w) / w) * w;
    const u = (i: number) => `https://noon.com/it/${i}`;
    const a1 = listing(u(1), base + 100);
    const a2 = listing(u(1), base + 900, { price_text: "EGP 9,500" }); // later in the same window: wins
    const b1 = listing(u(2), base + 300);
    const aNext = listing(u(1), base + w + 200, { price_text: "EGP 9,000" }); // re-scraped, next window
    const c1 = listing(u(3), base + 2 * w + 500);
    const good = [a1, a2, b1, a2, b1, aNext, c1]; // a2 and b1 re-sent identically, within their window
    const messages = good.map((v) => ({
      key: String(v.url),
      value: encodeListing(env.schemaId, v),
      timestamp: String(v.scraped_at),
    }));
    const garbage = randomBytes(40);
    garbage[0] = 7; // never a Confluent magic byte
    const at = String(base + 2 * w + 600);
    messages.push({ key: "bad-1", value: garbage, timestamp: at });
    messages.push({ key: "bad-2", value: encodeListing(987654, listing(u(9), base)), timestamp: at });
    messages.push({
      key: "bad-3",
      value: encodeListing(env.schemaId, listing(u(10), base + 50, { price_text: "-1500 EGP" })),
      timestamp: at,
    });
    await produce(env, messages);

    const expected = [
      [u(1), base + 900, 9500],
      [u(1), base + w + 200, 9000],
      [u(2), base + 300, 9999],
      [u(3), base + 2 * w + 500, 9999],
    ];
    let rows = await readLanding(env.dataDir, env.topic);
    const ok = await waitFor(
      async () => {
        rows = await readLanding(env.dataDir, env.topic);
        return rows.length >= expected.length;
      },
      240_000,
      undefined,
      1000,
    );
    assert.ok(ok, `landing has ${rows.length} rows after 240 s`);
    assert.deepEqual(
      rows.map((r) => [r.url, r.scraped_at, r.price_egp]),
      expected,
    );
    assert.ok(
      rows.every((r) => /\/\d{8}T\d{6}Z_\d{3}\.parquet$/.test(r.file)),
      rows.map((r) => r.file).join(","),
    );

    const dlq = await readDlq(env, 3, 60_000);
    assert.deepEqual(dlq.map((d) => [d.stage, d.error_type]).sort(), [
      ["decode", "bad_frame"],
      ["decode", "unknown_schema_id"],
      ["validate", "negative_price"],
    ]);
    const bad1 = dlq.find((d) => d.error_type === "bad_frame");
    assert.deepEqual(bad1?.original_value, garbage);
  });
});
