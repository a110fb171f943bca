/**
 * The secure profile's authorization as one table: one principal per role, each allowed only what its job
 * needs, derived from the topic catalog (each topic's `producer` role writes it; the stream reads every topic
 * and writes only the dead-letter topics). `admin` and the broker are super users and need no rows.
 *
 * Idempotent producers (kafkajs always asks for a producer id) need no cluster right in Kafka 4: the broker
 * grants InitProducerId to a principal that may WRITE some topic (IDEMPOTENT_WRITE is the old way).
 */
import { RANGE_GROUP_PREFIX, STREAM_GROUP, TOPICS_READ_GROUP_PREFIX } from "../kafka-groups";

export type AclResource = "TOPIC" | "GROUP";
export type AclPattern = "LITERAL" | "PREFIXED";
export type AclOp = "READ" | "WRITE" | "DESCRIBE";

export interface AclRow {
  /** A role name; the Kafka principal is `User:<role>`. */
  role: string;
  resource: AclResource;
  pattern: AclPattern;
  name: string;
  operations: AclOp[];
}

/** One ALLOW entry as Kafka stores it: one operation on one resource pattern for one principal. */
export interface AclEntry {
  principal: string;
  resource: AclResource;
  pattern: AclPattern;
  name: string;
  operation: AclOp;
}

export interface CatalogTopic {
  topic: string;
  producer?: string;
}

/** The role that runs the stream, `health`, `topics` and backfills. */
export const STREAM_ROLE = "stream";

export function aclTable(topics: CatalogTopic[], dlqSuffix: string, roles: readonly string[]): AclRow[] {
  const rows: AclRow[] = [];
  for (const t of topics) {
    if (t.producer === undefined) continue;
    if (!roles.includes(t.producer))
      throw new Error(`topic ${t.topic}: producer '${t.producer}' is not a role (${roles.join(", ")})`);
    rows.push({
      role: t.producer,
      resource: "TOPIC",
      pattern: "LITERAL",
      name: t.topic,
      operations: ["WRITE", "DESCRIBE"],
    });
  }
  for (const t of topics) {
    rows.push({
      role: STREAM_ROLE,
      resource: "TOPIC",
      pattern: "LITERAL",
      name: t.topic,
      operations: ["READ", "DESCRIBE"],
    });
    rows.push({
      role: STREAM_ROLE,
      resource: "TOPIC",
      pattern: "LITERAL",
      name: `${t.topic}${dlqSuffix}`,
      operations: ["READ", "WRITE", "DESCRIBE"],
    });
  }
  // PREFIXED: `--group-id phonepipe-stream-2` is allowed too; the range and read groups are unique per run.
  for (const prefix of [STREAM_GROUP, RANGE_GROUP_PREFIX, TOPICS_READ_GROUP_PREFIX])
    rows.push({
      role: STREAM_ROLE,
      resource: "GROUP",
      pattern: "PREFIXED",
      name: prefix,
      operations: ["READ", "DESCRIBE"],
    });
  return rows;
}

export function aclEntries(rows: AclRow[]): AclEntry[] {
  return rows.flatMap((r) =>
    r.operations.map((operation) => ({
      principal: `User:${r.role}`,
      resource: r.resource,
      pattern: r.pattern,
      name: r.name,
      operation,
    })),
  );
}

export const aclKey = (e: AclEntry): string =>
  `${e.principal}|${e.resource}|${e.pattern}|${e.name}|${e.operation}`;

/**
 * What to create and what to delete so the broker holds exactly `wanted` for the roles' principals; entries
 * of other principals (someone's own, added by hand) are left alone.
 */
export function aclChanges(
  wanted: AclEntry[],
  existing: AclEntry[],
  roles: readonly string[],
): { create: AclEntry[]; remove: AclEntry[] } {
  const want = new Set(wanted.map(aclKey));
  const have = new Set(existing.map(aclKey));
  const ours = new Set(roles.map((r) => `User:${r}`));
  return {
    create: wanted.filter((e) => !have.has(aclKey(e))),
    remove: existing.filter((e) => ours.has(e.principal) && !want.has(aclKey(e))),
  };
}
