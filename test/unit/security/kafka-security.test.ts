/** How a Kafka client's security is read from the environment (infra/kafka-security.ts, infra/kafka-client.ts). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kafkaSecurityFromEnv, kafkaSecurityOptions } from "../../../infra/kafka-client";
import { KafkaSecurityError, parseKafkaSecurity } from "../../../infra/kafka-security";

describe("Kafka client security from the environment", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "phonepipe-kafka-sec-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("defaults to PLAINTEXT with no TLS and no SASL options", () => {
    const sec = kafkaSecurityFromEnv({});
    assert.deepEqual(sec, { protocol: "PLAINTEXT", mechanism: "scram-sha-512" });
    assert.deepEqual(kafkaSecurityOptions(sec), {});
  });

  it("names the variable of a bad protocol or mechanism, without repeating the value", () => {
    assert.throws(
      () => parseKafkaSecurity({ PHONEPIPE_KAFKA_SECURITY_PROTOCOL: "SASL_SLL" }),
      (e: Error) =>
        e instanceof KafkaSecurityError &&
        /^PHONEPIPE_KAFKA_SECURITY_PROTOCOL must be one of PLAINTEXT, SSL, SASL_SSL, SASL_PLAINTEXT$/.test(
          e.message,
        ),
    );
    assert.throws(
      () => parseKafkaSecurity({ PHONEPIPE_KAFKA_SASL_MECHANISM: "hunter2" }),
      (e: Error) =>
        /PHONEPIPE_KAFKA_SASL_MECHANISM must be one of/.test(e.message) && !e.message.includes("hunter2"),
    );
  });

  it("accepts any case and surrounding spaces", () => {
    assert.deepEqual(
      parseKafkaSecurity({
        PHONEPIPE_KAFKA_SECURITY_PROTOCOL: " sasl_ssl ",
        PHONEPIPE_KAFKA_SASL_MECHANISM: "SCRAM-SHA-256",
      }),
      { protocol: "SASL_SSL", mechanism: "scram-sha-256" },
    );
  });

  it("SASL_SSL: the role's password file, the CA from PHONEPIPE_KAFKA_CA_FILE", () => {
    writeFileSync(join(dir, "scraper.password"), "pw-of-scraper\n");
    writeFileSync(join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
    const sec = kafkaSecurityFromEnv({
      PHONEPIPE_KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
      PHONEPIPE_KAFKA_CA_FILE: join(dir, "ca.pem"),
      PHONEPIPE_KAFKA_CREDENTIALS_DIR: dir,
      PHONEPIPE_ROLE: "scraper",
    });
    const opts = kafkaSecurityOptions(sec);
    assert.deepEqual(opts.sasl, {
      mechanism: "scram-sha-512",
      username: "scraper",
      password: "pw-of-scraper",
    });
    assert.deepEqual(opts.ssl, { ca: ["-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n"] });
  });

  it("SSL without a CA file trusts the system's CAs (a managed Kafka); SASL_PLAINTEXT has no TLS", () => {
    assert.deepEqual(
      kafkaSecurityOptions(kafkaSecurityFromEnv({ PHONEPIPE_KAFKA_SECURITY_PROTOCOL: "SSL" })),
      {
        ssl: true,
      },
    );
    const opts = kafkaSecurityOptions(
      kafkaSecurityFromEnv({
        PHONEPIPE_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
        PHONEPIPE_KAFKA_SASL_MECHANISM: "plain",
        PHONEPIPE_KAFKA_USERNAME: "u",
        PHONEPIPE_KAFKA_PASSWORD: "p",
      }),
    );
    assert.deepEqual(opts, { sasl: { mechanism: "plain", username: "u", password: "p" } });
  });

  it("a SASL protocol without credentials is one error naming the variables", () => {
    assert.throws(
      () => kafkaSecurityFromEnv({ PHONEPIPE_KAFKA_SECURITY_PROTOCOL: "SASL_SSL" }),
      /PHONEPIPE_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs credentials: set PHONEPIPE_KAFKA_USERNAME/,
    );
  });

  it("a CA file that cannot be read names PHONEPIPE_KAFKA_CA_FILE and the path", () => {
    const missing = join(dir, "nope.pem");
    assert.throws(
      () => kafkaSecurityOptions({ protocol: "SSL", mechanism: "scram-sha-512", caFile: missing }),
      new RegExp(`cannot read PHONEPIPE_KAFKA_CA_FILE ${missing}: ENOENT`),
    );
  });
});
