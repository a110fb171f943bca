import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/**
 * Where the platform lives, read from the environment so that nobody edits code to point phonepipe
 * at another cluster. Every default targets the local single-node platform started by `phonepipe infra up`.
 */
/** A setting in the environment or a file that cannot work: the message names it, and says no secret. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface PlatformConfig {
  /** Repository root (set by bin/phonepipe; falls back to the compiled file's location). */
  root: string;
  /** Comma-separated Kafka bootstrap servers. */
  kafkaBrokers: string[];
  /** Confluent-compatible schema registry base URL. */
  registryUrl: string;
  /** Run data: landing Parquet, warehouse, scraper state. */
  dataDir: string;
  /** Pids and logs of local services. */
  runDir: string;
  /** Download cache outside the clone (jars, distributions). */
  cacheDir: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  registryPort: number;
  registryManagementPort: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) {
    throw new Error(`${name}=${raw} is not a valid port number`);
  }
  return n;
}

function dirFromEnv(env: NodeJS.ProcessEnv, name: string, root: string, fallback: string): string {
  const raw = env[name];
  if (!raw) return fallback;
  return isAbsolute(raw) ? raw : resolve(root, raw);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const root = env.PHONEPIPE_ROOT ? resolve(env.PHONEPIPE_ROOT) : resolve(__dirname, "..", "..");
  const kafkaPort = intFromEnv(env, "PHONEPIPE_KAFKA_PORT", 9092);
  const kafkaControllerPort = intFromEnv(env, "PHONEPIPE_KAFKA_CONTROLLER_PORT", 9093);
  const registryPort = intFromEnv(env, "PHONEPIPE_REGISTRY_PORT", 8081);
  const registryManagementPort = intFromEnv(env, "PHONEPIPE_REGISTRY_MANAGEMENT_PORT", 9001);
  const brokers = (env.PHONEPIPE_KAFKA_BROKERS || `127.0.0.1:${kafkaPort}`)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    root,
    kafkaBrokers: brokers,
    registryUrl: (env.PHONEPIPE_REGISTRY_URL || `http://127.0.0.1:${registryPort}/apis/ccompat/v7`).replace(
      /\/+$/,
      "",
    ),
    dataDir: dirFromEnv(env, "PHONEPIPE_DATA_DIR", root, join(root, "data")),
    runDir: dirFromEnv(env, "PHONEPIPE_RUN_DIR", root, join(root, "run")),
    cacheDir: dirFromEnv(env, "PHONEPIPE_CACHE", root, join(homedir(), ".cache", "phonepipe")),
    kafkaPort,
    kafkaControllerPort,
    registryPort,
    registryManagementPort,
  };
}
