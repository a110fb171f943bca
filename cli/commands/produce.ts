import { loadConfig } from "../../infra/config";
import { openAvroProducer, openDryRunSink, RecordSink } from "../../producers/avro-producer";
import { JsonLineError, produceJsonLines } from "../../producers/json-lines";
import { TOPICS } from "../../schemas";
import { topicSpec } from "../../schemas/catalog";
import { parseCommandArgs, showHelp } from "../args";

export const description = "produce JSON lines from stdin to a topic (Avro through the schema registry)";

const USAGE = `usage: phonepipe produce TOPIC [--key FIELD] [--dry-run] < records.jsonl

  Each line of stdin is one record value of TOPIC as plain JSON (money as numbers, timestamps as epoch
  milliseconds, optional fields as their value or null). Every line is checked against the topic's contract
  first: one bad line sends nothing and the error names the line and the field.

  --key F     the field whose value keys the Kafka record (default: the topic's catalog key)
  --dry-run   validate and count, send nothing
  On a secured Kafka it acts as the topic's producer role (catalog 'producer') unless PHONEPIPE_ROLE is set.
  topics: ${TOPICS.join(", ")}`;

/** Opens the sink for `dryRun`, produces stdin (or `input`) to `topic`, reports on stderr; the exit code. */
export async function produceFrom(
  topic: string,
  input: NodeJS.ReadableStream,
  opts: { keyField?: string; dryRun: boolean; clientId?: string },
): Promise<number> {
  const cfg = loadConfig();
  const sink: RecordSink = opts.dryRun
    ? openDryRunSink()
    : await openAvroProducer({
        brokers: cfg.kafkaBrokers,
        registryUrl: cfg.registryUrl,
        clientId: opts.clientId ?? "phonepipe-produce",
      });
  try {
    const n = await produceJsonLines(topic, input as import("node:stream").Readable, sink, {
      keyField: opts.keyField,
    });
    console.error(
      `produce ${topic}: ${n} record(s) ${opts.dryRun ? "validated (dry run, nothing sent)" : "sent"}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof JsonLineError) {
      console.error(`phonepipe: produce ${topic}: ${err.message}; nothing sent`);
      return 1;
    }
    throw err;
  } finally {
    await sink.close();
  }
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "produce",
    usage: USAGE,
    options: { key: { type: "string" }, "dry-run": { type: "boolean", default: false } },
    positionals: true,
  });
  if (a.help) return showHelp(USAGE);
  if (a.positionals.length !== 1) return a.fail("expected one TOPIC", true);
  const [topic] = a.positionals;
  if (!TOPICS.includes(topic)) return a.fail(`unknown topic '${topic}' (topics: ${TOPICS.join(", ")})`);
  // The principal is the topic's producer (its catalog entry), unless PHONEPIPE_ROLE names another.
  const producer = topicSpec(topic).producer;
  if (producer && !process.env.PHONEPIPE_ROLE) process.env.PHONEPIPE_ROLE = producer;
  return produceFrom(topic, process.stdin, { keyField: a.string("key"), dryRun: a.values["dry-run"] });
}
