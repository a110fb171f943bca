import { join } from "node:path";
import { Token, TokenError, tokenOrCreate } from "../../infra/bearer-token";
import { loadConfig } from "../../infra/config";
import { STREAM_GROUP } from "../../infra/kafka-groups";
import { TOPICS } from "../../schemas";
import { CommandArgs, parseCommandArgs, parseInteger, showHelp } from "../args";
import { parseWorkerPoolAddress } from "../../pipelines/worker-pool-address";
import { DEFAULT_FX, DEFAULT_SHARDS, DEFAULT_WINDOW_SECONDS, LISTINGS_TOPIC } from "../defaults";

const CONTRACTS: readonly string[] = TOPICS;

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "stream";

export const description =
  "run the Beam streaming job (Kafka → decode/validate/normalize/dedupe → landing) on Flink";

const HELP = `usage: phonepipe stream [options]
  --topic NAME[,NAME...]   topics to land (micro-batch default: all five topics; kafkaio: listings.scraped only);
                           NAME=CONTRACT lands a topic named otherwise as one of the five (e.g. prod.tx=marketplace.transactions)
  --source S               micro-batch (default): offset-range micro-batches, each a bounded Beam job on Flink;
                           kafkaio: one unbounded job reading with cross-language KafkaIO (experimental, see docs/stream.md)
  --flink-master M         [local] (embedded Flink) or host:port of a Flink cluster's REST endpoint
                           (default: PHONEPIPE_FLINK_MASTER, else [local])
  --worker-pool H:P        run the TypeScript transforms in the external worker pool at H:P beside the cluster's
                           TaskManagers (phonepipe worker-pool; default: PHONEPIPE_BEAM_WORKER_POOL, else
                           this process runs them: LOOPBACK)
  --job-endpoint H:P       use a running Beam job server instead of starting one
  --window-seconds N       dedupe window (default 5)
  --shards N               landing files per window (default 2)
  --parallelism N          Flink parallelism (default 2)
  --group-id G             Kafka consumer group whose committed offsets show the lag (default phonepipe-stream)
  --metrics-ms N           interval of the JSON metrics line (default 10000)
  --metrics-port N         also serve the counters for Prometheus on 127.0.0.1:N/metrics
                           (default: PHONEPIPE_METRICS_PORT, else off; 0 picks a free port); requests need
                           Authorization: Bearer <token>, the token from PHONEPIPE_METRICS_TOKEN or the file
                           PHONEPIPE_METRICS_TOKEN_FILE, else <run dir>/metrics.token (created if missing)
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

const OPTIONS = {
  topic: { type: "string" },
  source: { type: "string" },
  "flink-master": { type: "string" },
  "worker-pool": { type: "string" },
  "job-endpoint": { type: "string" },
  expansion: { type: "string" },
  "window-seconds": { type: "string" },
  "lateness-seconds": { type: "string" },
  shards: { type: "string" },
  parallelism: { type: "string" },
  "group-id": { type: "string" },
  "checkpoint-ms": { type: "string" },
  "metrics-ms": { type: "string" },
  fx: { type: "string" },
  "run-for-ms": { type: "string" },
  "grace-ms": { type: "string" },
  "poll-ms": { type: "string" },
  "max-batch": { type: "string" },
  "metrics-port": { type: "string" },
  "no-resume": { type: "boolean" },
} as const;

type StreamArgs = CommandArgs<typeof OPTIONS>;
type Topics = Array<[string, string | undefined]>;

/** --topic NAME[=CONTRACT],...: each topic to land and the contract it is read with (undefined: its own). */
function topicArgs(a: StreamArgs): Topics {
  const raw = a.string("topic");
  return (raw !== undefined ? raw.split(",") : CONTRACTS).map((t) => {
    const [name, contract] = t.split("=").map((x) => x.trim());
    if (!name) a.fail(`--topic has an empty name in '${String(raw)}'`);
    if (contract !== undefined && !CONTRACTS.includes(contract))
      a.fail(`--topic ${name}=${contract}: the contract must be one of ${CONTRACTS.join(", ")}`);
    return [name, contract];
  });
}

/** --metrics-port, else PHONEPIPE_METRICS_PORT; undefined (no endpoint) when neither is set. */
function metricsPort(a: StreamArgs): number | undefined {
  const raw = a.string("metrics-port") ?? process.env.PHONEPIPE_METRICS_PORT;
  if (raw === undefined || raw === "") return undefined;
  const port = a.checked(() => parseInteger(raw, "--metrics-port", 0));
  if (port > 65535) a.fail(`--metrics-port ${port} is not a TCP port`);
  return port;
}

/** --worker-pool, else PHONEPIPE_BEAM_WORKER_POOL; undefined (LOOPBACK) when neither is set. */
function workerPool(a: StreamArgs): string | undefined {
  const raw = a.string("worker-pool") ?? process.env.PHONEPIPE_BEAM_WORKER_POOL;
  if (raw === undefined || raw === "") return undefined;
  try {
    return parseWorkerPoolAddress(raw);
  } catch (err) {
    return a.fail(`--worker-pool: ${(err as Error).message}`);
  }
}

/** The metrics endpoint's bearer token: the variable, its file, else <run dir>/metrics.token (created if missing). */
function metricsToken(a: StreamArgs, runDir: string): { token: Token; created: boolean } {
  try {
    return tokenOrCreate(process.env, "PHONEPIPE_METRICS_TOKEN", join(runDir, "metrics.token"));
  } catch (err) {
    if (err instanceof TokenError) a.fail(err.message);
    throw err;
  }
}

/** The options both sources take. */
function commonOptions(a: StreamArgs) {
  const cfg = loadConfig();
  return {
    dataDir: cfg.dataDir,
    runDir: cfg.runDir,
    cacheDir: cfg.cacheDir,
    registryUrl: cfg.registryUrl,
    brokers: cfg.kafkaBrokers,
    flinkMaster: a.string("flink-master") || process.env.PHONEPIPE_FLINK_MASTER || "[local]",
    workerPool: workerPool(a),
    jobEndpoint: a.string("job-endpoint"),
    windowSeconds: a.int("window-seconds", DEFAULT_WINDOW_SECONDS, 0) || DEFAULT_WINDOW_SECONDS,
    shards: a.int("shards", DEFAULT_SHARDS, 0) || 1,
    parallelism: a.int("parallelism", 2, 0) || 1,
    groupId: a.string("group-id") ?? STREAM_GROUP,
    metricsIntervalMs: a.int("metrics-ms", 10_000, 0),
    fxRatesToEgp: a.fx("fx", DEFAULT_FX),
    resume: !a.values["no-resume"],
  };
}

type Common = ReturnType<typeof commonOptions>;
type StreamHandle = { done: Promise<string>; stop(): Promise<void> };

/** Started before any job server: a port in use fails the command first. */
async function startMetrics(
  endpoint: { port: number; token: Token; created: boolean } | undefined,
): Promise<{ close(): Promise<void> } | undefined> {
  if (endpoint === undefined) return undefined;
  const { startMetricsServer } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../pipelines/metrics-server") as typeof import("../../pipelines/metrics-server");
  const server = await startMetricsServer(endpoint.port, endpoint.token);
  const url = `http://127.0.0.1:${server.port}/metrics`;
  const token = `${endpoint.token.origin}${endpoint.created ? ", created now" : ""}`;
  console.log(JSON.stringify({ event: "metrics_endpoint", url, token }));
  return server;
}

