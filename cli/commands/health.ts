import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { loadConfig } from "../../infra/config";
import { UsageError } from "../command";

export const description =
  "print pipeline health as JSON: consumer lag of a group, dead-letter end offsets, newest landing partition";

const DEFAULT_TOPICS = [
  "listings.scraped",
  "marketplace.transactions",
  "marketplace.user_activity",
  "pricing.suggestions",
  "market.reference_prices",
];

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

function parseArgs(args: string[]): Options | undefined {
  const opts: Options = {
    group: process.env.PHONEPIPE_STREAM_GROUP || "phonepipe-stream",
    topics: DEFAULT_TOPICS,
    timeoutMs: 5000,
  };
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") return undefined;
    if (arg !== "--group" && arg !== "--topics" && arg !== "--timeout-ms") {
      throw new UsageError(`unknown option '${arg}'\n${USAGE}`);
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value\n${USAGE}`);
    i += 2;
    if (arg === "--group") {
      opts.group = value;
    } else if (arg === "--topics") {
      opts.topics = value
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
    } else {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--timeout-ms must be a positive integer`);
      opts.timeoutMs = n;
    }
  }
  if (opts.topics.length === 0) throw new UsageError("--topics is empty");
  return opts;
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

export async function run(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  if (!opts) {
    console.log(USAGE);
    return 0;
  }
  const cfg = loadConfig();
  const kafka = new Kafka({
    clientId: "phonepipe-health",
    brokers: cfg.kafkaBrokers,
    connectionTimeout: opts.timeoutMs,
    requestTimeout: opts.timeoutMs,
    // a fresh broker answers "not the correct coordinator" until __consumer_offsets exists: retry a while
    retry: { retries: 6, initialRetryTime: 300, maxRetryTime: 3000 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const present = opts.topics.filter((t) => existing.has(t));

    const lag: {
      topic: string;
      partition: number;
      committed: number | null;
      end: number;
      lag: number | null;
    }[] = [];
    const committedByTopic = new Map<string, Map<number, number>>();
    if (present.length > 0) {
      for (const t of await admin.fetchOffsets({ groupId: opts.group, topics: present })) {
        committedByTopic.set(t.topic, new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])));
      }
    }
    for (const topic of present) {
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

    const dlq: {
      topic: string;
      exists: boolean;
      partitions: { partition: number; end: number }[];
      total: number;
    }[] = [];
    for (const topic of opts.topics.map((t) => `${t}.dlq`)) {
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

    const landingDir = join(cfg.dataDir, "landing");
    const report = {
      group: opts.group,
      brokers: cfg.kafkaBrokers,
      checkedAt: new Date().toISOString(),
      missingTopics: opts.topics.filter((t) => !existing.has(t)),
      lag,
      totalLag: lag.reduce((s, r) => s + (r.lag ?? 0), 0),
      dlq,
      landing: opts.topics.map((t) => newestLandingPartition(landingDir, t)),
    };
    console.log(JSON.stringify(report, null, 2));
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
