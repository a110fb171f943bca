import { loadConfig } from "../../infra/config";
import { fxOpt, intOpt, parseArgs } from "../../pipelines/cli-args";

export const description =
  "run the Beam streaming job (Kafka → decode/validate/normalize/dedupe → landing) on Flink";

const HELP = `usage: phonepipe stream [options]
  --topic NAME             topic to consume (default listings.scraped)
  --flink-master M         [local] (embedded Flink, default) or host:port of a Flink cluster
  --job-endpoint H:P       use a running Beam job server instead of starting one
  --expansion H:P          use a running KafkaIO expansion service instead of starting one
  --window-seconds N       dedupe window (default 5)
  --lateness-seconds N     how long late data is still landed, in its own file (default 60)
  --shards N               landing files per window (default 2)
  --parallelism N          Flink parallelism (default 2)
  --group-id G             Kafka consumer group for committed offsets (default phonepipe-stream)
  --checkpoint-ms N        Flink checkpoint interval; offsets are committed when one completes (default 5000)
  --metrics-ms N           interval of the JSON metrics line (default 10000)
  --fx CUR=rate,...        EGP per unit for price_egp (default USD=48.5,EUR=52.5)
  --no-resume              ignore the landing progress file (start from committed offsets / earliest)
  --run-for-ms N           stop by itself after N ms (demo, bench)
Stops cleanly on SIGTERM/SIGINT.`;

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const a = parseArgs(
    args,
    ["no-resume"],
    [
      "topic",
      "flink-master",
      "job-endpoint",
      "expansion",
      "window-seconds",
      "lateness-seconds",
      "shards",
      "parallelism",
      "group-id",
      "checkpoint-ms",
      "metrics-ms",
      "fx",
      "run-for-ms",
    ],
  );
  const cfg = loadConfig();
  // Loaded here, not at the top: `phonepipe help` reads every command's description and needs no Beam SDK.
  const { startStream } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../pipelines/run-stream") as typeof import("../../pipelines/run-stream");
  const fx = fxOpt(a.fx ?? "USD=48.5,EUR=52.5");
  const handle = await startStream({
    topic: typeof a.topic === "string" ? a.topic : "listings.scraped",
    dataDir: cfg.dataDir,
    runDir: cfg.runDir,
    cacheDir: cfg.cacheDir,
    registryUrl: cfg.registryUrl,
    brokers: cfg.kafkaBrokers,
    flinkMaster: typeof a["flink-master"] === "string" ? a["flink-master"] : "[local]",
    jobEndpoint: typeof a["job-endpoint"] === "string" ? a["job-endpoint"] : undefined,
    expansionAddress: typeof a.expansion === "string" ? a.expansion : undefined,
    windowSeconds: intOpt(a["window-seconds"], "window-seconds", 5) || 5,
    allowedLatenessSeconds: intOpt(a["lateness-seconds"], "lateness-seconds", 60),
    shards: intOpt(a.shards, "shards", 2) || 1,
    parallelism: intOpt(a.parallelism, "parallelism", 2) || 1,
    groupId: typeof a["group-id"] === "string" ? a["group-id"] : "phonepipe-stream",
    checkpointIntervalMs: intOpt(a["checkpoint-ms"], "checkpoint-ms", 5000),
    metricsIntervalMs: intOpt(a["metrics-ms"], "metrics-ms", 10_000),
    fxRatesToEgp: fx,
    resume: !a["no-resume"],
  });
  console.log(
    JSON.stringify({ event: "stream_started", job_id: handle.jobId, resume_from: handle.resumeFrom ?? null }),
  );
  let exitCode = 0;
  const onSignal = (sig: string) => {
    console.log(JSON.stringify({ event: "stream_stopping", signal: sig }));
    void handle.stop();
  };
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  process.once("SIGINT", () => onSignal("SIGINT"));
  const runFor = intOpt(a["run-for-ms"], "run-for-ms", 0);
  if (runFor > 0) setTimeout(() => onSignal("run-for-ms"), runFor).unref();
  const final = await handle.done;
  await handle.stop();
  if (final.startsWith("FAILED")) {
    console.error(`phonepipe stream: job ended ${final}`);
    exitCode = 1;
  }
  console.log(JSON.stringify({ event: "stream_stopped", state: final }));
  return exitCode;
}
