/**
 * The listing scenarios the stream integration tests (and the benchmark) produce, and the checks of what
 * they must land.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { waitFor } from "../infra/process";
import { encodeListing, produce, readDlq, readLanding, StreamTestEnv } from "./stream";

/** A listings.scraped value for the stream scenarios (event_id derived from source, URL and time). */
export function scenarioListing(
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

/**
 * The dedupe + dead-letter scenario every stream source is tested with: duplicates within a window, a
 * re-scrape in the next window, random bytes, an unknown schema id and a negative price, event times a few
 * windows in the past and Kafka record time = event time. Produces it; returns what must land.
 */
export async function produceDedupeScenario(
  env: StreamTestEnv,
  windowMs: number,
): Promise<{ expected: Array<[string, number, number]>; garbage: Buffer }> {
  const w = windowMs;
  const base = Math.floor((Date.now() - 5 * w) / w) * w;
  const u = (i: number) => `https://noon.com/it/${i}`;
  const a1 = scenarioListing(u(1), base + 100);
  const a2 = scenarioListing(u(1), base + 900, { price_text: "EGP 9,500" }); // later in the same window: wins
  const b1 = scenarioListing(u(2), base + 300);
  const aNext = scenarioListing(u(1), base + w + 200, { price_text: "EGP 9,000" }); // re-scraped, next window
  const c1 = scenarioListing(u(3), base + 2 * w + 500);
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
  messages.push({ key: "bad-2", value: encodeListing(987654, scenarioListing(u(9), base)), timestamp: at });
  messages.push({
    key: "bad-3",
    value: encodeListing(env.schemaId, scenarioListing(u(10), base + 50, { price_text: "-1500 EGP" })),
    timestamp: at,
  });
  await produce(env, messages);
  return {
    expected: [
      [u(1), base + 900, 9500],
      [u(1), base + w + 200, 9000],
      [u(2), base + 300, 9999],
      [u(3), base + 2 * w + 500, 9999],
    ],
    garbage,
  };
}

/** Waits for the scenario's rows, then checks the landing and the DLQ exactly. */
export async function assertDedupeScenarioLanded(
  env: StreamTestEnv,
  scenario: { expected: Array<[string, number, number]>; garbage: Buffer },
  timeoutMs: number,
  context: () => string = () => "",
): Promise<void> {
  let rows = await readLanding(env.dataDir, env.topic);
  const ok = await waitFor(
    async () => {
      rows = await readLanding(env.dataDir, env.topic);
      return rows.length >= scenario.expected.length;
    },
    timeoutMs,
    undefined,
    500,
  );
  assert.ok(ok, `landing has ${rows.length} rows after ${timeoutMs / 1000} s:\n${context()}`);
  assert.deepEqual(
    rows.map((r) => [r.url, r.scraped_at, r.price_egp]),
    scenario.expected,
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
  assert.deepEqual(dlq.find((d) => d.error_type === "bad_frame")?.original_value, scenario.garbage);
}
