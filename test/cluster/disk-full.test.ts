/**
 * The landing disk full mid-write: the data dir is a small tmpfs filled to the last byte. The cycle fails with
 * an error naming the path and "no space", no offset is committed for what was not written, the stream keeps
 * retrying, and once space is freed it lands everything exactly once.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { tailOf, waitFor } from "../../infra/process";
import { readLanding, setUpStreamTest, spawnStreamCli, StreamTestEnv } from "../../harness/stream";
import { awaitAckedLanded, connectProducer, killProcessGroup, sendListings } from "./cluster-support";

/**
 * Writes zeros into `file` until the filesystem refuses, then gives back `reserve` bytes: room for the
 * stream's small state file, not for a landing file, so the cycle fails in the middle of writing the landing.
 */
function fillUp(file: string, reserve: number): number {
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk, 0, chunk.length);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
    for (let size = 4096; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) written += writeSync(fd, chunk, 0, size);
      } catch {
        /* this size no longer fits; try smaller */
      }
    }
  } finally {
    closeSync(fd);
  }
  truncateSync(file, written - reserve);
  return written - reserve;
}

async function committedOffsets(env: StreamTestEnv, groupId: string): Promise<number> {
  const admin = new Kafka({ brokers: env.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [env.topic] });
    return t.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe("cluster: the landing disk full mid-write", function () {
  this.timeout(900_000);
  let env: StreamTestEnv;
  let mount: string;
  let stream: ReturnType<typeof spawnStreamCli> | undefined;

  before(async () => {
    env = await setUpStreamTest(2, "cluster");
    mount = mkdtempSync(join(tmpdir(), "pp-disk-full-"));
    // A real filesystem that runs out: tmpfs (needs root, as CI has). 8 MB holds the test's landing easily.
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mount]);
  });
  after(async () => {
    if (stream && stream.exitCode === null) stream.kill("SIGKILL");
    if (env) killProcessGroup(join(env.runDir, "stream", "flink.pid"));
    try {
      execFileSync("umount", ["-l", mount]);
    } catch {
      /* not mounted */
    }
    rmSync(mount, { recursive: true, force: true });
    await env?.cleanup();
  });

  it("fails the cycle naming the path, commits nothing unwritten, and lands everything once space is back", async () => {
    const dataDir = join(mount, "data");
    const ballast = join(mount, "ballast");
    const filled = fillUp(ballast, 12 * 1024);
    const groupId = `disk-full-${env.topic}`;
    const log = join(env.runDir, "stream.log");
    stream = spawnStreamCli(
      { ...env, dataDir },
      ["--topic", `${env.topic}=listings.scraped`, "--window-seconds", "2", "--grace-ms", "1000"].concat([
        "--poll-ms",
        "300",
        "--group-id",
        groupId,
        "--metrics-ms",
        "3000",
      ]),
      log,
    );
    const producer = await connectProducer(env);
    const acked: string[] = [];
    try {
      for (let i = 0; i < 4; i++) acked.push(...(await sendListings(producer, env, "disk-full", i * 50, 50)));
    } finally {
      await producer.disconnect();
    }

    // The stream's own failure event must say it: with an external worker pool the DoFn's error is printed
    // in the pool's log, not here.
    const failureLine = (): string | undefined =>
      readFileSync(log, "utf8")
        .split("\n")
        .find((l) => l.includes('"micro_batch_failed"') && /no space/i.test(l));
    const failedOnSpace = await waitFor(async () => failureLine() !== undefined, 300_000, undefined, 500);
    assert.ok(failedOnSpace, `the stream never reported the full disk; its log:\n${tailOf(log, 40)}`);
    const failure = failureLine() as string;
    assert.ok(
      failure.includes(join(dataDir, "landing")),
      `the error does not name the landing file: ${failure}`,
    );
    // A first small window may still fit before the disk is full; what counts is that no offset is committed
    // beyond what is on disk (one row per record here: every URL is distinct).
    const landedWhileFull = (await readLanding(dataDir, env.topic)).length;
    assert.ok(landedWhileFull < acked.length, "everything landed: the disk was never full");
    assert.ok(
      (await committedOffsets(env, groupId)) <= landedWhileFull,
      "offsets were committed for records not written",
    );
    assert.equal(stream.exitCode, null, "the stream gave up instead of retrying");

    rmSync(ballast);
    const { drained: landed, counts } = await awaitAckedLanded(dataDir, env.topic, acked);
    console.log(
      `      filled ${(filled / 1e6).toFixed(1)} MB; acknowledged ${acked.length}, landed ${counts.landed}, ` +
        `duplicates ${counts.duplicates}; first failure: ${failure.trim().slice(0, 200)}`,
    );
    assert.ok(
      landed,
      `${counts.ackedMissing} records never landed after space was freed:\n${tailOf(log, 40)}`,
    );
    assert.equal(counts.landed, acked.length);
    assert.equal(counts.duplicates, 0);
    // The group's offsets follow the landing in the background; they must reach exactly what landed.
    assert.ok(await waitFor(async () => (await committedOffsets(env, groupId)) === acked.length, 60_000));

    const exited = new Promise<number | null>((r) => stream?.once("exit", (code) => r(code)));
    stream.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
