import { strict as assert } from "node:assert";
import { loadConfig } from "../../../infra/config";
import { parseJavaVersion } from "../../../infra/java";
import { kafkaClusterId, kafkaNodeProperties, KafkaNodeSpec } from "../../../infra/kafka-node";

describe("platform configuration", () => {
  it("defaults to the local platform and follows the environment", () => {
    const d = loadConfig({ PHONEPIPE_ROOT: "/repo" });
    assert.deepEqual(d.kafkaBrokers, ["127.0.0.1:9092"]);
    assert.equal(d.registryUrl, "http://127.0.0.1:8081/apis/ccompat/v7");
    assert.equal(d.dataDir, "/repo/data");
    const c = loadConfig({
      PHONEPIPE_ROOT: "/repo",
      PHONEPIPE_KAFKA_BROKERS: "k1:9092, k2:9092",
      PHONEPIPE_REGISTRY_URL: "https://registry.example/apis/ccompat/v7/",
      PHONEPIPE_DATA_DIR: "var/pp",
      PHONEPIPE_REGISTRY_PORT: "18081",
    });
    assert.deepEqual(c.kafkaBrokers, ["k1:9092", "k2:9092"]);
    assert.equal(c.registryUrl, "https://registry.example/apis/ccompat/v7");
    assert.equal(c.dataDir, "/repo/var/pp");
    assert.equal(c.registryPort, 18081);
  });

  it("rejects a port that is not a number, naming the variable", () => {
    assert.throws(() => loadConfig({ PHONEPIPE_KAFKA_PORT: "ninety" }), /PHONEPIPE_KAFKA_PORT=ninety/);
  });

  const node = (nodeId: number, voters: number): KafkaNodeSpec => ({
    name: `kafka-${nodeId}`,
    nodeId,
    port: 19092 + nodeId * 100,
    controllerPort: 19093 + nodeId * 100,
    voters: Array.from({ length: voters }, (_, i) => ({
      nodeId: i + 1,
      controllerPort: 19093 + (i + 1) * 100,
    })),
    dir: "/d",
    clusterIdFile: "/d/cluster.id",
    runDir: "/r",
    cacheDir: "/c",
    root: "/repo",
    heap: "256m",
  });

  it("binds Kafka to loopback only with single-replica internals on one node", () => {
    const props = kafkaNodeProperties(node(1, 1), "/d");
    assert.match(props, /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:19192,CONTROLLER:\/\/127\.0\.0\.1:19193$/m);
    assert.match(props, /^controller\.quorum\.voters=1@127\.0\.0\.1:19193$/m);
    assert.match(props, /^offsets\.topic\.replication\.factor=1$/m);
    assert.match(props, /^min\.insync\.replicas=1$/m);
    assert.match(props, /^auto\.create\.topics\.enable=false$/m);
  });

  it("makes a three-node cluster one quorum with three replicas and two in sync", () => {
    const props = kafkaNodeProperties(node(2, 3), "/d");
    assert.match(props, /^node\.id=2$/m);
    assert.match(
      props,
      /^controller\.quorum\.voters=1@127\.0\.0\.1:19193,2@127\.0\.0\.1:19293,3@127\.0\.0\.1:19393$/m,
    );
    assert.match(props, /^offsets\.topic\.replication\.factor=3$/m);
    assert.match(props, /^transaction\.state\.log\.min\.isr=2$/m);
    assert.match(props, /^min\.insync\.replicas=2$/m);
    assert.match(props, /^unclean\.leader\.election\.enable=false$/m);
  });

  it("never makes a Kafka cluster id the storage tool would read as an option", () => {
    // 0xf8 encodes to a leading "-" in base64url; the id must be drawn again.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x41)];
    const id = kafkaClusterId(() => draws.shift() as Buffer);
    assert.equal(id, Buffer.alloc(16, 0x41).toString("base64url"));
    assert.equal(draws.length, 0);
    assert.ok(Buffer.alloc(16, 0xf8).toString("base64url").startsWith("-"));
  });

  it("reads Java versions in both numbering styles", () => {
    assert.equal(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), 17);
    assert.equal(parseJavaVersion('java version "1.8.0_392"'), 8);
    assert.equal(parseJavaVersion('openjdk version "25" 2025-09-16'), 25);
  });
});
