import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { kafkaClient } from "../../infra/kafka-client";
import { STREAM_GROUP } from "../../infra/kafka-groups";
import { loadConfig, PlatformConfig } from "../../infra/config";
import { dlqTopic, TOPICS } from "../../schemas";
import { parseCommandArgs, showHelp } from "../args";

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "stream";

export const description =
  "print pipeline health as JSON: consumer lag of a group, dead-letter end offsets, newest landing partition";

const USAGE = `usage: phonepipe health [--group ID] [--topics T1,T2] [--timeout-ms N]
  --group       consumer group of the stream job (default $PHONEPIPE_STREAM_GROUP or phonepipe-stream)
  --topics      topics to check (default: every phonepipe topic); their <topic>.dlq are checked too
  --timeout-ms  connection and request timeout (default 5000)
Prints one JSON object: {group, lag:[{topic,partition,committed,end,lag}], totalLag,
dlq:[{topic,exists,partitions:[{partition,end}],total}], landing:[{topic,newestPartition,lastWriteAt,files}]}.
Exit 0 when the broker answered, 1 when it could not be reached.`;

interface Options {
  group: string;
  topics: string[];
  timeoutMs: number;
}

function readOptions(args: string[]): Options | undefined {
  const a = parseCommandArgs(args, {
    command: "health",
    usage: USAGE,
    options: { group: { type: "string" }, topics: { type: "string" }, "timeout-ms": { type: "string" } },
  });
  if (a.help) return undefined;
  return {
    group: a.string("group") ?? (process.env.PHONEPIPE_STREAM_GROUP || STREAM_GROUP),
    topics: a.list("topics") ?? [...TOPICS],
    timeoutMs: a.int("timeout-ms", 5000, 1),
  };
}

/** Newest `ingest_date=YYYY-MM-DD` folder of a topic that holds Parquet files (dot files ignored). */
export function newestLandingPartition(
  landingDir: string,
  topic: string,
): { topic: string; newestPartition: string | null; lastWriteAt: string | null; files: number } {
  const dir = join(landingDir, topic);
  let best: { day: string; files: string[] } | undefined;
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const m = /^ingest_date=(\d{4}-\d{2}-\d{2})$/.exec(name);
      if (!m) continue;
      const part = join(dir, name);
      if (!statSync(part).isDirectory()) continue;
      const files = readdirSync(part)
        .filter((f) => f.endsWith(".parquet") && !f.startsWith("."))
        .map((f) => join(part, f));
      if (files.length > 0 && (!best || m[1] > best.day)) best = { day: m[1], files };
    }
  }
  if (!best) return { topic, newestPartition: null, lastWriteAt: null, files: 0 };
  const last = Math.max(...best.files.map((f) => statSync(f).mtimeMs));
  return {
    topic,
    newestPartition: best.day,
    lastWriteAt: new Date(last).toISOString(),
    files: best.files.length,
  };
}

type Admin = ReturnType<ReturnType<typeof kafkaClient>["admin"]>;

interface LagRow {
  topic: string;
  partition: number;
  committed: number | null;
  end: number;
  lag: number | null;
}

/** Committed offset, end offset and lag of the group on every partition of the given (existing) topics. */
async function readLag(admin: Admin, group: string, topics: string[]): Promise<LagRow[]> {
  const committedByTopic = new Map<string, Map<number, number>>();
  if (topics.length > 0) {
    for (const t of await admin.fetchOffsets({ groupId: group, topics })) {
      committedByTopic.set(t.topic, new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])));
    }
  }
  const lag: LagRow[] = [];
  for (const topic of topics) {
    const committed = committedByTopic.get(topic) ?? new Map<number, number>();
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const end = Number(p.high);
      const c = committed.get(p.partition);
      const has = c !== undefined && c >= 0;
      lag.push({
        topic,
        partition: p.partition,
        committed: has ? c : null,
        end,
        lag: has ? Math.max(0, end - c) : null,
      });
    }
  }
  return lag;
}

interface DlqRow {
  topic: string;
  exists: boolean;
  partitions: { partition: number; end: number }[];
  total: number;
}

/** End offsets of each topic's dead-letter topic: how many records were ever dead-lettered. */
async function readDlq(admin: Admin, topics: string[], existing: Set<string>): Promise<DlqRow[]> {
  const dlq: DlqRow[] = [];
  for (const topic of topics.map(dlqTopic)) {
    if (!existing.has(topic)) {
      dlq.push({ topic, exists: false, partitions: [], total: 0 });
      continue;
    }
    const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => ({
      partition: p.partition,
      end: Number(p.high),
    }));
    dlq.push({ topic, exists: true, partitions, total: partitions.reduce((s, p) => s + p.end, 0) });
  }
  return dlq;
}

/** The health report: lag and dead letters from the broker, the newest landing partition from disk. */
async function healthReport(admin: Admin, opts: Options, cfg: PlatformConfig): Promise<object> {
  const existing = new Set(await admin.listTopics());
  const lag = await readLag(
    admin,
    opts.group,
    opts.topics.filter((t) => existing.has(t)),
  );
  const dlq = await readDlq(admin, opts.topics, existing);
  const landingDir = join(cfg.dataDir, "landing");
  return {
    group: opts.group,
    brokers: cfg.kafkaBrokers,
    checkedAt: new Date().toISOString(),
    missingTopics: opts.topics.filter((t) => !existing.has(t)),
    lag,
    totalLag: lag.reduce((s, r) => s + (r.lag ?? 0), 0),
    dlq,
    landing: opts.topics.map((t) => newestLandingPartition(landingDir, t)),
  };
}

export async function run(args: string[]): Promise<number> {
  const opts = readOptions(args);
  if (!opts) return showHelp(USAGE);
  const cfg = loadConfig();
  const kafka = kafkaClient(cfg.kafkaBrokers, "phonepipe-health", {
    connectionTimeout: opts.timeoutMs,
    requestTimeout: opts.timeoutMs,
    // a fresh broker answers "not the correct coordinator" until __consumer_offsets exists: retry a while
    retry: { retries: 6, initialRetryTime: 300, maxRetryTime: 3000 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    console.log(JSON.stringify(await healthReport(admin, opts, cfg), null, 2));
    return 0;
  } catch (err) {
    console.error(
      `phonepipe health: cannot read offsets from ${cfg.kafkaBrokers.join(",")}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