function microBatchOptions(a: StreamArgs, topics: Topics) {
  return {
    topics: topics.map(([t]) => t),
    contracts: Object.fromEntries(topics.map(([t, c]) => [t, c ?? t])),
    allowedLatenessSeconds: 0,
    graceMs: a.int("grace-ms", 3000, 0),
    pollMs: a.int("poll-ms", 1000, 0) || 1000,
    maxRecordsPerPartition: a.int("max-batch", 1000, 0) || 1000,
  };
}

function kafkaIoOptions(a: StreamArgs, topics: Topics) {
  const given = a.string("topic") !== undefined;
  if (given && (topics.length !== 1 || (topics[0][1] ?? topics[0][0]) !== LISTINGS_TOPIC))
    a.fail(`--source kafkaio lands one topic with the ${LISTINGS_TOPIC} contract`);
  return {
    topic: given ? topics[0][0] : LISTINGS_TOPIC,
    expansionAddress: a.string("expansion"),
    allowedLatenessSeconds: a.int("lateness-seconds", 60, 0),
    checkpointIntervalMs: a.int("checkpoint-ms", 5000, 0),
  };
}

// The pipelines are required when started, not imported at the top: `phonepipe help` reads every command's
// description and needs no Beam SDK.
async function startMicroBatch(o: Common & ReturnType<typeof microBatchOptions>): Promise<StreamHandle> {
  const { startMicroBatchStream } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../pipelines/run-micro-batch") as typeof import("../../pipelines/run-micro-batch");
  const handle = await startMicroBatchStream(o);
  console.log(JSON.stringify({ event: "stream_started", source: "micro-batch" }));
  return handle;
}

