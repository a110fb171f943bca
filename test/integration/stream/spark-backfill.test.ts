/**
 * Backfill equality: the same events landed by the streaming job on embedded Flink, and replayed bounded over
 * their time range by `backfill` on the portable Spark runner (local[2]), give the same landing rows and files.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { tmpdir } from "node:os";
import { startStream } from "../../../pipelines/run-stream";
import { runBackfill } from "../../../pipelines/run-backfill";
import { waitFor } from "../../../infra/process";
import { encodeListing, produce, readLanding, setUpStreamTest, StreamTestEnv } from "./harness";

const WINDOW_S = 2;

describe("backfill on Spark equals the stream on Flink", function () {
  this.timeout(900_000);
  let env: StreamTestEnv;
  let backfillDir: string;

  before(async () => {
    env = await setUpStreamTest(2);
    backfillDir = mkdtempSync(join(tmpdir(), "pp-stream-it-backfill-"));
  });
  after(async () => {
    rmSync(backfillDir, { recursive: true, force: true });
    await env?.cleanup();
  });

  it("lands the same rows for the same range", async () => {
    const w = WINDOW_S * 1000;
    // Event times (and Kafka record times) a few windows in the past, aligned, so the range is whole windows.
    const base = Math.floor((Date.now() - 10 * w) / w) * w;
    const messages = [];
    for (let i = 0; i < 40; i++) {
      const t = base + i * 150;
      const url = `https://noon.com/bf/${i % 7}`;
      const v = {
        event_id: createHash("sha256").update(`noon|${url}|${t}`).digest("hex"),
        source: "noon",
        source_domain: "noon.com",
        source_type: "competitor",
        url,
        title: "Realme C55 128GB",
        price_text: `EGP ${6000 + i}`,
        currency_hint: "EGP",
        seller_name: null,
        condition_text: "new",
        availability: "in_stock",
        scraped_at: t,
        raw: {},
      };
      messages.push({ key: url, value: encodeListing(env.schemaId, v), timestamp: String(t) });
    }
    await produce(env, messages);
    const common = {
      topic: env.topic,
      runDir: env.runDir,
      cacheDir: env.cacheDir,
      registryUrl: env.registryUrl,
      brokers: env.brokers,
      windowSeconds: WINDOW_S,
      shards: 2,
      fxRatesToEgp: { USD: 50 },
    };
    const stream = await startStream({
      ...common,
      dataDir: env.dataDir,
      flinkMaster: "[local]",
      groupId: `bf-${randomBytes(3).toString("hex")}`,
      allowedLatenessSeconds: 0,
      parallelism: 1,
      checkpointIntervalMs: 3000,
      metricsIntervalMs: 10_000,
      resume: false,
      instance: "it-bf",
    });
    let streamRows = await readLanding(env.dataDir, env.topic);
    try {
      // 40 observations of 7 URLs over 6 s = 3 windows → at most 21 rows; wait until the landing stops growing.
      let stableSince = Date.now();
      let last = -1;
      await waitFor(
        async () => {
          streamRows = await readLanding(env.dataDir, env.topic);
          if (streamRows.length !== last) {
            last = streamRows.length;
            stableSince = Date.now();
          }
          return streamRows.length > 0 && Date.now() - stableSince > 20_000;
        },
        300_000,
        undefined,
        1000,
      );
    } finally {
      await stream.stop();
    }
    assert.ok(streamRows.length >= 14, `stream landed ${streamRows.length} rows`);

    const res = await runBackfill({
      ...common,
      dataDir: backfillDir,
      allowedLatenessSeconds: 0,
      fromMs: base,
      toMs: base + 40 * 150 + w,
      runner: "spark",
      sparkMaster: "local[2]",
      instance: "it-bf",
    });
    assert.equal(res.state, "DONE");
    const backfillRows = await readLanding(backfillDir, env.topic);
    const view = (rows: typeof streamRows) =>
      rows.map((r) => [r.url, r.scraped_at, r.event_id, r.price_egp, basename(r.file)]);
    assert.deepEqual(view(backfillRows), view(streamRows));
  });
});
