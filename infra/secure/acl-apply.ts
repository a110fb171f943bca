/**
 * Makes the broker's ACLs for the roles' principals exactly the table's (infra/secure/acls.ts): creates what
 * is missing, deletes what is no longer in it. Runs as admin at every `infra up --profile secure`.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  ResourcePatternTypes,
  AclEntry as KafkaAcl,
} from "kafkajs";
import { DLQ_SUFFIX } from "../../schemas/index";
import { loadCatalog } from "../../schemas/catalog";
import { kafkaClient, KafkaSecurity } from "../kafka-client";
import { AclEntry, aclChanges, aclEntries, AclOp, AclPattern, AclResource, aclTable } from "./acls";
import { ROLES } from "./config";

const OPS: Record<AclOp, AclOperationTypes> = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
};
const RESOURCES: Record<AclResource, AclResourceTypes> = {
  TOPIC: AclResourceTypes.TOPIC,
  GROUP: AclResourceTypes.GROUP,
};
const PATTERNS: Record<AclPattern, ResourcePatternTypes> = {
  LITERAL: ResourcePatternTypes.LITERAL,
  PREFIXED: ResourcePatternTypes.PREFIXED,
};

const key = <T extends string>(map: Record<T, number>, v: number): T | undefined =>
  (Object.keys(map) as T[]).find((k) => map[k] === v);

function toKafka(e: AclEntry): KafkaAcl {
  return {
    principal: e.principal,
    host: "*",
    operation: OPS[e.operation],
    permissionType: AclPermissionTypes.ALLOW,
    resourceType: RESOURCES[e.resource],
    resourceName: e.name,
    resourcePatternType: PATTERNS[e.pattern],
  };
}

/** The ALLOW entries of the given principals, as far as the table's vocabulary describes them. */
async function existingEntries(admin: Admin, principals: Set<string>): Promise<AclEntry[]> {
  const res = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ALLOW,
  });
  const out: AclEntry[] = [];
  for (const r of res.resources) {
    const resource = key(RESOURCES, r.resourceType);
    const pattern = key(PATTERNS, r.resourcePatternType);
    for (const a of r.acls) {
      const operation = key(OPS, a.operation);
      if (!principals.has(a.principal) || !resource || !pattern || !operation || a.host !== "*") continue;
      out.push({ principal: a.principal, resource, pattern, name: r.resourceName, operation });
    }
  }
  return out;
}

export async function applyAcls(
  brokers: string[],
  security: KafkaSecurity,
): Promise<{ created: number; removed: number }> {
  const wanted = aclEntries(aclTable(loadCatalog(), DLQ_SUFFIX, ROLES));
  const admin = kafkaClient(brokers, "phonepipe-acls", { connectionTimeout: 5000 }, security).admin();
  await admin.connect();
  try {
    const existing = await existingEntries(admin, new Set(ROLES.map((r) => `User:${r}`)));
    const { create, remove } = aclChanges(wanted, existing, ROLES);
    if (create.length) await admin.createAcls({ acl: create.map(toKafka) });
    if (remove.length)
      await admin.deleteAcls({
        filters: remove.map((e) => ({ ...toKafka(e), host: "*" })),
      });
    return { created: create.length, removed: remove.length };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
