/**
 * Loads the topic catalog: every `<topic>.topic.yaml` in the contracts folder joined with its `<topic>.avsc`
 * (schemas/catalog-model.ts). The I/O edge of the catalog; everything else receives TopicSpecs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { buildTopicSpec, CatalogError, TopicSpec } from "./catalog-model";

export const ENTRY_SUFFIX = ".topic.yaml";

/** Folder of the contracts and catalog entries: $PHONEPIPE_SCHEMA_DIR, else <root>/schemas/avro. */
export function schemaDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PHONEPIPE_SCHEMA_DIR) return resolve(env.PHONEPIPE_SCHEMA_DIR);
  const root = env.PHONEPIPE_ROOT ? resolve(env.PHONEPIPE_ROOT) : resolve(__dirname, "..", "..");
  return join(root, "schemas", "avro");
}

function readEntry(dir: string, file: string): TopicSpec {
  const path = join(dir, file);
  let entry: unknown;
  try {
    entry = parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new CatalogError(path, `not valid YAML: ${(err as Error).message}`);
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    throw new CatalogError(path, "a catalog entry is a YAML mapping");
  const topic = (entry as { topic?: unknown }).topic;
  if (`${String(topic)}${ENTRY_SUFFIX}` !== file)
    throw new CatalogError(path, `'topic' must match the file name (${file.slice(0, -ENTRY_SUFFIX.length)})`);
  const avsc = join(dir, `${String(topic)}.avsc`);
  if (!existsSync(avsc)) throw new CatalogError(path, `its contract ${avsc} does not exist`);
  return buildTopicSpec(
    entry as Record<string, unknown>,
    JSON.parse(readFileSync(avsc, "utf8")) as object,
    path,
  );
}

const cache = new Map<string, TopicSpec[]>();

/** Every topic of the catalog in `dir`, sorted by topic name. */
export function loadCatalog(dir: string = schemaDir()): TopicSpec[] {
  let specs = cache.get(dir);
  if (!specs) {
    if (!existsSync(dir)) throw new CatalogError(dir, "the contracts folder does not exist");
    specs = readdirSync(dir)
      .filter((f) => f.endsWith(ENTRY_SUFFIX))
      .sort()
      .map((f) => readEntry(dir, f));
    cache.set(dir, specs);
  }
  return specs;
}

/** The spec of one topic (its contract's name, not an environment-prefixed topic name). */
export function topicSpec(topic: string, dir: string = schemaDir()): TopicSpec {
  const catalog = loadCatalog(dir);
  const spec = catalog.find((s) => s.topic === topic);
  if (!spec)
    throw new Error(
      `topic '${topic}' is not in the catalog (${dir}): known topics are ${catalog.map((s) => s.topic).join(", ")}`,
    );
  return spec;
}

export function topicNames(dir: string = schemaDir()): string[] {
  return loadCatalog(dir).map((s) => s.topic);
}
