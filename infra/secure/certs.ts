/**
 * The secure profile's certificates, made on first start and reused after: a local CA (ca.pem is what
 * clients trust) and the broker's PKCS12 key store and trust store, with random passwords in 0600 files.
 * openssl makes the keys and certificates; keytool the trust store (a PKCS12 trust entry Java accepts).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PlatformError } from "../service";
import { BROKER_PRINCIPAL, brokerCertExtensions, CERT_DAYS, TlsFiles, tlsFiles } from "./broker-security";
import { ensurePasswordFile } from "./secrets";

/** Passwords reach openssl through its environment (`env:`), never its command line. */
function run(tool: string, args: string[], what: string, secrets: Record<string, string> = {}): void {
  try {
    execFileSync(tool, args, {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      env: { ...process.env, ...secrets },
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new PlatformError(`${what} (${tool}) failed: ${(e.stderr || e.message).trim()}`);
  }
}

function makeCa(t: TlsFiles): void {
  ensurePasswordFile(t.caPassword);
  run(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:3072", "-sha256", "-days", String(CERT_DAYS)]
      .concat(["-subj", "/CN=phonepipe local CA", "-keyout", t.caKey, "-out", t.caPem])
      .concat(["-passout", `file:${t.caPassword}`])
      .concat([
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
      ]),
    `creating the local CA in ${t.dir}`,
  );
  chmodSync(t.caKey, 0o600);
  chmodSync(t.caPem, 0o644);
}

function issueBrokerCert(t: TlsFiles): void {
  const pass = `file:${t.storePassword}`;
  const csr = join(t.dir, "broker.csr");
  const ext = join(t.dir, "broker.ext");
  writeFileSync(ext, brokerCertExtensions());
  run(
    "openssl",
    ["req", "-new", "-newkey", "rsa:2048", "-sha256", "-subj", `/CN=${BROKER_PRINCIPAL}`].concat([
      "-keyout",
      t.brokerKey,
      "-out",
      csr,
      "-passout",
      pass,
    ]),
    "creating the broker's key",
  );
  chmodSync(t.brokerKey, 0o600);
  run(
    "openssl",
    ["x509", "-req", "-in", csr, "-CA", t.caPem, "-CAkey", t.caKey, "-passin", `file:${t.caPassword}`]
      .concat(["-set_serial", `0x${randomBytes(16).toString("hex")}`, "-days", String(CERT_DAYS), "-sha256"])
      .concat(["-extfile", ext, "-out", t.brokerPem]),
    "signing the broker's certificate with the local CA",
  );
  rmSync(csr, { force: true });
  rmSync(ext, { force: true });
}

function makeStores(t: TlsFiles): void {
  // openssl reads one line per use of a `file:` source, so the same file twice would not work.
  const secrets = { PHONEPIPE_STORE_PASSWORD: readFileSync(t.storePassword, "utf8").trim() };
  const pass = "env:PHONEPIPE_STORE_PASSWORD";
  rmSync(t.keystore, { force: true });
  rmSync(t.truststore, { force: true });
  run(
    "openssl",
    ["pkcs12", "-export", "-name", BROKER_PRINCIPAL, "-in", t.brokerPem, "-inkey", t.brokerKey].concat([
      "-passin",
      pass,
      "-certfile",
      t.caPem,
      "-out",
      t.keystore,
      "-passout",
      pass,
    ]),
    "writing the broker's key store",
    secrets,
  );
  run(
    "keytool",
    ["-importcert", "-noprompt", "-alias", "ca", "-file", t.caPem, "-keystore", t.truststore].concat([
      "-storetype",
      "PKCS12",
      "-storepass:file",
      t.storePassword,
    ]),
    "writing the broker's trust store",
  );
  chmodSync(t.keystore, 0o600);
  chmodSync(t.truststore, 0o600);
}

/** Makes what is missing in `certsDir` (idempotent) and returns the files' paths. */
export function ensureBrokerCertificates(certsDir: string): TlsFiles {
  const t = tlsFiles(certsDir);
  mkdirSync(certsDir, { recursive: true, mode: 0o700 });
  chmodSync(certsDir, 0o700);
  let reissue = false;
  if (!existsSync(t.caPem) || !existsSync(t.caKey)) {
    makeCa(t);
    reissue = true;
  }
  ensurePasswordFile(t.storePassword);
  if (reissue || !existsSync(t.brokerPem) || !existsSync(t.brokerKey)) {
    issueBrokerCert(t);
    reissue = true;
  }
  if (reissue || !existsSync(t.keystore) || !existsSync(t.truststore)) makeStores(t);
  return t;
}