async function startKafkaIo(o: Common & ReturnType<typeof kafkaIoOptions>): Promise<StreamHandle> {
  const { startStream } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../pipelines/experimental/kafkaio/run-stream") as typeof import("../../pipelines/experimental/kafkaio/run-stream");
  const h = await startStream(o);
  console.log(
    JSON.stringify({
      event: "stream_started",
      source: "kafkaio",
      job_id: h.jobId,
      resume_from: h.resumeFrom ?? null,
    }),
  );
  return h;
}

/** Waits for the job to end (by itself, on SIGTERM/SIGINT or after --run-for-ms); the exit code. */
async function runUntilStopped(handle: StreamHandle, runForMs: number, metrics?: { close(): Promise<void> }) {
  const onSignal = (sig: string) => {
    console.log(JSON.stringify({ event: "stream_stopping", signal: sig }));
    void handle.stop();
  };
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  process.once("SIGINT", () => onSignal("SIGINT"));
  if (runForMs > 0) setTimeout(() => onSignal("run-for-ms"), runForMs).unref();
  const final = await handle.done;
  await handle.stop();
  await metrics?.close();
  let exitCode = 0;
  if (final.startsWith("FAILED")) {
    console.error(`phonepipe stream: job ended ${final}`);
    exitCode = 1;
  }
  console.log(JSON.stringify({ event: "stream_stopped", state: final }));
  // Everything durable is done. A Kafka client whose broker died mid-request can keep a socket open until the
  // broker's idle timeout (10 min), and with it this process: leave after a short grace instead.
  setTimeout(() => process.exit(exitCode), 3000).unref();
  return exitCode;
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, { command: "stream", usage: HELP, options: OPTIONS });
  if (a.help) return showHelp(HELP);
  // Every option is checked before anything starts.
  const source = a.choice("source", ["micro-batch", "kafkaio"], "micro-batch");
  const topics = topicArgs(a);
  const common = commonOptions(a);
  const port = metricsPort(a);
  const endpoint = port === undefined ? undefined : { port, ...metricsToken(a, common.runDir) };
  const runForMs = a.int("run-for-ms", 0, 0);
  // Bound now, so the source's own options are checked before the metrics endpoint starts.
  const start =
    source === "micro-batch"
      ? startMicroBatch.bind(undefined, { ...common, ...microBatchOptions(a, topics) })
      : startKafkaIo.bind(undefined, { ...common, ...kafkaIoOptions(a, topics) });
  const metrics = await startMetrics(endpoint);
  return runUntilStopped(await start(), runForMs, metrics);
}
