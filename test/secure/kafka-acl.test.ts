/**
 * The secure profile's ACLs: each role may do only its job. A producer role writes its own topic and no
 * other; the stream reads every topic and writes only the dead-letter topics; only admin creates topics.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from "kafkajs";
import { aclEntries, aclKey, aclTable } from "../../infra/secure/acls";
import { ROLES } from "../../infra/secure/config";
import { loadCatalog } from "../../schemas/catalog";
import { DLQ_SUFFIX } from "../../schemas/index";
import { RANGE_GROUP_PREFIX, STREAM_GROUP } from "../../infra/kafka-groups";
import { offsetRangesForTimes, readOffsetRanges } from "../../pipelines/kafka-range";
import {
  brokers,
  clientAs,
  consumeError,
  phonepipe,
  produceError,
  requireSecureEnv,
  rootCause,
} from "./secure-support";

function listing(eventId: string): string {
  return JSON.stringify({
    event_id: eventId,
    source: "secure-test",
    source_domain: "shop.example",
    source_type: "shop",
    url: `https://shop.example/${eventId}`,
    title: "Samsung Galaxy A54 128GB",
    price_text: "EGP 15,000",
    currency_hint: null,
    seller_name: null,
    condition_text: "new",
    availability: "in_stock",
    scraped_at: Date.now(),
    raw: {},
  });
}

function assertTopicDenied(err: Error | undefined, who: string): void {
  assert.ok(err, `${who} was allowed`);
  const cause = rootCause(err);
  assert.equal(cause.type, "TOPIC_AUTHORIZATION_FAILED", `${who}: ${cause.name} ${cause.message}`);
  assert.match(err.message, /Not authorized to access topics/);
}

describe("secure Kafka: least-privilege ACLs", function () {
  before(requireSecureEnv);
  const eventId = `secure-${randomUUID()}`;

  it("the scraper cannot produce to marketplace.transactions: TOPIC_AUTHORIZATION_FAILED 'Not authorized to access topics'", async () => {
    assertTopicDenied(await produceError(clientAs("scraper"), "marketplace.transactions"), "scraper");
  });

  it("the stream cannot produce to listings.scraped: TOPIC_AUTHORIZATION_FAILED", async () => {
    assertTopicDenied(await produceError(clientAs("stream"), "listings.scraped"), "stream");
  });

  it("no role but a topic's producer writes it (every role × every catalog topic)", async function () {
    this.timeout(120_000);
    for (const t of loadCatalog())
      for (const role of ROLES.filter((r) => r !== t.producer && r !== "admin"))
        assertTopicDenied(await produceError(clientAs(role), t.topic), `${role} → ${t.topic}`);
  });

  it("the scraper can produce to listings.scraped through `bin/phonepipe produce` (role from the topic)", () => {
    const env = { ...process.env };
    delete env.PHONEPIPE_ROLE;
    const r = phonepipe(["produce", "listings.scraped"], { input: `${listing(eventId)}\n`, env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /1 record\(s\) sent/);
  });

  it("the stream can read listings.scraped (`bin/phonepipe topics read`, a phonepipe-topics-read-* group)", () => {
    const r = phonepipe(["topics", "read", "listings.scraped", "--last", "1", "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes(eventId), `the record just produced is not in:\n${r.stdout}`);
  });

  it("the stream's backfill read (pipelines/kafka-range.ts, as PHONEPIPE_ROLE=stream) finds the record", async function () {
    this.timeout(120_000);
    const before = process.env.PHONEPIPE_ROLE;
    process.env.PHONEPIPE_ROLE = "stream";
    try {
      const ranges = await offsetRangesForTimes(brokers(), "listings.scraped", 0, Date.now() + 60_000);
      const records = await readOffsetRanges(brokers(), "listings.scraped", ranges);
      const values = records.map((r) => Buffer.from(r.valueB64 ?? "", "base64").toString("latin1"));
      assert.ok(
        values.some((v) => v.includes(eventId)),
        `${records.length} record(s), none is ${eventId}`,
      );
    } finally {
      if (before === undefined) delete process.env.PHONEPIPE_ROLE;
      else process.env.PHONEPIPE_ROLE = before;
    }
  });

  it("the stream commits offsets to its group, as its offset committer does (admin setOffsets)", async () => {
    const admin = clientAs("stream").admin();
    await admin.connect();
    try {
      const groupId = `${STREAM_GROUP}-acl-test`;
      await admin.setOffsets({
        groupId,
        topic: "listings.scraped",
        partitions: [{ partition: 0, offset: "0" }],
      });
      const [committed] = await admin.fetchOffsets({ groupId, topics: ["listings.scraped"] });
      assert.equal(committed.partitions.find((p) => p.partition === 0)?.offset, "0");
    } finally {
      await admin.disconnect();
    }
  });

  it("the stream's `health` reads its group's offsets", () => {
    const r = phonepipe(["health", "--topics", "listings.scraped"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { group: string }).group, "phonepipe-stream");
  });

  it("the stream can write a dead-letter topic", async () => {
    assert.equal(await produceError(clientAs("stream"), `listings.scraped${DLQ_SUFFIX}`), undefined);
  });

  it("the stream joins a phonepipe-range-* group and reads listings.scraped (backfill reads)", async () => {
    assert.equal(
      await consumeError(clientAs("stream"), `${RANGE_GROUP_PREFIX}${randomUUID()}`, "listings.scraped"),
      undefined,
    );
  });

  it("the scraper cannot read listings.scraped: its consumer group is refused (KafkaJSGroupCoordinatorNotFound)", async () => {
    const err = await consumeError(
      clientAs("scraper"),
      `${RANGE_GROUP_PREFIX}${randomUUID()}`,
      "listings.scraped",
    );
    assert.equal(err?.name, "KafkaJSGroupCoordinatorNotFound", err?.message);
  });

  it("the stream cannot use a consumer group outside its prefixes (KafkaJSGroupCoordinatorNotFound)", async () => {
    const err = await consumeError(clientAs("stream"), `other-${randomUUID()}`, "listings.scraped");
    assert.equal(err?.name, "KafkaJSGroupCoordinatorNotFound", err?.message);
  });

  it("only admin creates topics: the stream gets KafkaJSAggregateError of TOPIC_AUTHORIZATION_FAILED", async () => {
    const admin = clientAs("stream").admin();
    await admin.connect();
    try {
      await assert.rejects(
        admin.createTopics({ topics: [{ topic: `not-allowed-${randomUUID()}`, numPartitions: 1 }] }),
        (err: Error & { errors?: Array<{ type?: string }> }) => {
          assert.equal(err.name, "KafkaJSAggregateError");
          assert.deepEqual(
            err.errors?.map((e) => e.type),
            ["TOPIC_AUTHORIZATION_FAILED"],
          );
          return true;
        },
      );
    } finally {
      await admin.disconnect();
    }
  });

  it("the broker holds exactly the ACL table for the roles' principals", async () => {
    const admin = clientAs("admin").admin();
    await admin.connect();
    try {
      const res = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      const names: Record<number, string> = { 2: "TOPIC", 3: "GROUP", 4: "CLUSTER" };
      const ops: Record<number, string> = { 3: "READ", 4: "WRITE", 8: "DESCRIBE" };
      const pats: Record<number, string> = { 3: "LITERAL", 4: "PREFIXED" };
      const onBroker = res.resources
        .flatMap((r) =>
          r.acls.map((a) =>
            [
              a.principal,
              names[r.resourceType],
              pats[r.resourcePatternType],
              r.resourceName,
              ops[a.operation],
            ].join("|"),
          ),
        )
        .sort();
      const wanted = aclEntries(aclTable(loadCatalog(), DLQ_SUFFIX, ROLES))
        .map(aclKey)
        .sort();
      assert.deepEqual(onBroker, wanted);
    } finally {
      await admin.disconnect();
    }
  });
});
