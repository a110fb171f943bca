import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { kafkaClient } from "../../infra/kafka-client";
import { TOPICS_READ_GROUP_PREFIX } from "../../infra/kafka-groups";
import { loadConfig, PlatformConfig } from "../../infra/config";
import { AvroDecoder } from "../../producers/avro-decoder";
import { RegistryClient } from "../../producers/registry";
import { allSubjects } from "../../schemas";
import { parseCommandArgs, showHelp } from "../args";
import { UsageError } from "../command";

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "stream";

export const description =
  "count the records in each topic and read back the latest ones, decoded (summary|read)";

const HELP = `usage: phonepipe topics summary            records per topic (data and dead-letter topics)
       phonepipe topics read TOPIC [--last N] [--json]   decode the last N records (default 5)`;

type Offsets = Array<{ partition: number; low: number; high: number }>;

async function topicOffsets(kafka: Kafka, topics: string[]): Promise<Map<string, Offsets>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const out = new Map<string, Offsets>();
    for (const t of topics.filter((x) => existing.has(x))) {
      const offs = await admin.fetchTopicOffsets(t);
      out.set(
        t,
        offs.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })),
      );
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** Reads the last `n` records of every partition of a topic without committing any offsets. */
async function readLast(kafka: Kafka, topic: string, offsets: Offsets, n: number) {
  const wanted = offsets
    .map((o) => ({ ...o, from: Math.max(o.low, o.high - n) }))
    .filter((o) => o.high > o.from);
  const total = wanted.reduce((s, o) => s + (o.high - o.from), 0);
  const got: Array<{ partition: number; offset: number; key: string | null; value: Buffer | null }> = [];
  if (total === 0) return got;
  const consumer = kafka.consumer({ groupId: `${TOPICS_READ_GROUP_PREFIX}${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${got.length}/${total} records within 20 s`)),
        20_000,
      );
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const w = wanted.find((o) => o.partition === partition);
          if (!w || Number(message.offset) < w.from) return;
          got.push({
            partition,
            offset: Number(message.offset),
            key: message.key ? message.key.toString() : null,
            value: message.value,
          });
          if (got.length >= total) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      // Seeking once the group is joined skips the history before the tail we want.
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const w of wanted) consumer.seek({ topic, partition: w.partition, offset: String(w.from) });
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** One line per data and dead-letter topic: partitions and records (or "missing"). */
async function printSummary(kafka: Kafka): Promise<number> {
  const topics = allSubjects().map((s) => s.topic);
  const offsets = await topicOffsets(kafka, topics);
  console.log(`${"topic".padEnd(34)} ${"partitions".padStart(10)} ${"records".padStart(10)}`);
  for (const t of topics) {
    const o = offsets.get(t);
    const count = o ? o.reduce((s, p) => s + (p.high - p.low), 0) : 0;
    console.log(
      `${t.padEnd(34)} ${String(o?.length ?? "-").padStart(10)} ${String(o ? count : "missing").padStart(10)}`,
    );
  }
  return 0;
}

/** Prints the last `n` records of each partition, decoded; exit 1 when one could not be decoded. */
async function printLast(kafka: Kafka, cfg: PlatformConfig, topic: string, n: number, json: boolean) {
  const offsets = (await topicOffsets(kafka, [topic])).get(topic);
  if (!offsets)
    throw new UsageError(`topics: topic ${topic} does not exist at ${cfg.kafkaBrokers.join(",")}`);
  const decoder = new AvroDecoder(new RegistryClient(cfg.registryUrl));
  let failures = 0;
  for (const m of await readLast(kafka, topic, offsets, n)) {
    const where = `${topic}[${m.partition}]@${m.offset}`;
    try {
      const d = await decoder.decode(m.value);
      const line = { at: where, key: m.key, schema_id: d.schemaId, value: d.value };
      console.log(
        json ? JSON.stringify(line) : `${where} key=${m.key} schema=${d.schemaId} ${JSON.stringify(d.value)}`,
      );
    } catch (err) {
      failures++;
      console.error(`${where}: cannot decode: ${(err as Error).message}`);
    }
  }
  return failures ? 1 : 0;
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "topics",
    usage: HELP,
    options: { last: { type: "string" }, json: { type: "boolean" } },
    positionals: true,
  });
  if (a.help) return showHelp(HELP);
  const cfg = loadConfig();
  const kafka = kafkaClient(cfg.kafkaBrokers, "phonepipe-topics", {
    connectionTimeout: 3000,
    retry: { retries: 2 },
  });
  const [action, topic] = a.positionals;
  if (action === "summary") return printSummary(kafka);
  if (action === "read") {
    if (!topic) return a.fail("read needs a topic", true);
    return printLast(kafka, cfg, topic, a.int("last", 5, 1), a.values.json === true);
  }
  return a.fail("needs 'summary' or 'read'", true);
}
