/**
 * The secure profile's Kafka refuses every client that does not authenticate: plain TCP, TLS without SASL,
 * a wrong password, and a client that does not trust the local CA. The admin principal gets in.
 */
import assert from "node:assert/strict";
import { clientWith, listTopicsError, requireSecureEnv, rootCause, securityAs } from "./secure-support";

describe("secure Kafka: authentication (SASL/SCRAM-SHA-512 over TLS)", function () {
  before(requireSecureEnv);

  it("refuses a plain TCP client without TLS or SASL: KafkaJSConnectionClosedError 'Closed connection'", async () => {
    const err = await listTopicsError(clientWith({ protocol: "PLAINTEXT", mechanism: "scram-sha-512" }));
    assert.ok(err, "a PLAINTEXT client listed the topics of the TLS listener");
    assert.equal(rootCause(err).name, "KafkaJSConnectionClosedError");
    assert.match(rootCause(err).message, /Closed connection/);
  });

  it("refuses a TLS client without SASL: KafkaJSConnectionClosedError 'Closed connection'", async () => {
    const { caFile } = securityAs("admin");
    const err = await listTopicsError(clientWith({ protocol: "SSL", mechanism: "scram-sha-512", caFile }));
    assert.ok(err, "a client without SASL listed the topics");
    assert.equal(rootCause(err).name, "KafkaJSConnectionClosedError");
    assert.match(rootCause(err).message, /Closed connection/);
  });

  it("refuses a wrong password: KafkaJSSASLAuthenticationError 'invalid credentials with SASL mechanism SCRAM-SHA-512'", async () => {
    const sec = securityAs("scraper");
    const err = await listTopicsError(
      clientWith({
        ...sec,
        credentials: { username: "scraper", password: "not-the-password", origin: "test" },
      }),
    );
    assert.ok(err, "a wrong password was accepted");
    assert.equal(rootCause(err).name, "KafkaJSSASLAuthenticationError");
    assert.match(rootCause(err).message, /invalid credentials with SASL mechanism SCRAM-SHA-512/);
  });

  it("refuses an unknown user: KafkaJSSASLAuthenticationError", async () => {
    const sec = securityAs("scraper");
    const err = await listTopicsError(
      clientWith({ ...sec, credentials: { username: "mallory", password: "x", origin: "test" } }),
    );
    assert.ok(err, "an unknown user was accepted");
    assert.equal(rootCause(err).name, "KafkaJSSASLAuthenticationError");
  });

  it("is not trusted by a client with only the system CAs: 'self-signed certificate in certificate chain'", async () => {
    const err = await listTopicsError(clientWith({ ...securityAs("admin"), caFile: undefined }));
    assert.ok(err, "the local CA's certificate was trusted without PHONEPIPE_KAFKA_CA_FILE");
    assert.equal(rootCause(err).name, "KafkaJSConnectionError");
    assert.match(rootCause(err).message, /self-signed certificate in certificate chain/);
  });

  it("lets every role with its own password in (SCRAM users made when the storage was formatted)", async () => {
    for (const role of ["admin", "scraper", "simulator", "loader", "pricing", "stream"]) {
      assert.equal(await listTopicsError(clientWith(securityAs(role))), undefined, role);
    }
  });
});
