import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { CommandArgs, parseCommandArgs, showHelp } from "../args";
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

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "simulator";

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

const OPTIONS = {
  seed: { type: "string" },
  rate: { type: "string" },
  duration: { type: "string" },
  start: { type: "string" },
  cycle: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  out: { type: "string" },
} as const;

/** The stream kind and the checked options, before any sink is opened. */
function readOptions(a: CommandArgs<typeof OPTIONS>) {
  const [kind] = a.positionals;
  if (a.positionals.length !== 1 || !(KINDS as string[]).includes(kind))
    a.fail(`expected one of ${KINDS.join(", ")}`, true);
  const seed = a.int("seed", 1);
  const rate = a.number("rate", 5);
  const durationS = a.number("duration", 60, true);
  const start = a.string("start");
  const startMs = start === undefined ? Date.now() : Date.parse(start);
  if (Number.isNaN(startMs)) a.fail(`--start '${start}' is not an ISO date-time`);
  return { kind: kind as SimKind, seed, rate, durationS, startMs, cycle: a.values.cycle };
}

/** --out: JSON Lines; --dry-run: the shared dry-run sink; otherwise the Avro producer. */
async function openSink(
  a: CommandArgs<typeof OPTIONS>,
  kind: SimKind,
): Promise<{ sink: RecordSink; dest: string }> {
  const out = a.string("out");
  if (out !== undefined) return { sink: jsonlSink(out), dest: out };
  if (a.values["dry-run"]) return { sink: openDryRunSink(), dest: "dry run (nothing sent)" };
  const cfg = loadConfig();
  const sink = await openAvroProducer({
    brokers: cfg.kafkaBrokers,
    registryUrl: cfg.registryUrl,
    clientId: `phonepipe-simulate-${kind}`,
  });
  return { sink, dest: cfg.kafkaBrokers.join(",") };
}

type SimOptions = ReturnType<typeof readOptions>;

/** Runs until the duration is over or SIGINT/SIGTERM, then prints what was sent. */
async function simulate(o: SimOptions, sink: RecordSink, dest: string): Promise<void> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const s = await runSimulation({ ...o, sink, signal: abort.signal, log: (l) => console.error(l) });
    const secs = s.elapsedMs / 1000;
    const byTopic = Object.entries(s.byTopic)
      .map(([t, n]) => `${t}=${n}`)
      .join(" ");
    const rate = secs > 0 ? (s.events / secs).toFixed(1) : "-";
    console.error(
      `simulate ${o.kind}: events=${s.events} ${byTopic} elapsed=${secs.toFixed(1)}s rate=${rate}/s -> ${dest}`,
    );
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await sink.close();
  }
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "simulate",
    usage: USAGE,
    options: OPTIONS,
    positionals: true,
  });
  if (a.help) return showHelp(USAGE);
  const o = readOptions(a);
  const { sink, dest } = await openSink(a, o.kind);
  const duration = o.durationS === 0 ? "until interrupted" : `${o.durationS}s`;
  console.error(
    `simulate ${o.kind}: seed=${o.seed} rate=${o.rate}/s duration=${duration}${o.cycle ? " (daily cycle)" : ""} -> ${dest}`,
  );
  await simulate(o, sink, dest);
  return 0;
}
