/**
 * The events the stream benchmark produces: bursts with event times in the past (every window already
 * closed, so a burst measures processing, not waiting), and paced production at a fixed rate with event
 * time = send time (freshness). Keys are URLs; `urls` distinct URLs repeat so the dedupe has work to do.
 */
import { createHash } from "node:crypto";
import type { Kafka } from "kafkajs";
import type { Type } from "avsc";
import { encodeConfluent } from "../../producers/wire-format";
import { scenarioListing } from "../../harness/stream-scenarios";

export interface BenchTopic {
  kafka: Kafka;
  topic: string;
  schemaId: number;
  type: Type;
}

function listing(prefix: string, j: number, urls: number, eventTime: number): Record<string, unknown> {
  const url = `https://noon.com/${prefix}/${j % urls}`;
  return scenarioListing(url, eventTime, {
    event_id: createHash("sha256").update(`noon|${url}|${eventTime}|${prefix}|${j}`).digest("hex"),
    title: `Samsung Galaxy A54 ${j % 2 ? "128GB" : "256GB"} Awesome Black`,
    price_text: `EGP ${15000 + (j % 900)}`,
    seller_name: "noon",
  });
}

async function send(t: BenchTopic, values: Array<Record<string, unknown>>): Promise<void> {
  const producer = t.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += 1000) {
      const messages = values.slice(i, i + 1000).map((v) => ({
        key: String(v.url),
        value: encodeConfluent(t.schemaId, t.type.toBuffer(v)),
        timestamp: String(v.scraped_at),
      }));
      await producer.send({ topic: t.topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * `n` events spread over `spanMs` of event time ending `agoMs` before now. Returns the newest event time and
 * how many rows a correct dedupe lands: one per (window, URL).
 */
export async function produceBurst(
  t: BenchTopic,
  n: number,
  o: { urls: number; spanMs: number; agoMs: number; windowMs: number },
): Promise<{ newest: number; expectedRows: number }> {
  const end = Date.now() - o.agoMs;
  const values = Array.from({ length: n }, (_, j) =>
    listing("burst", j, o.urls, end - o.spanMs + Math.floor((j / n) * o.spanMs)),
  );
  await send(t, values);
  const pairs = new Set(
    values.map((v) => `${Math.floor(Number(v.scraped_at) / o.windowMs)}|${String(v.url)}`),
  );
  return { newest: end, expectedRows: pairs.size };
}

/** One event `aheadMs` after `after`: it moves an event-time watermark past every burst window. */
export async function produceSentinel(t: BenchTopic, after: number, aheadMs: number): Promise<void> {
  await send(t, [listing("sentinel", 0, 1, after + aheadMs)]);
}

/**
 * Produces `rate` events/s for `seconds` (in 100 ms slices, event time = send time, distinct URLs so every
 * event lands); returns each event's send time by event_id and how far the pacing fell behind.
 */
export async function producePaced(
  t: BenchTopic,
  prefix: string,
  rate: number,
  seconds: number,
): Promise<{ sent: Map<string, number>; behindMs: number }> {
  const producer = t.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sent = new Map<string, number>();
  const perSlice = Math.max(1, Math.round(rate / 10));
  const start = Date.now();
  let behindMs = 0;
  try {
    // Plain loops: the closure transform of the build mishandles a for-loop variable captured by a callback.
    for (let n = 0; n < seconds * 10; n++) {
      const due = start + n * 100;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else behindMs = Math.max(behindMs, -wait);
      const now = Date.now();
      const messages: Array<{ key: string; value: Buffer; timestamp: string }> = [];
      for (let k = 0; k < perSlice; k++) {
        const v = listing(prefix, n * perSlice + k, Number.MAX_SAFE_INTEGER, now);
        sent.set(String(v.event_id), now);
        messages.push({
          key: String(v.url),
          value: encodeConfluent(t.schemaId, t.type.toBuffer(v)),
          timestamp: String(now),
        });
      }
      await producer.send({ topic: t.topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return { sent, behindMs };
}
