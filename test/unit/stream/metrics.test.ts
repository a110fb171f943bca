/** The stream job's counters as a Prometheus endpoint (pipelines/metrics.ts, pipelines/metrics-server.ts). */
import assert from "node:assert/strict";
import { counters, prometheusText, StreamCounters } from "../../../pipelines/metrics";
import { startMetricsServer } from "../../../pipelines/metrics-server";
import { Token } from "../../../infra/bearer-token";

const TOKEN: Token = { value: "metrics-test-token-0123456789", origin: "the test" };
const withToken = (value = TOKEN.value) => ({ headers: { authorization: `Bearer ${value}` } });

const zero = (): StreamCounters =>
  Object.fromEntries(Object.keys(counters).map((k) => [k, 0])) as unknown as StreamCounters;

/** Parses the exposition into name → value, checking every sample has HELP and TYPE lines before it. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.trimEnd().split("\n")) {
    const t = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
    if (t) typed.add(t[1]);
    if (line.startsWith("#")) continue;
    const [name, value] = line.split(" ");
    assert.ok(typed.has(name), `${name} has a TYPE line before its sample`);
    out.set(name, Number(value));
  }
  return out;
}

describe("stream metrics for Prometheus", () => {
  it("exposes every counter, counters as _total and levels as gauges", () => {
    const c = { ...zero(), records_in: 12, dead_validate: 2, landed_rows: 9, held_records: 4 };
    const m = samples(prometheusText(c, 1_000));
    assert.equal(m.get("phonepipe_stream_records_in_total"), 12);
    assert.equal(m.get("phonepipe_stream_dead_validate_total"), 2);
    assert.equal(m.get("phonepipe_stream_landed_rows_total"), 9);
    assert.equal(m.get("phonepipe_stream_held_records"), 4);
    assert.equal(m.size, Object.keys(counters).length, "one sample per counter");
    assert.ok(!m.has("phonepipe_stream_event_time_lag_ms"), "no lag before anything landed");
  });

  it("reports the event-time lag once rows have landed", () => {
    const m = samples(prometheusText({ ...zero(), max_event_time_landed: 40_000 }, 52_500));
    assert.equal(m.get("phonepipe_stream_event_time_lag_ms"), 12_500);
  });

  it("serves the live counters on 127.0.0.1 at /metrics, and 404 elsewhere", async () => {
    const server = await startMetricsServer(0, TOKEN);
    const before = counters.records_in;
    try {
      counters.records_in += 5;
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, withToken());
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      assert.equal(samples(await res.text()).get("phonepipe_stream_records_in_total"), before + 5);
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/`, withToken())).status, 404);
    } finally {
      counters.records_in = before;
      await server.close();
    }
  });

  it("answers 401 with a Bearer challenge without the token or with a wrong one", async () => {
    const server = await startMetricsServer(0, TOKEN);
    try {
      const url = `http://127.0.0.1:${server.port}/metrics`;
      const attempts: Array<RequestInit | undefined> = [
        undefined,
        withToken("wrong-token-0123456789abcdef"),
        withToken(`${TOKEN.value}x`),
        { headers: { authorization: `Basic ${TOKEN.value}` } },
      ];
      for (const init of attempts) {
        const res = await fetch(url, init);
        assert.equal(res.status, 401, JSON.stringify(init));
        assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer /);
        const body = (await res.json()) as { error: string };
        assert.match(body.error, /bearer token/);
        assert.ok(!body.error.includes(TOKEN.value));
      }
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/elsewhere`)).status, 401, "no 404 either");
    } finally {
      await server.close();
    }
  });

  it("names the port when it is taken", async () => {
    const first = await startMetricsServer(0, TOKEN);
    try {
      await assert.rejects(
        startMetricsServer(first.port, TOKEN),
        new RegExp(`metrics port ${first.port} .* already in use`),
      );
    } finally {
      await first.close();
    }
  });
});
