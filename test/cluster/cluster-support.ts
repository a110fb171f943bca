/**
 * What the cluster fault tests share: the profile's processes by name (their pid files under
 * PHONEPIPE_CLUSTER_RUN_DIR), killing one with SIGKILL, bringing the profile whole again, and producing
 * listings with a record of which the cluster acknowledged.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel, Producer } from "kafkajs";
import { loadConfig } from "../../infra/config";
import { loadClusterConfig } from "../../infra/cluster/config";
import { platformUp } from "../../infra/platform";
import { readPid, runningPid, waitFor } from "../../infra/process";
import { profileServices } from "../../infra/profiles";
import { encodeListing, readLanding, StreamTestEnv } from "../../harness/stream";
import { scenarioListing } from "../../harness/stream-scenarios";

export function clusterRunDir(): string {
  return loadClusterConfig(loadConfig()).runDir;
}

function procOf(name: string): { name: string; pidFile: string; logFile: string } {
  const dir = clusterRunDir();
  return { name, pidFile: join(dir, "pids", `${name}.pid`), logFile: join(dir, "logs", `${name}.log`) };
}

/** Pid of a running profile process ("kafka-2", "taskmanager-1", ...). */
export function clusterPid(name: string): number | undefined {
  return runningPid(procOf(name));
}

/** SIGKILL to the process group of a profile process: the JVM and anything it forked die at once. */
export function killClusterProcess(name: string): number {
  const pid = readPid(procOf(name));
  if (pid === undefined) throw new Error(`${name} has no pid file in ${clusterRunDir()}`);
  process.kill(-pid, "SIGKILL");
  return pid;
}

/** Starts whatever of the cluster profile is not running (the killed process) and waits until healthy. */
export async function restoreCluster(): Promise<void> {
  await platformUp(profileServices("cluster", loadConfig()));
}

/** A producer as the product's are: idempotent, every write acknowledged by all in-sync replicas. */
export async function connectProducer(env: StreamTestEnv): Promise<Producer> {
  const kafka = new Kafka({ clientId: "cluster-test", brokers: env.brokers, logLevel: logLevel.NOTHING });
  const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  return p;
}

/** Sends one batch of listings with distinct URLs; resolves with their event ids once acknowledged. */
export async function sendListings(
  p: Producer,
  env: StreamTestEnv,
  tag: string,
  from: number,
  count: number,
): Promise<string[]> {
  const now = Date.now();
  const values = Array.from({ length: count }, (_, i) =>
    scenarioListing(`https://noon.com/${tag}/${from + i}`, now + i, {
      price_text: `EGP ${10_000 + from + i}`,
    }),
  );
  await p.send({
    topic: env.topic,
    acks: -1,
    messages: values.map((v) => ({
      key: String(v.url),
      value: encodeListing(env.schemaId, v),
      timestamp: String(v.scraped_at),
    })),
  });
  return values.map((v) => String(v.event_id));
}

/** Counts of a landing against what was acknowledged: what a fault test asserts on. */
export function landingCounts(
  landedIds: string[],
  acked: string[],
): { landed: number; distinct: number; duplicates: number; ackedMissing: number } {
  const distinct = new Set(landedIds);
  return {
    landed: landedIds.length,
    distinct: distinct.size,
    duplicates: landedIds.length - distinct.size,
    ackedMissing: acked.filter((id) => !distinct.has(id)).length,
  };
}

/** Waits (up to 5 min) until every acknowledged record has landed; the landing's counts either way. */
export async function awaitAckedLanded(
  dataDir: string,
  topic: string,
  acked: string[],
): Promise<{ drained: boolean; counts: ReturnType<typeof landingCounts> }> {
  let ids: string[] = [];
  const drained = await waitFor(
    async () => {
      ids = (await readLanding(dataDir, topic)).map((r) => r.event_id);
      return landingCounts(ids, acked).ackedMissing === 0;
    },
    300_000,
    undefined,
    1000,
  );
  return { drained, counts: landingCounts(ids, acked) };
}

/** SIGKILLs the process group whose leader the pid file names (a stream's job server), if any. */
export function killProcessGroup(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  try {
    process.kill(-Number(readFileSync(pidFile, "utf8").trim()), "SIGKILL");
  } catch {
    /* already gone */
  }
}
