import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { openDryRunSink } from "../../../producers/avro-producer";
import { JsonLineError, produceJsonLines, readJsonLines } from "../../../producers/json-lines";

const cli = join(resolve(__dirname, "..", "..", "..", ".."), "bin", "phonepipe");
const TOPIC = "pricing.suggestions";

function suggestion(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    suggestion_id: id,
    listing_id: "mkt-00000001",
    product_title: "apple iphone 13 128gb",
    condition: "used",
    suggested_price: 21500,
    currency: "EGP",
    confidence: 0.8,
    model_version: "pricer-test",
    generated_at: 1_764_000_000_000,
    price_low: 20000,
    price_high: 23000,
    reason: null,
    ...over,
  };
}

const lines = (...records: Array<Record<string, unknown> | string>): Readable =>
  Readable.from(records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");

describe("JSON lines to a topic (phonepipe produce)", () => {
  it("keys each record by the topic's catalog key and skips blank lines", async () => {
    const records = await readJsonLines(TOPIC, lines(suggestion("a"), "", suggestion("b")));
    assert.deepEqual(
      records.map((r) => r.key),
      ["a", "b"],
    );
  });

  it("names the line and the field of a record that breaks the contract, and sends nothing", async () => {
    const sink = openDryRunSink();
    await assert.rejects(
      produceJsonLines(TOPIC, lines(suggestion("a"), suggestion("b", { suggested_price: "cheap" })), sink),
      (err: unknown) => err instanceof JsonLineError && err.line === 2 && /suggested_price/.test(err.message),
    );
    assert.equal(sink.sent, 0);
  });

  it("names the line that is not JSON, or lacks the key", async () => {
    await assert.rejects(
      readJsonLines(TOPIC, lines(suggestion("a"), "{nope")),
      /^JsonLineError: line 2: not JSON/,
    );
    const noKey = suggestion("x");
    delete noKey.suggestion_id;
    await assert.rejects(
      readJsonLines(TOPIC, lines(noKey)),
      /line 1: field 'suggestion_id' \(the record key\)/,
    );
  });

  it("sends every record in batches through the sink", async () => {
    const sink = openDryRunSink();
    const many = Array.from({ length: 7 }, (_, i) => suggestion(`s${i}`));
    assert.equal(await produceJsonLines(TOPIC, lines(...many), sink, { batchSize: 3 }), 7);
    assert.equal(sink.byTopic.get(TOPIC), 7);
  });

  it("exits 1 from the command line on a bad line, naming it", () => {
    const input = [JSON.stringify(suggestion("a")), JSON.stringify(suggestion("b", { currency: 5 }))].join(
      "\n",
    );
    const r = spawnSync(cli, ["produce", TOPIC, "--dry-run"], { input, encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /produce pricing\.suggestions: line 2: .*currency.*; nothing sent/);
  });

  it("rejects an unknown topic as a usage error", () => {
    const r = spawnSync(cli, ["produce", "no.such.topic"], { input: "", encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown topic 'no\.such\.topic'/);
  });
});
