import { loadConfig } from "../../infra/config";
import { UsageError } from "../command";
import { fxOpt, intOpt, parseArgs } from "../../pipelines/cli-args";

const ALL_TOPICS = [
  "listings.scraped",
  "marketplace.transactions",
  "marketplace.user_activity",
  "pricing.suggestions",
  "market.reference_prices",
];

export const description =
  "run the Beam streaming job (Kafka → decode/validate/normalize/dedupe → landing) on Flink";

const HELP = `usage: phonepipe stream [options]
  --topic NAME[,NAME...]   topics to land (micro-batch default: all five topics; kafkaio: listings.scraped only);
                           NAME=CONTRACT lands a topic named otherwise as one of the five (e.g. prod.tx=marketplace.transactions)
  --source S               micro-batch (default): offset-range micro-batches, each a bounded Beam job on Flink;
                           kafkaio: one unbounded job reading with cross-language KafkaIO (experimental, see README)
  --flink-master M         [local] (embedded Flink, default) or host:port of a Flink cluster
  --job-endpoint H:P       use a running Beam job server instead of starting one
  --window-seconds N       dedupe window (default 5)
  --shards N               landing files per window (default 2)
  --parallelism N          Flink parallelism (default 2)
  --group-id G             Kafka consumer group whose committed offsets show the lag (default phonepipe-stream)
  --metrics-ms N           interval of the JSON metrics line (default 10000)
  --metrics-port N         also serve the counters for Prometheus on 127.0.0.1:N/metrics
                           (default: PHONEPIPE_METRICS_PORT, else off; 0 picks a free port)
  --fx CUR=rate,...        EGP per unit for price_egp (default USD=48.5,EUR=52.5)
  --no-resume              ignore the state file (start from the group's committed offsets / earliest)
  --run-for-ms N           stop by itself after N ms (demo, bench)
 micro-batch source:
  --grace-ms N             wait this long after a window ends before landing it (default 3000)
  --poll-ms N              how often an idle job looks for new records (default 1000)
  --max-batch N            records per partition per cycle at most (default 1000; the job carries them)
 kafkaio source:
  --expansion H:P          use a running KafkaIO expansion service instead of starting one
  --lateness-seconds N     how long late data is still landed, in its own file (default 60)
  --checkpoint-ms N        Flink checkpoint interval; offsets are committed when one completes (default 5000)
Stops cleanly on SIGTERM/SIGINT: the running cycle (or bundle) finishes and is durable first.`;

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
      "source",
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
      "grace-ms",
      "poll-ms",
      "max-batch",
      "metrics-port",
    ],
  );
  const source = typeof a.source === "string" ? a.source : "micro-batch";
  if (source !== "micro-batch" && source !== "kafkaio")
    throw new UsageError(`--source must be micro-batch or kafkaio, not '${source}'`);
  const topicArgs: Array<[string, string | undefined]> = (
    typeof a.topic === "string" ? a.topic.split(",") : ALL_TOPICS
  ).map((t) => {
    const [name, contract] = t.split("=").map((x) => x.trim());
    if (!name) throw new UsageError(`--topic has an empty name in '${String(a.topic)}'`);
    if (contract !== undefined && !ALL_TOPICS.includes(contract))
      throw new UsageError(
        `--topic ${name}=${contract}: the contract must be one of ${ALL_TOPICS.join(", ")}`,
      );
    return [name, contract];
  });
  const cfg = loadConfig();
  const common = {
    dataDir: cfg.dataDir,
    runDir: cfg.runDir,
    cacheDir: cfg.cacheDir,
    registryUrl: cfg.registryUrl,
    brokers: cfg.kafkaBrokers,
    flinkMaster: typeof a["flink-master"] === "string" ? a["flink-master"] : "[local]",
    jobEndpoint: typeof a["job-endpoint"] === "string" ? a["job-endpoint"] : undefined,
    windowSeconds: intOpt(a["window-seconds"], "window-seconds", 5) || 5,
    shards: intOpt(a.shards, "shards", 2) || 1,
    parallelism: intOpt(a.parallelism, "parallelism", 2) || 1,
    groupId: typeof a["group-id"] === "string" ? a["group-id"] : "phonepipe-stream",
    metricsIntervalMs: intOpt(a["metrics-ms"], "metrics-ms", 10_000),
    fxRatesToEgp: fxOpt(a.fx ?? "USD=48.5,EUR=52.5"),
    resume: !a["no-resume"],
  };
  const metricsPortArg = a["metrics-port"] ?? process.env.PHONEPIPE_METRICS_PORT;
  const metricsPort =
    metricsPortArg === undefined || metricsPortArg === ""
      ? undefined
      : intOpt(metricsPortArg, "metrics-port", 0);
  if (metricsPort !== undefined && metricsPort > 65535)
    throw new UsageError(`--metrics-port ${metricsPort} is not a TCP port`);
  // Started first: a port in use fails the command before any job server starts.
  let metricsServer: { close(): Promise<void> } | undefined;
  if (metricsPort !== undefined) {
    const { startMetricsServer } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../../pipelines/metrics-server") as typeof import("../../pipelines/metrics-server");
    const server = await startMetricsServer(metricsPort);
    metricsServer = server;
    console.log(
      JSON.stringify({ event: "metrics_endpoint", url: `http://127.0.0.1:${server.port}/metrics` }),
    );
  }
  // Loaded here, not at the top: `phonepipe help` reads every command's description and needs no Beam SDK.
  let handle: { done: Promise<string>; stop(): Promise<void> };
  if (source === "micro-batch") {
    const { startMicroBatchStream } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../../pipelines/run-micro-batch") as typeof import("../../pipelines/run-micro-batch");
    handle = await startMicroBatchStream({
      ...common,
      topics: topicArgs.map(([t]) => t),
      contracts: Object.fromEntries(topicArgs.map(([t, c]) => [t, c ?? t])),
      allowedLatenessSeconds: 0,
      graceMs: intOpt(a["grace-ms"], "grace-ms", 3000),
      pollMs: intOpt(a["poll-ms"], "poll-ms", 1000) || 1000,
      maxRecordsPerPartition: intOpt(a["max-batch"], "max-batch", 1000) || 1000,
    });
    console.log(JSON.stringify({ event: "stream_started", source }));
  } else {
    const { startStream } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../../pipelines/experimental/kafkaio/run-stream") as typeof import("../../pipelines/experimental/kafkaio/run-stream");
    if (
      typeof a.topic === "string" &&
      (topicArgs.length !== 1 || (topicArgs[0][1] ?? topicArgs[0][0]) !== "listings.scraped")
    )
      throw new UsageError("--source kafkaio lands one topic with the listings.scraped contract");
    const h = await startStream({
      ...common,
      topic: typeof a.topic === "string" ? topicArgs[0][0] : "listings.scraped",
      expansionAddress: typeof a.expansion === "string" ? a.expansion : undefined,
      allowedLatenessSeconds: intOpt(a["lateness-seconds"], "lateness-seconds", 60),
      checkpointIntervalMs: intOpt(a["checkpoint-ms"], "checkpoint-ms", 5000),
    });
    console.log(
      JSON.stringify({ event: "stream_started", source, job_id: h.jobId, resume_from: h.resumeFrom ?? null }),
    );
    handle = h;
  }
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
  await metricsServer?.close();
  if (final.startsWith("FAILED")) {
    console.error(`phonepipe stream: job ended ${final}`);
    exitCode = 1;
  }
  console.log(JSON.stringify({ event: "stream_stopped", state: final }));
  return exitCode;
}
