/**
 * The stream job (offset-range micro-batches, each a bounded Beam job on the embedded Flink job server with a
 * LOOPBACK TypeScript worker) on the real broker and registry: exact deduplicated landing, exact dead
 * letters, a window whose records arrive across two cycles landed whole, and a late record in its own file.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { startMicroBatchStream, MicroBatchHandle } from "../../../pipelines/run-micro-batch";
import { waitFor } from "../../../infra/process";
import {
  assertDedupeScenarioLanded,
  produceDedupeScenario,
  scenarioListing as listing,
} from "../../../harness/stream-scenarios";
import {
  encodeListing,
  produce,
  readLanding,
  setUpStreamTest,
  StreamTestEnv,
  streamTestOptions,
} from "../../../harness/stream";

const WINDOW_S = 2;

describe("stream job on embedded Flink (offset-range micro-batches)", function () {
  this.timeout(600_000);
  let env: StreamTestEnv;
  let handle: MicroBatchHandle | undefined;
  const lines: string[] = [];

  before(async () => {
    env = await setUpStreamTest(2);
    handle = await startMicroBatchStream(
      streamTestOptions({
        topics: [env.topic],
        contracts: { [env.topic]: "listings.scraped" },
        dataDir: env.dataDir,
        runDir: env.runDir,
        groupId: `it-${randomBytes(4).toString("hex")}`,
        windowSeconds: WINDOW_S,
        metricsIntervalMs: 5000,
        fxRatesToEgp: { USD: 50 },
        instance: "it-flink",
        log: (l) => lines.push(l),
      }),
    );
  });
  after(async () => {
    await handle?.stop();
    await env?.cleanup();
  });

  const u = (i: number) => `https://noon.com/it/${i}`;
  const w = WINDOW_S * 1000;
  const send = (vs: Array<Record<string, unknown>>) =>
    produce(
      env,
      vs.map((v) => ({
        key: String(v.url),
        value: encodeListing(env.schemaId, v),
        timestamp: String(v.scraped_at),
      })),
    );

  it("lands exactly the deduplicated observations and dead-letters exactly the bad records", async () => {
    const scenario = await produceDedupeScenario(env, WINDOW_S * 1000);
    await assertDedupeScenarioLanded(env, scenario, 180_000, () => lines.slice(-5).join("\n"));
  });

  it("lands a live window whole although its records arrive over several cycles, and late data apart", async () => {
    // A window about 10 s ahead (event times may lie in the future): it stays open while its records arrive.
    const start = Math.ceil((Date.now() + 10_000) / w) * w;
    const first = listing(u(20), start + 50, { price_text: "EGP 7,000" });
    await send([first]);
    // Wait until a cycle has read (and held) the first record before the second arrives in the same window.
    const batchesBefore = lines.filter((l) => l.includes('"event":"micro_batch"')).length;
    await waitFor(
      async () => lines.filter((l) => l.includes('"event":"micro_batch"')).length > batchesBefore,
      30_000,
      undefined,
      50,
    );
    const second = listing(u(21), start + 400, { price_text: "EGP 7,100" });
    const again = listing(u(20), start + 500, { price_text: "EGP 6,900" }); // same URL, same window: wins
    await send([second, again]);
    let rows = await readLanding(env.dataDir, env.topic);
    const landed = await waitFor(
      async () => {
        rows = (await readLanding(env.dataDir, env.topic)).filter((r) => r.scraped_at >= start);
        return rows.length >= 2;
      },
      120_000,
      undefined,
      300,
    );
    assert.ok(landed, `window not landed:\n${lines.slice(-5).join("\n")}`);
    assert.deepEqual(
      rows.map((r) => [r.url, r.scraped_at, r.price_egp]),
      [
        [u(20), start + 500, 6900],
        [u(21), start + 400, 7100],
      ],
    );
    assert.ok(rows.every((r) => /_\d{3}\.parquet$/.test(r.file)));

    // A record of that (landed) window produced now is late: landed in its own file, the first file intact.
    const late = listing(u(22), start + 700, { price_text: "EGP 7,300" });
    await send([late]);
    const lateLanded = await waitFor(
      async () => {
        rows = (await readLanding(env.dataDir, env.topic)).filter((r) => r.scraped_at >= start);
        return rows.length >= 3;
      },
      120_000,
      undefined,
      300,
    );
    assert.ok(lateLanded, "late record not landed");
    const lateRow = rows.find((r) => r.url === u(22));
    assert.match(lateRow?.file ?? "", /_late-[0-9a-f]{12}\.parquet$/);
    assert.equal(rows.filter((r) => r.url === u(20)).length, 1);

    // Once the cycle is done the state is consistent: nothing pending, every record read up to the end.
    type State = { pending?: unknown; partitions: Record<string, { next_offset: number; read_to: number }> };
    let state: State | undefined;
    const settled = await waitFor(
      async () => {
        state = JSON.parse(readFileSync(handle!.stateFiles[env.topic], "utf8")) as State;
        return state.pending === undefined;
      },
      60_000,
      undefined,
      200,
    );
    assert.ok(settled, "the state file still has a pending cycle");
    const total = Object.values(state!.partitions).reduce((s, p) => s + p.read_to, 0);
    assert.equal(total, 10 + 4, "every produced record was read, up to the end offsets");
  });
});
