import { loadConfig } from "../../infra/config";
import { parseSparkMaster, sparkMasterFrom } from "../../pipelines/spark-standalone";
import { CommandArgs, parseCommandArgs, showHelp } from "../args";
import { DEFAULT_FX, DEFAULT_SHARDS, DEFAULT_WINDOW_SECONDS, LISTINGS_TOPIC } from "../defaults";

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "stream";

export const description =
  "replay a time range of a topic through the stream job's pipeline, bounded, on Spark (or --runner direct)";

const HELP = `usage: phonepipe backfill --from TIME --to TIME [options]
  --from, --to TIME        range of Kafka record time (ISO 8601 or epoch ms); align to window boundaries
  --topic NAME             topic (default listings.scraped)
  --runner spark|direct    portable Spark runner (default) or the in-process DirectRunner for small ranges
  --spark-master-url M     local[N] or spark://host:port of a standalone master
                           (default: PHONEPIPE_SPARK_MASTER_URL when set, else local[2])
  --job-endpoint H:P       use a running Beam job server instead of starting the Spark one
  --window-seconds N       dedupe window (default 5, as the stream job)
  --shards N               landing files per window (default 2)
  --fx CUR=rate,...        EGP per unit (default USD=48.5,EUR=52.5)`;

const OPTIONS = {
  from: { type: "string" },
  to: { type: "string" },
  topic: { type: "string" },
  runner: { type: "string" },
  "spark-master-url": { type: "string" },
  "job-endpoint": { type: "string" },
  "window-seconds": { type: "string" },
  shards: { type: "string" },
  fx: { type: "string" },
} as const;

/** A required time option: epoch milliseconds or anything Date.parse reads. */
function timeOpt(a: CommandArgs<typeof OPTIONS>, name: "from" | "to"): number {
  const v = a.string(name);
  if (v === undefined) return a.fail(`--${name} is required`);
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) a.fail(`--${name} '${v}' is not a time`);
  return n;
}

/** --spark-master-url, else PHONEPIPE_SPARK_MASTER_URL, else local[2]; checked here for a usage error. */
function sparkMasterOpt(a: CommandArgs<typeof OPTIONS>): string {
  const url = sparkMasterFrom(a.string("spark-master-url"), process.env);
  try {
    parseSparkMaster(url);
  } catch (err) {
    return a.fail((err as Error).message);
  }
  return url;
}

/** Every option, checked before the Beam SDK is loaded. */
function readOptions(a: CommandArgs<typeof OPTIONS>) {
  return {
    runner: a.choice("runner", ["spark", "direct"], "spark"),
    topic: a.string("topic") ?? LISTINGS_TOPIC,
    fromMs: timeOpt(a, "from"),
    toMs: timeOpt(a, "to"),
    sparkMaster: sparkMasterOpt(a),
    jobEndpoint: a.string("job-endpoint"),
    windowSeconds: a.int("window-seconds", DEFAULT_WINDOW_SECONDS, 0) || DEFAULT_WINDOW_SECONDS,
    allowedLatenessSeconds: 0,
    shards: a.int("shards", DEFAULT_SHARDS, 0) || 1,
    fxRatesToEgp: a.fx("fx", DEFAULT_FX),
  };
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, { command: "backfill", usage: HELP, options: OPTIONS });
  if (a.help) return showHelp(HELP);
  const opts = readOptions(a);
  const cfg = loadConfig();
  const { runBackfill } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../pipelines/run-backfill") as typeof import("../../pipelines/run-backfill");
  const res = await runBackfill({
    ...opts,
    dataDir: cfg.dataDir,
    runDir: cfg.runDir,
    cacheDir: cfg.cacheDir,
    registryUrl: cfg.registryUrl,
    brokers: cfg.kafkaBrokers,
  });
  console.log(
    JSON.stringify({ event: "backfill_done", records: res.records, state: res.state, ...res.counters }),
  );
  return res.state === "DONE" ? 0 : 1;
}
