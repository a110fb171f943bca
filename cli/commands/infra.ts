import { loadConfig } from "../../infra/config";
import { PlatformError, platformDown, platformStatus, platformUp } from "../../infra/platform";
import { services } from "../../infra/platform-services";
import { parseCommandArgs, showHelp } from "../args";

export const description =
  "start, stop or inspect the local Kafka broker and schema registry (up|down|status)";

const HELP = `usage: phonepipe infra <up|down|status> [--json]

  up      start Kafka (KRaft, single node) and the Apicurio registry on 127.0.0.1, wait until healthy
  down    stop them (succeeds when nothing runs)
  status  show pid, health, endpoint and log of each; exit 1 when something is not healthy

Ports: PHONEPIPE_KAFKA_PORT (9092), PHONEPIPE_KAFKA_CONTROLLER_PORT (9093), PHONEPIPE_REGISTRY_PORT (8081),
PHONEPIPE_REGISTRY_MANAGEMENT_PORT (9001). Pids and logs: PHONEPIPE_RUN_DIR (run/).`;

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "infra",
    usage: HELP,
    options: { json: { type: "boolean" } },
    positionals: true,
  });
  if (a.help) return showHelp(HELP);
  const action = a.positionals[0];
  const cfg = loadConfig();
  switch (action) {
    case "up": {
      try {
        const reports = await platformUp(services(cfg), (m) => console.error(`infra: ${m}`));
        for (const r of reports) {
          const how = r.action === "started" ? `started in ${r.seconds.toFixed(1)} s` : "already running";
          console.log(`infra: ${r.name.padEnd(8)} ${how.padEnd(20)} ${r.endpoint}`);
        }
        return 0;
      } catch (err) {
        if (err instanceof PlatformError) {
          console.error(`infra up failed: ${err.message}`);
          if (err.logFile) console.error(`(full log: ${err.logFile})`);
          return 1;
        }
        throw err;
      }
    }
    case "down": {
      for (const r of await platformDown(services(cfg)))
        console.log(`infra: ${r.name.padEnd(8)} ${r.result}`);
      return 0;
    }
    case "status": {
      const st = await platformStatus(services(cfg));
      if (a.values.json) console.log(JSON.stringify(st));
      else
        for (const s of st) {
          const state = s.running ? (s.healthy ? "healthy" : "running, NOT healthy") : "stopped";
          console.log(
            `infra: ${s.name.padEnd(8)} ${state.padEnd(22)} ${s.pid ? `pid ${s.pid}` : ""} ${s.endpoint} log ${s.log}`,
          );
        }
      return st.every((s) => s.healthy) ? 0 : 1;
    }
    default:
      return a.fail(`needs one of up, down, status (got '${action ?? ""}')`, true);
  }
}
