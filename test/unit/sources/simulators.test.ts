import { strict as assert } from "node:assert";
import { join } from "node:path";
import { run as simulateCli } from "../../../cli/commands/simulate";
import { openDryRunSink, ProducedRecord, RecordSink, validateRecord } from "../../../producers/avro-producer";
import {
  ACTIVITY_TOPIC,
  ActivityEvent,
  SimEvent,
  TRANSACTIONS_TOPIC,
  TransactionEvent,
} from "../../../producers/simulators/events";
import { runSimulation } from "../../../producers/simulators/runner";
import { EventStream, SimKind } from "../../../producers/simulators/stream";
import { captureStderr, readJsonl, tempDir } from "./helpers";

const START = Date.parse("2025-11-03T18:00:00Z");

function draw(kind: SimKind, seed: number, n: number, rate = 20): SimEvent[] {
  const s = new EventStream({ kind, seed, rate, startMs: START });
  return Array.from({ length: n }, () => s.next());
}

/** The shared dry-run sink (schema validation), remembering what it was given and when. */
function capturingSink(): RecordSink & {
  records: { topic: string; value: Record<string, unknown>; sentAt: number }[];
} {
  const dry = openDryRunSink();
  const records: { topic: string; value: Record<string, unknown>; sentAt: number }[] = [];
  return {
    records,
    get sent() {
      return dry.sent;
    },
    async send(topic: string, rs: ProducedRecord[]) {
      await dry.send(topic, rs);
      const now = Date.now();
      for (const r of rs) records.push({ topic, value: r.value, sentAt: now });
    },
    close: () => dry.close(),
  };
}

describe("sources: marketplace simulators", function () {
  this.timeout(30000);

  it("produces schema-valid transactions and activity", () => {
    const events = draw("all", 7, 3000);
    for (const e of events) validateRecord(e.topic, e.value);
    const topics = new Set(events.map((e) => e.topic));
    assert.deepEqual([...topics].sort(), [TRANSACTIONS_TOPIC, ACTIVITY_TOPIC].sort());
  });

  it("the same seed gives the same events; another seed does not", () => {
    assert.deepEqual(draw("all", 42, 1500), draw("all", 42, 1500));
    assert.notDeepEqual(draw("all", 42, 200), draw("all", 43, 200));
  });

  it("orders follow a consistent lifecycle over a stable world with realistic shape", () => {
    // Rate 5/s: 6000 steps span 20 simulated minutes, long enough for whole lifecycles including refunds.
    const tx = draw("transactions", 3, 6000, 5).map((e) => e.value as TransactionEvent);
    const byOrder = new Map<string, TransactionEvent[]>();
    for (const t of tx) byOrder.set(t.transaction_id, [...(byOrder.get(t.transaction_id) ?? []), t]);
    const seen = new Set<string>();
    for (const t of tx) {
      // Every later step follows an order_placed of the same order, for the same listing, buyer and amount.
      if (t.event_type !== "order_placed") {
        const first = byOrder.get(t.transaction_id)?.[0];
        assert.ok(first && first.event_type === "order_placed" && first.occurred_at <= t.occurred_at);
        assert.equal(t.listing_id, first.listing_id);
        assert.equal(t.amount, first.amount);
      }
      if (t.event_type === "refund_issued") assert.ok(seen.has(`${t.transaction_id}:sale_completed`));
      seen.add(`${t.transaction_id}:${t.event_type}`);
      assert.ok(t.amount > 0 && t.currency === "EGP");
    }
    const count = (type: string) => tx.filter((t) => t.event_type === type).length;
    assert.ok(
      count("order_placed") > count("sale_completed") && count("sale_completed") > count("refund_issued"),
    );
    assert.ok(count("refund_issued") > 0);
    // Popular models sell more: iPhone 13 listings outsell Huawei nova 11i by far.
    const iphone13 = tx.filter((t) => /iPhone 13 128GB|ايفون 13 128/.test(t.product_title)).length;
    const nova = tx.filter((t) => /nova 11i|نوفا 11i/.test(t.product_title)).length;
    assert.ok(iphone13 > 3 * nova, `iphone13=${iphone13} nova=${nova}`);
    // Prices stay near market: a used iPhone 13 128GB around 24,000 EGP.
    const used13 = tx.filter(
      (t) => t.condition === "used" && /iPhone 13 128GB|ايفون 13 128/.test(t.product_title),
    );
    for (const t of used13) assert.ok(t.amount > 18000 && t.amount < 30000, `${t.amount}`);
  });

  it("activity has sessions of searches, views, favourites and contacts", () => {
    const act = draw("activity", 5, 4000).map((e) => e.value as ActivityEvent);
    for (const a of act) {
      if (a.activity_type === "search") assert.ok(a.search_query && a.listing_id === null);
      else assert.ok(a.listing_id && a.search_query === null);
    }
    const types = new Set(act.map((a) => a.activity_type));
    assert.equal(types.size, 4);
    const views = act.filter((a) => a.activity_type === "listing_view").length;
    assert.ok(views > act.length / 2, "views dominate");
    const sessions = new Set(act.map((a) => a.session_id));
    assert.ok(sessions.size > 100 && sessions.size < act.length / 3);
  });

  it("paces to --rate: within 10 % over 10 s, counted from the produced timestamps", async function () {
    this.timeout(25000);
    const sink = capturingSink();
    const startMs = Date.now();
    const summary = await runSimulation({ kind: "all", seed: 11, rate: 40, durationS: 10, startMs, sink });
    const times = sink.records.map((r) => r.value.occurred_at as number);
    assert.equal(sink.sent, times.length);
    assert.equal(summary.events, times.length);
    assert.ok(Math.abs(times.length - 400) <= 40, `produced ${times.length} events in 10 s at rate 40`);
    assert.ok(times.every((t) => t >= startMs && t < startMs + 10000));
    // Spread over the whole window, not bursted: every second holds roughly rate events.
    const perSecond = Array.from(
      { length: 10 },
      (_, i) => times.filter((t) => t >= startMs + i * 1000 && t < startMs + (i + 1) * 1000).length,
    );
    for (const n of perSecond) assert.ok(n >= 28 && n <= 52, `per-second counts ${perSecond.join(",")}`);
    // Paced in real time: nothing was sent before its event time.
    for (const r of sink.records) assert.ok(r.sentAt >= (r.value.occurred_at as number));
  });

  it("the CLI writes schema-valid JSON Lines with --out", async () => {
    const t = tempDir("sim");
    try {
      const out = join(t.dir, "sim.jsonl");
      const { result: code, stderr } = await captureStderr(() =>
        simulateCli(["all", "--seed", "9", "--rate", "50", "--duration", "1", "--out", out]),
      );
      assert.equal(code, 0, stderr.join("\n"));
      const lines = readJsonl<{ topic: string; key: string; value: Record<string, unknown> }>(out);
      assert.ok(Math.abs(lines.length - 50) <= 5, `${lines.length}`);
      for (const l of lines) validateRecord(l.topic, l.value);
      assert.match(stderr[stderr.length - 1], /^simulate all: events=\d+/);
      await assert.rejects(() => simulateCli(["everything"]), /expected one of transactions, activity, all/);
      await assert.rejects(() => simulateCli(["all", "--rate", "0"]), /--rate must be a positive number/);
    } finally {
      t.cleanup();
    }
  });
});
