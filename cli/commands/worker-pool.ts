import { parseCommandArgs, parseInteger, showHelp } from "../args";

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "stream";

export const description =
  "run the TypeScript Beam SDK harness as an external worker pool beside a Flink TaskManager";

const HELP = `usage: phonepipe worker-pool [--port N]
  --port N   listen on 127.0.0.1:N (default 50000, where a TaskManager's pool sidecar is expected)

Flink TaskManagers start the stream's TypeScript workers here when the job's environment is EXTERNAL
(phonepipe stream --worker-pool HOST:PORT, or PHONEPIPE_BEAM_WORKER_POOL). Run one beside each TaskManager
(on Kubernetes: a sidecar container of the TaskManager pod, the job pointing at localhost:50000).
Logs one JSON line when ready and one per worker started; stops cleanly on SIGTERM/SIGINT.`;

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "worker-pool",
    usage: HELP,
    options: { port: { type: "string" } },
  });
  if (a.help) return showHelp(HELP);
  const port = a.checked(() => parseInteger(a.string("port") ?? "50000", "--port", 0));
  if (port > 65535) a.fail(`--port ${port} is not a TCP port`);
  // Required here, not at the top: `phonepipe help` reads every command's description without the Beam SDK.
  const { runWorkerPool } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../pipelines/worker-pool") as typeof import("../../pipelines/worker-pool");
  return runWorkerPool(port);
}
