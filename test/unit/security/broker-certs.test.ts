/** The secure profile's certificates (infra/secure/certs.ts): made once, reused, private files 0600. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBrokerCertificates } from "../../../infra/secure/certs";

describe("secure Kafka certificates", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "phonepipe-certs-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a broker certificate for 127.0.0.1 and localhost, signed by the local CA", () => {
    const t = ensureBrokerCertificates(join(dir, "certs"));
    const text = execFileSync("openssl", ["x509", "-in", t.brokerPem, "-noout", "-text"], {
      encoding: "utf8",
    });
    assert.match(text, /Subject: CN ?= ?broker/);
    assert.match(text, /IP Address:127\.0\.0\.1, DNS:localhost/);
    assert.match(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
    const verify = execFileSync("openssl", ["verify", "-CAfile", t.caPem, t.brokerPem], { encoding: "utf8" });
    assert.match(verify, /: OK/);
  });

  it("key stores Java opens with the generated password; secrets are 0600", () => {
    const t = ensureBrokerCertificates(join(dir, "certs"));
    for (const store of [t.keystore, t.truststore]) {
      const out = execFileSync(
        "keytool",
        ["-list", "-keystore", store, "-storetype", "PKCS12", "-storepass:file", t.storePassword],
        { encoding: "utf8" },
      );
      assert.match(out, store === t.keystore ? /broker, .*PrivateKeyEntry/ : /ca, .*trustedCertEntry/);
    }
    for (const f of [t.caKey, t.caPassword, t.brokerKey, t.keystore, t.truststore, t.storePassword])
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
    assert.equal(statSync(t.dir).mode & 0o777, 0o700);
  });

  it("reuses what exists: a second call changes nothing", () => {
    const t = ensureBrokerCertificates(join(dir, "certs"));
    const before = [t.caPem, t.brokerPem, t.keystore].map((f) => readFileSync(f));
    ensureBrokerCertificates(join(dir, "certs"));
    assert.deepEqual(
      [t.caPem, t.brokerPem, t.keystore].map((f) => readFileSync(f)),
      before,
    );
  });
});
