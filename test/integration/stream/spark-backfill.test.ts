/**
 * Backfill equality: the same events landed by the streaming job (micro-batches on embedded Flink), and
 * replayed bounded over their time range by `backfill` on the portable Spark runner (local[2]), give the same
 * landing rows and files.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { tmpdir } from "node:os";
import { startMicroBatchStream } from "../../../pipelines/run-micro-batch";
import { runBackfill } from "../../../pipelines/run-backfill";
import { waitFor } from "../../../infra/process";
import {
  encodeListing,
  produce,
  readLanding,
  setUpStreamTest,
  StreamTestEnv,
  streamTestOptions,
} from "../../../harness/stream";

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
      contract: "listings.scraped",
      runDir: env.runDir,
      cacheDir: env.cacheDir,
      registryUrl: env.registryUrl,
      brokers: env.brokers,
      windowSeconds: WINDOW_S,
      shards: 2,
      fxRatesToEgp: { USD: 50 },
    };
    const stream = await startMicroBatchStream(
      streamTestOptions({
        ...common,
        topics: [env.topic],
        contracts: { [env.topic]: "listings.scraped" },
        dataDir: env.dataDir,
        groupId: `bf-${randomBytes(3).toString("hex")}`,
        resume: false,
        instance: "it-bf",
      }),
    );
    let streamRows = await readLanding(env.dataDir, env.topic);
    try {
      // Done when the stream's state says every record was read, nothing is held and no cycle is pending.
      type State = {
        pending?: unknown;
        partitions: Record<string, { next_offset: number; read_to: number }>;
      };
      const drained = await waitFor(
        async () => {
          let st: State;
          try {
            st = JSON.parse(readFileSync(stream.stateFiles[env.topic], "utf8")) as State;
          } catch {
            return false;
          }
          const parts = Object.values(st.partitions);
          return (
            st.pending === undefined &&
            parts.reduce((n, p) => n + p.read_to, 0) === 40 &&
            parts.every((p) => p.next_offset === p.read_to)
          );
        },
        300_000,
        undefined,
        500,
      );
      assert.ok(drained, "the stream did not read and land all 40 records");
      streamRows = await readLanding(env.dataDir, env.topic);
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
