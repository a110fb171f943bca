import { strict as assert } from "node:assert";
import { loadConfig } from "../../../infra/config";
import { parseJavaVersion } from "../../../infra/java";
import { kafkaServerProperties } from "../../../infra/platform";
import { kafkaClusterId } from "../../../infra/platform-services";

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

  it("binds Kafka to loopback only with single-replica internals", () => {
    const props = kafkaServerProperties(
      loadConfig({ PHONEPIPE_KAFKA_PORT: "19092", PHONEPIPE_ROOT: "/r" }),
      "/d",
    );
    assert.match(props, /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:19092,CONTROLLER:\/\/127\.0\.0\.1:9093$/m);
    assert.match(props, /^offsets\.topic\.replication\.factor=1$/m);
    assert.match(props, /^auto\.create\.topics\.enable=false$/m);
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
