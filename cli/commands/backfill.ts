import { loadConfig } from "../../infra/config";
import { UsageError } from "../command";
import { fxOpt, intOpt, parseArgs } from "../../pipelines/cli-args";

export const description =
  "replay a time range of a topic through the stream job's pipeline, bounded, on Spark (or --runner direct)";

const HELP = `usage: phonepipe backfill --from TIME --to TIME [options]
  --from, --to TIME        range of Kafka record time (ISO 8601 or epoch ms); align to window boundaries
  --topic NAME             topic (default listings.scraped)
  --runner spark|direct    portable Spark runner (default) or the in-process DirectRunner for small ranges
  --spark-master-url M     local[2] (default) or spark://host:7077
  --job-endpoint H:P       use a running Beam job server instead of starting the Spark one
  --window-seconds N       dedupe window (default 5, as the stream job)
  --shards N               landing files per window (default 2)
  --fx CUR=rate,...        EGP per unit (default USD=48.5,EUR=52.5)`;

function timeOpt(v: string | boolean | undefined, name: string): number {
  if (typeof v !== "string") throw new UsageError(`--${name} is required`);
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} '${v}' is not a time`);
  return n;
}

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const a = parseArgs(
    args,
    [],
    ["from", "to", "topic", "runner", "spark-master-url", "job-endpoint", "window-seconds", "shards", "fx"],
  );
  const runner = a.runner ?? "spark";
  if (runner !== "spark" && runner !== "direct") throw new UsageError("--runner must be spark or direct");
  const cfg = loadConfig();
  const { runBackfill } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../pipelines/run-backfill") as typeof import("../../pipelines/run-backfill");
  const res = await runBackfill({
    topic: typeof a.topic === "string" ? a.topic : "listings.scraped",
    fromMs: timeOpt(a.from, "from"),
    toMs: timeOpt(a.to, "to"),
    runner,
    sparkMaster: typeof a["spark-master-url"] === "string" ? a["spark-master-url"] : "local[2]",
    jobEndpoint: typeof a["job-endpoint"] === "string" ? a["job-endpoint"] : undefined,
    dataDir: cfg.dataDir,
    runDir: cfg.runDir,
    cacheDir: cfg.cacheDir,
    registryUrl: cfg.registryUrl,
    brokers: cfg.kafkaBrokers,
    windowSeconds: intOpt(a["window-seconds"], "window-seconds", 5) || 5,
    allowedLatenessSeconds: 0,
    shards: intOpt(a.shards, "shards", 2) || 1,
    fxRatesToEgp: fxOpt(a.fx ?? "USD=48.5,EUR=52.5"),
  });
  console.log(
    JSON.stringify({ event: "backfill_done", records: res.records, state: res.state, ...res.counters }),
  );
  return res.state === "DONE" ? 0 : 1;
}
