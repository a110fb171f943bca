import { loadConfig } from "../../infra/config";
import { clusterClientEnv, loadClusterConfig } from "../../infra/cluster/config";
import { loadSecureConfig, secureClientEnv } from "../../infra/secure/config";
import { PlatformError, platformDown, platformStatus, platformUp, Service } from "../../infra/platform";
import { Profile, PROFILES, profileServices } from "../../infra/profiles";
import { parseCommandArgs, showHelp } from "../args";

export const description =
  "start, stop or inspect the local platform, the cluster or the secure profile (up|down|status|env)";

const HELP = `usage: phonepipe infra <up|down|status|env> [--profile local|cluster|secure] [--json]

  up      start the profile's services on 127.0.0.1 and wait until each is healthy (idempotent)
  down    stop them (succeeds when nothing runs)
  status  show pid, health, endpoint and log of each; exit 1 when something is not healthy
  env     print the 'export' lines that point every phonepipe command at the profile
          (eval "$(bin/phonepipe infra env --profile cluster)")

Profiles:
  local    (default) Kafka (KRaft, one node) and the Apicurio registry.
           Ports: PHONEPIPE_KAFKA_PORT (9092), PHONEPIPE_KAFKA_CONTROLLER_PORT (9093), PHONEPIPE_REGISTRY_PORT
           (8081), PHONEPIPE_REGISTRY_MANAGEMENT_PORT (9001). Pids and logs: PHONEPIPE_RUN_DIR (run/).
  cluster  three KRaft Kafka nodes, the registry, a Flink session cluster (JobManager, two TaskManagers,
           the TypeScript worker pool) and a Spark standalone master and worker, every port offset from
           PHONEPIPE_CLUSTER_PORT_BASE (28000); pids, logs and data in PHONEPIPE_CLUSTER_RUN_DIR (run/cluster).
           See docs/operations.md.
  secure   one Kafka node with SASL/SCRAM-SHA-512 over TLS and ACLs, Keycloak and the registry with
           authentication, every port offset from PHONEPIPE_SECURE_PORT_BASE (29000); pids, logs, data,
           certificates and credentials in PHONEPIPE_SECURE_RUN_DIR (run/secure). See docs/security.md.`;

/** A bad PHONEPIPE_CLUSTER_* value is a configuration mistake: one line, not a stack trace. */
function servicesOrFail(make: () => Service[], fail: (message: string) => never): Service[] {
  try {
    return make();
  } catch (err) {
    return fail((err as Error).message);
  }
}

async function up(svcs: Service[], profile: Profile): Promise<number> {
  try {
    const reports = await platformUp(svcs, (m) => console.error(`infra: ${m}`));
    for (const r of reports) {
      const how = r.action === "started" ? `started in ${r.seconds.toFixed(1)} s` : "already running";
      console.log(`infra: ${r.name.padEnd(12)} ${how.padEnd(20)} ${r.endpoint}`);
    }
    if (profile !== "local")
      console.log(`infra: point commands at it: eval "$(bin/phonepipe infra env --profile ${profile})"`);
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

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "infra",
    usage: HELP,
    options: { json: { type: "boolean" }, profile: { type: "string" } },
    positionals: true,
  });
  if (a.help) return showHelp(HELP);
  const action = a.positionals[0];
  const profile = a.choice("profile", PROFILES, "local");
  const cfg = loadConfig();
  const svcs = servicesOrFail(() => profileServices(profile, cfg), a.fail.bind(a));
  switch (action) {
    case "up":
      return up(svcs, profile);
    case "down": {
      for (const r of await platformDown(svcs)) console.log(`infra: ${r.name.padEnd(12)} ${r.result}`);
      return 0;
    }
    case "status": {
      const st = await platformStatus(svcs);
      if (a.values.json) console.log(JSON.stringify(st));
      else
        for (const s of st) {
          const state = s.running ? (s.healthy ? "healthy" : "running, NOT healthy") : "stopped";
          console.log(
            `infra: ${s.name.padEnd(12)} ${state.padEnd(22)} ${s.pid ? `pid ${s.pid}` : ""} ${s.endpoint} log ${s.log}`,
          );
        }
      return st.every((s) => s.healthy) ? 0 : 1;
    }
    case "env": {
      if (profile === "local")
        return a.fail("env is for --profile cluster or secure (the local profile is the default)", true);
      const env =
        profile === "cluster"
          ? clusterClientEnv(loadClusterConfig(cfg))
          : secureClientEnv(loadSecureConfig(cfg));
      for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${v}`);
      return 0;
    }
    default:
      return a.fail(`needs one of up, down, status, env (got '${action ?? ""}')`, true);
  }
}
