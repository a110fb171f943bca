/**
 * Crash test: `phonepipe stream` (a child process) is killed with SIGKILL mid-stream together with its Flink
 * job server (a whole-host crash), restarted, and left to drain. The landing must then hold
 * exactly what an uninterrupted run lands: one row per (URL, window), the latest observation, nothing lost,
 * nothing duplicated. Finally SIGTERM must stop the restarted job cleanly (exit 0).
 */
import assert from "node:assert/strict";
import { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tailOf, waitFor } from "../../../infra/process";
import {
  encodeListing,
  produce,
  readLanding,
  setUpStreamTest,
  spawnStreamCli,
  StreamTestEnv,
} from "../../../harness/stream";
import { scenarioListing } from "../../../harness/stream-scenarios";

const WINDOW_MS = 2000;

function listing(url: string, scrapedAt: number, price: number): Record<string, unknown> {
  return scenarioListing(url, scrapedAt, {
    title: "Apple iPhone 14 Pro 256GB Deep Purple",
    price_text: `EGP ${price}`,
    condition_text: "used",
  });
}

describe("stream job crash and restart (kill -9)", function () {
  this.timeout(900_000);
  let env: StreamTestEnv;
  let child: ChildProcess | undefined;
  const produced: Array<Record<string, unknown>> = [];

  before(async () => {
    env = await setUpStreamTest(2);
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    killServices();
    await env?.cleanup();
  });

  function startChild(tag: string): ChildProcess {
    const args = ["--topic", `${env.topic}=listings.scraped`, "--window-seconds", "2", "--grace-ms", "1000"];
    args.push(
      "--poll-ms",
      "300",
      "--parallelism",
      "1",
      "--group-id",
      `crash-${env.topic}`,
      "--metrics-ms",
      "3000",
    );
    return spawnStreamCli(env, args, join(env.runDir, `stream-${tag}.log`));
  }

  function killServices(): void {
    for (const name of ["flink"]) {
      const pidFile = join(env.runDir, "stream", `${name}.pid`);
      if (!existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }

  /** Produces `n` observations of 5 URLs, one every 250 ms, Kafka timestamp = scraped_at (event time). */
  async function produceLive(n: number, tag: string): Promise<void> {
    for (let i = 0; i < n; i++) {
      const t = Date.now();
      const v = listing(`https://noon.com/crash/${i % 5}`, t, 30_000 + i + (tag === "b" ? 1000 : 0));
      produced.push(v);
      await produce(env, [
        { key: String(v.url), value: encodeListing(env.schemaId, v), timestamp: String(t) },
      ]);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  function expected(): string[] {
    const best = new Map<string, Record<string, unknown>>();
    for (const v of produced) {
      const k = `${v.url}|${Math.floor((v.scraped_at as number) / WINDOW_MS)}`;
      const cur = best.get(k);
      if (!cur || (v.scraped_at as number) > (cur.scraped_at as number)) best.set(k, v);
    }
    return [...best.values()].map((v) => v.event_id as string).sort();
  }

  it("lands what an uninterrupted run lands after kill -9 and restart", async () => {
    child = startChild("1");
    await produceLive(24, "a");
    const someLanded = await waitFor(
      async () => (await readLanding(env.dataDir, env.topic)).length > 0,
      240_000,
      undefined,
      500,
    );
    assert.ok(
      someLanded,
      `nothing landed before the crash; the stream's log:\n${tailOf(join(env.runDir, "stream-1.log"), 40)}`,
    );
    const before = (await readLanding(env.dataDir, env.topic)).length;
    child.kill("SIGKILL");
    killServices();
    await waitFor(async () => child?.exitCode !== null || child?.signalCode !== null, 10_000);

    await produceLive(16, "b"); // produced while the job is down
    child = startChild("2");
    const want = expected();
    let got: string[] = [];
    const drained = await waitFor(
      async () => {
        got = (await readLanding(env.dataDir, env.topic)).map((r) => r.event_id).sort();
        return got.length >= want.length;
      },
      300_000,
      undefined,
      1000,
    );
    assert.ok(drained, `landing has ${got.length} of ${want.length} rows (had ${before} before the crash)`);
    assert.deepEqual(got, want);

    const exited = new Promise<number | null>((r) => child?.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
