import { execFileSync } from "node:child_process";
import { PlatformConfig } from "../infra/config";
import { kafkaClient } from "../infra/kafka-client";
import { RegistryClient } from "../producers/registry";
import { CompatibilityProblem, checkCompatibility } from "./compatibility";
import { allSubjects, readSchemaFiles, schemaDir } from "./index";
import { topicSpecs } from "./topics";

export interface RegisterReport {
  topicsCreated: string[];
  topicsExisting: string[];
  subjects: Array<{ subject: string; id: number; compatibility: string }>;
}

/**
 * Replicas and in-sync minimum for the topics: PHONEPIPE_REPLICATION_FACTOR if set, else as many replicas as
 * there are brokers up to three; two must acknowledge a write once there are three, so one broker can fail
 * without losing an acknowledged record or refusing writes.
 */
export function topicReplication(
  brokerCount: number,
  env: NodeJS.ProcessEnv = process.env,
): { replicationFactor: number; minInsyncReplicas: number } {
  const raw = env.PHONEPIPE_REPLICATION_FACTOR;
  const replicationFactor = raw ? Number(raw) : Math.max(1, Math.min(3, brokerCount));
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new Error(`PHONEPIPE_REPLICATION_FACTOR=${raw} is not a positive whole number`);
  }
  if (replicationFactor > brokerCount) {
    throw new Error(
      `PHONEPIPE_REPLICATION_FACTOR=${replicationFactor} needs that many brokers; the cluster has ${brokerCount}`,
    );
  }
  return { replicationFactor, minInsyncReplicas: replicationFactor >= 3 ? 2 : 1 };
}

/** Creates missing topics and registers every subject with BACKWARD compatibility set explicitly. Idempotent. */
export async function registerAll(
  cfg: PlatformConfig,
  log: (m: string) => void = () => {},
): Promise<RegisterReport> {
  const admin = kafkaClient(cfg.kafkaBrokers, "phonepipe-schemas", {
    connectionTimeout: 3000,
    retry: { retries: 2 },
  }).admin();
  const report: RegisterReport = { topicsCreated: [], topicsExisting: [], subjects: [] };
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`cannot reach Kafka at ${cfg.kafkaBrokers.join(",")}: ${(err as Error).message}`);
  }
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topicSpecs().filter((s) => !existing.has(s.topic));
    report.topicsExisting = topicSpecs()
      .filter((s) => existing.has(s.topic))
      .map((s) => s.topic);
    if (missing.length) {
      const { replicationFactor, minInsyncReplicas } = topicReplication(
        (await admin.describeCluster()).brokers.length,
      );
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions,
          replicationFactor,
          configEntries: [
            { name: "retention.ms", value: String(s.retentionMs) },
            { name: "min.insync.replicas", value: String(minInsyncReplicas) },
          ],
        })),
      });
      report.topicsCreated = missing.map((s) => s.topic);
      log(
        `created topics (${replicationFactor} replicas, ${minInsyncReplicas} in sync): ${report.topicsCreated.join(", ")}`,
      );
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const registry = new RegistryClient(cfg.registryUrl);
  const files = readSchemaFiles();
  for (const { subject, schemaFile } of allSubjects()) {
    const schema = files.get(schemaFile);
    if (!schema) throw new Error(`schema file ${schemaFile}.avsc is missing from ${schemaDir()}`);
    // The rule goes first: a new subject then never exists without one (Apicurio has no global default).
    await registry.setCompatibility(subject, "BACKWARD");
    const id = await registry.register(subject, schema);
    report.subjects.push({ subject, id, compatibility: (await registry.getCompatibility(subject)) ?? "?" });
  }
  return report;
}

export interface CheckResult {
  schema: string;
  against: "registry" | "git" | "new";
  problems: CompatibilityProblem[];
}

/** The schema file as of a git revision, or undefined when it did not exist there. */
function committedSchema(root: string, file: string, rev: string): object | undefined {
  try {
    const text = execFileSync("git", ["show", `${rev}:schemas/avro/${file}.avsc`], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return JSON.parse(text) as object;
  } catch {
    return undefined;
  }
}

/**
 * Compares each working-tree schema with the registered version when the registry answers (and asks the
 * registry too), otherwise with the version in git at `rev`.
 */
export async function checkAll(
  cfg: PlatformConfig,
  opts: { against: "auto" | "registry" | "git"; rev?: string; dir?: string },
): Promise<CheckResult[]> {
  const files = readSchemaFiles(opts.dir);
  const registry = new RegistryClient(cfg.registryUrl, 3000);
  let useRegistry = opts.against === "registry";
  if (opts.against === "auto") {
    useRegistry = await registry.subjects().then(
      () => true,
      () => false,
    );
  }
  const results: CheckResult[] = [];
  const seen = new Set<string>();
  for (const { subject, schemaFile } of allSubjects()) {
    if (seen.has(schemaFile)) continue; // every dlq subject shares dead_letter.avsc
    seen.add(schemaFile);
    const current = files.get(schemaFile);
    if (!current) {
      results.push({
        schema: schemaFile,
        against: "new",
        problems: [{ schema: schemaFile, field: "(schema)", message: `${schemaFile}.avsc was deleted` }],
      });
      continue;
    }
    if (useRegistry) {
      const latest = await registry.latest(subject);
      if (!latest) {
        results.push({ schema: schemaFile, against: "new", problems: [] });
        continue;
      }
      const problems = checkCompatibility(schemaFile, latest.schema, current);
      if (problems.length === 0 && !(await registry.isCompatible(subject, current))) {
        problems.push({
          schema: schemaFile,
          field: "(schema)",
          message: `the registry rejects it for ${subject}`,
        });
      }
      results.push({ schema: schemaFile, against: "registry", problems });
    } else {
      const old = committedSchema(cfg.root, schemaFile, opts.rev ?? "HEAD");
      results.push({
        schema: schemaFile,
        against: old ? "git" : "new",
        problems: old ? checkCompatibility(schemaFile, old, current) : [],
      });
    }
  }
  return results;
}
