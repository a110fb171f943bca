/**
 * The TypeScript SDK harness as an external worker pool (Beam environment_type=EXTERNAL): a Flink TaskManager
 * asks it to start a worker per job environment, and the worker connects back to the TaskManager's control
 * endpoint. `node dist/pipelines/worker-pool.js --port N` or `phonepipe worker-pool --port N`.
 *
 * The SDK's own ExternalWorkerPool gives its workers no pipeline options, so they never load the modules the
 * stream's DoFns were registered with: this process loads ./serialization first (which also applies the SDK
 * fixes in ./beam-sdk), so the job's closures deserialize here as they do in a LOOPBACK worker. It also logs
 * one JSON line per worker started or stopped, which shows that (and for which job) the pool served a job.
 */
import "./serialization";

/* eslint-disable @typescript-eslint/no-require-imports */
// The grpc-js apache-beam itself runs on (its dependency): the service definition below is built for it.
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
type WorkerModule = typeof import("../node_modules/apache-beam/dist/src/apache_beam/worker/worker");
type PoolServiceModule =
  typeof import("../node_modules/apache-beam/dist/src/apache_beam/proto/beam_fn_api.grpc-server");
type PoolService =
  import("../node_modules/apache-beam/dist/src/apache_beam/proto/beam_fn_api.grpc-server").IBeamFnExternalWorkerPool;
const { Worker } = require("apache-beam/worker/worker") as WorkerModule;
const { beamFnExternalWorkerPoolDefinition } =
  require("apache-beam/proto/beam_fn_api.grpc-server") as PoolServiceModule;
/* eslint-enable @typescript-eslint/no-require-imports */

export interface WorkerPool {
  address: string;
  /** Workers started since the pool started. */
  started(): number;
  /** Stops every worker and the server. */
  stop(): Promise<void>;
}

type WorkerInstance = InstanceType<typeof Worker>;

/** Starts the pool on host:port (port 0: any free one); resolves once it accepts StartWorker calls. */
export async function startWorkerPool(
  port: number,
  host = "127.0.0.1",
  log: (line: string) => void = (l) => console.log(l),
): Promise<WorkerPool> {
  const workers = new Set<WorkerInstance>();
  let started = 0;
  const server = new grpc.Server();
  const service: PoolService = {
    startWorker(call, callback) {
      const id = call.request.workerId;
      const control = call.request.controlEndpoint?.url ?? "";
      try {
        const worker = new Worker(id, { controlUrl: control }, {});
        workers.add(worker);
        // A worker lives as long as its runner's control connection: the runner closes it when done with
        // the worker, and a runner that dies resets it.
        const ended = () => {
          if (workers.delete(worker))
            log(JSON.stringify({ event: "beam_worker_ended", worker_id: id, control }));
        };
        worker.controlChannel.on("end", ended);
        worker.controlChannel.on("error", ended);
        started += 1;
        log(JSON.stringify({ event: "beam_worker_started", worker_id: id, control, started }));
        callback(null, { error: "" });
      } catch (err) {
        callback(null, { error: `could not start worker ${id}: ${(err as Error).message}` });
      }
    },
    // Worker ids are unique per TaskManager only: two TaskManagers sharing this pool both start a worker
    // "1-1", and StopWorker names no TaskManager. Stopping by id could end the other TaskManager's running
    // worker mid-bundle, so a worker ends with its control connection instead (see startWorker).
    stopWorker(call, callback) {
      log(JSON.stringify({ event: "beam_worker_stop_requested", worker_id: call.request.workerId }));
      callback(null, { error: "" });
    },
  };
  server.addService(beamFnExternalWorkerPoolDefinition, service);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(new Error(`worker pool cannot listen on ${host}:${port}: ${err.message}`)) : resolve(p),
    ),
  );
  return {
    address: `${host}:${bound}`,
    started: () => started,
    stop: async () => {
      for (const w of workers) w.stop();
      workers.clear();
      await new Promise<void>((resolve) => {
        // In-flight calls get a few seconds; then the server goes regardless.
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

/** `--port N` of the command line; 50000 (the Beam convention for a TaskManager's pool sidecar) when absent. */
export function poolPortArg(argv: string[]): number {
  const i = argv.indexOf("--port");
  const raw = i >= 0 ? argv[i + 1] : "50000";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a TCP port (0-65535), got '${String(raw)}'`);
  }
  return port;
}

/** Runs the pool until SIGTERM/SIGINT; the exit code. */
export async function runWorkerPool(port: number): Promise<number> {
  const pool = await startWorkerPool(port);
  console.log(JSON.stringify({ event: "worker_pool_ready", address: pool.address, pid: process.pid }));
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  await pool.stop();
  console.log(JSON.stringify({ event: "worker_pool_stopped", signal, workers_started: pool.started() }));
  return 0;
}

if (require.main === module) {
  runWorkerPool(poolPortArg(process.argv.slice(2))).then(
    // Workers' gRPC channels to a TaskManager may linger after their streams end: exit explicitly.
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`worker-pool: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
