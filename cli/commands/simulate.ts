import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../command";
import { loadConfig } from "../../infra/config";
import {
  openAvroProducer,
  openDryRunSink,
  ProducedRecord,
  RecordSink,
  validateRecord,
} from "../../producers/avro-producer";
import { runSimulation } from "../../producers/simulators/runner";
import { SimKind } from "../../producers/simulators/stream";

export const description = "Simulate marketplace transactions and user activity at a given rate";

const USAGE = `usage: phonepipe simulate <transactions|activity|all> [--seed N] [--rate N] [--duration S]
                         [--start ISO] [--cycle] [--dry-run] [--out FILE.jsonl]

  --seed N       seed of the simulated world and events (default 1); same seed, same events
  --rate N       events per second across the selected streams (default 5)
  --duration S   seconds to run (default 60; 0 = until interrupted)
  --start ISO    simulated time of the first event (default now); events are still paced in real time
  --cycle        let the rate follow the daily traffic curve (Cairo time), --rate being its mean
  --dry-run      validate and count, send nothing
  --out FILE     write {"topic","key","value"} JSON Lines to FILE instead of producing to Kafka`;

const KINDS: SimKind[] = ["transactions", "activity", "all"];

/** A sink writing JSON Lines after validating each value against its topic's schema. */
function jsonlSink(file: string): RecordSink {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  const st = { sent: 0 };
  return {
    async send(topic: string, records: ProducedRecord[]) {
      for (const r of records) validateRecord(topic, r.value);
      writeSync(
        fd,
        records.map((r) => JSON.stringify({ topic: topic, key: r.key, value: r.value }) + "\n").join(""),
      );
      st.sent += records.length;
    },
    async close() {
      closeSync(fd);
    },
    get sent() {
      return st.sent;
    },
  };
}

function positiveNumber(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw new UsageError(
      `simulate: --${name} must be a ${allowZero ? "non-negative" : "positive"} number, got '${raw}'`,
    );
  return n;
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        seed: { type: "string" },
        rate: { type: "string" },
        duration: { type: "string" },
        start: { type: "string" },
        cycle: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`simulate: ${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !(KINDS as string[]).includes(positionals[0])) {
    throw new UsageError(`simulate: expected one of ${KINDS.join(", ")}\n${USAGE}`);
  }
  const kind = positionals[0] as SimKind;
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed))
    throw new UsageError(`simulate: --seed must be an integer, got '${values.seed}'`);
  const rate = positiveNumber("rate", values.rate, 5);
  const durationS = positiveNumber("duration", values.duration, 60, true);
  let startMs = Date.now();
  if (values.start !== undefined) {
    startMs = Date.parse(values.start);
    if (Number.isNaN(startMs))
      throw new UsageError(`simulate: --start '${values.start}' is not an ISO date-time`);
  }

  let sink: RecordSink;
  let dest: string;
  if (values.out !== undefined) {
    sink = jsonlSink(values.out);
    dest = values.out;
  } else if (values["dry-run"]) {
    sink = openDryRunSink();
    dest = "dry run (nothing sent)";
  } else {
    const cfg = loadConfig();
    sink = await openAvroProducer({
      brokers: cfg.kafkaBrokers,
      registryUrl: cfg.registryUrl,
      clientId: `phonepipe-simulate-${kind}`,
    });
    dest = cfg.kafkaBrokers.join(",");
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  console.error(
    `simulate ${kind}: seed=${seed} rate=${rate}/s duration=${durationS === 0 ? "until interrupted" : `${durationS}s`}${values.cycle ? " (daily cycle)" : ""} -> ${dest}`,
  );
  try {
    const s = await runSimulation({
      kind,
      seed,
      rate,
      startMs,
      cycle: values.cycle,
      durationS,
      sink,
      signal: abort.signal,
      log: (l) => console.error(l),
    });
    const secs = s.elapsedMs / 1000;
    console.error(
      `simulate ${kind}: events=${s.events} ${Object.entries(s.byTopic)
        .map(([t, n]) => `${t}=${n}`)
        .join(
          " ",
        )} elapsed=${secs.toFixed(1)}s rate=${secs > 0 ? (s.events / secs).toFixed(1) : "-"}/s -> ${dest}`,
    );
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await sink.close();
  }
  return 0;
}
