/** The secure profile's ACL table (infra/secure/acls.ts) and the broker's security lines. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../infra/config";
import { kafkaNodeProperties } from "../../../infra/kafka-node";
import { aclChanges, aclEntries, AclRow, aclTable } from "../../../infra/secure/acls";
import { scramFormatArgs, secureListenerProperties } from "../../../infra/secure/broker-security";
import { ROLES } from "../../../infra/secure/config";
import { loadCatalog } from "../../../schemas/catalog";
import { DLQ_SUFFIX } from "../../../schemas/index";

const table = (): AclRow[] => aclTable(loadCatalog(), DLQ_SUFFIX, ROLES);
const writes = (role: string): string[] =>
  table()
    .filter((r) => r.role === role && r.resource === "TOPIC" && r.operations.includes("WRITE"))
    .map((r) => r.name)
    .sort();

describe("secure Kafka ACL table", () => {
  it("each producer role writes only its own topics", () => {
    assert.deepEqual(writes("scraper"), ["listings.scraped"]);
    assert.deepEqual(writes("simulator"), ["marketplace.transactions", "marketplace.user_activity"]);
    assert.deepEqual(writes("loader"), ["market.reference_prices"]);
    assert.deepEqual(writes("pricing"), ["pricing.suggestions"]);
    assert.deepEqual(writes("admin"), [], "admin is a super user and needs no rows");
  });

  it("the stream reads every topic and its dead letters, and writes only the dead-letter topics", () => {
    const topics = loadCatalog().map((t) => t.topic);
    const reads = table()
      .filter((r) => r.role === "stream" && r.resource === "TOPIC" && r.operations.includes("READ"))
      .map((r) => r.name)
      .sort();
    assert.deepEqual(reads, [...topics, ...topics.map((t) => `${t}${DLQ_SUFFIX}`)].sort());
    assert.ok(writes("stream").every((t) => t.endsWith(DLQ_SUFFIX)));
    assert.equal(writes("stream").length, topics.length);
  });

  it("consumer groups: PREFIXED, for the stream only", () => {
    const groups = table().filter((r) => r.resource === "GROUP");
    assert.deepEqual(groups.map((g) => `${g.role} ${g.pattern} ${g.name}`).sort(), [
      "stream PREFIXED phonepipe-range-",
      "stream PREFIXED phonepipe-stream",
      "stream PREFIXED phonepipe-topics-read-",
    ]);
  });

  it("refuses a catalog producer that is not a role", () => {
    assert.throws(
      () => aclTable([{ topic: "x.y", producer: "ghost" }], DLQ_SUFFIX, ROLES),
      /x\.y: producer 'ghost'/,
    );
  });

  it("changes: creates what is missing, removes only the roles' stale entries", () => {
    const wanted = aclEntries(table());
    const stale = {
      principal: "User:scraper",
      resource: "TOPIC" as const,
      pattern: "LITERAL" as const,
      name: "old",
      operation: "WRITE" as const,
    };
    const foreign = { ...stale, principal: "User:someone" };
    const { create, remove } = aclChanges(wanted, [wanted[0], stale, foreign], ROLES);
    assert.equal(create.length, wanted.length - 1);
    assert.deepEqual(remove, [stale]);
    assert.deepEqual(aclChanges(wanted, wanted, ROLES), { create: [], remove: [] });
  });

  it("docs/security.md's ACL table lists the same rows", () => {
    const doc = readFileSync(join(loadConfig().root, "docs", "security.md"), "utf8");
    const start = doc.indexOf("## Principals and ACLs");
    const end = doc.indexOf("\n## ", start + 1);
    const section = doc.slice(start, end < 0 ? undefined : end);
    const rows = section
      .split("\n")
      .filter((l) => /^\| `[a-z]+` /.test(l))
      .map((l) => l.split("|").map((c) => c.trim().replace(/`/g, "")))
      .map((c) => `${c[1]} ${c[2]} ${c[3]} ${c[4]} ${c[5]}`);
    const expected = table().map(
      (r) => `${r.role} ${r.resource} ${r.pattern} ${r.name} ${r.operations.join(", ")}`,
    );
    assert.deepEqual(rows, expected);
  });
});

describe("secure Kafka broker configuration", () => {
  const lines = secureListenerProperties({
    port: 24092,
    controllerPort: 24093,
    certsDir: "/c",
    credentialsDir: "/k",
  });
  const props = kafkaNodeProperties(
    {
      name: "kafka",
      nodeId: 1,
      port: 24092,
      controllerPort: 24093,
      voters: [{ nodeId: 1, controllerPort: 24093 }],
      dir: "/d",
      clusterIdFile: "/d/id",
      runDir: "/r",
      cacheDir: "/cache",
      root: "/repo",
      heap: "512m",
    },
    "/d/data",
    lines,
  );

  it("SASL_SSL for clients and brokers, mutual TLS to the controller, deny by default", () => {
    for (const l of [
      "listeners=CLIENT://127.0.0.1:24092,CONTROLLER://127.0.0.1:24093",
      "listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:SSL",
      "inter.broker.listener.name=CLIENT",
      "sasl.enabled.mechanisms=SCRAM-SHA-512",
      "listener.name.controller.ssl.client.auth=required",
      "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
      "allow.everyone.if.no.acl.found=false",
      "super.users=User:broker;User:admin",
    ])
      assert.ok(props.split("\n").includes(l), l);
    assert.ok(!props.includes("PLAINTEXT"), "no PLAINTEXT listener is left");
  });

  it("names secret files, never secrets (Kafka's directory config provider reads them)", () => {
    assert.ok(props.includes("ssl.keystore.password=${dir:/c:store.password}"));
    assert.ok(props.includes('username="broker" password="${dir:/k:broker.password}";'));
  });

  it("SCRAM users for the storage tool", () => {
    assert.deepEqual(scramFormatArgs([{ name: "admin", password: "p" }]), [
      "--add-scram",
      "SCRAM-SHA-512=[name=admin,password=p]",
    ]);
  });
});
