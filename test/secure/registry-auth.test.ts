/**
 * The secure profile's schema registry: Keycloak-backed authentication and Apicurio's roles. Without
 * credentials nothing is allowed; a read-only component (the stream) looks up and reads schemas but cannot
 * register or delete; the developer registers but cannot change global settings; the admin does everything.
 * The CLI's `schemas register` and `schemas check` authenticate with the profile's credentials.
 */
import assert from "node:assert/strict";
import { registryAuthHeaders } from "../../infra/registry-auth";
import { Credentials } from "../../infra/credentials";
import { writerSchemaSync } from "../../pipelines/schema-cache";
import { RegistryClient, RegistryError } from "../../producers/registry";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { newClientSecret } from "../../infra/secure/client-secrets";
import {
  clientCredentials,
  phonepipe,
  restartKeycloakAndRegistry,
  SecureRegistry,
  secureRegistry,
} from "./secure-registry-support";

const CONTENT_TYPE = { "Content-Type": "application/vnd.schemaregistry.v1+json" };

function recordSchema(name: string): object {
  return { type: "record", name, namespace: "test.secure", fields: [{ name: "a", type: "int" }] };
}

async function call(
  reg: SecureRegistry,
  method: string,
  path: string,
  creds: Credentials | undefined,
  body?: unknown,
): Promise<{ status: number; message: string }> {
  const res = await fetch(`${reg.url}${path}`, {
    method,
    headers: { ...CONTENT_TYPE, ...registryAuthHeaders(creds) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON
  }
  return { status: res.status, message };
}

async function refusal(p: Promise<unknown>): Promise<RegistryError> {
  const err = await p.then(
    () => assert.fail("the registry allowed it"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof RegistryError, String(err));
  return err;
}

describe("secure: the schema registry authenticates and authorizes every call", function () {
  this.timeout(600_000);
  let reg: SecureRegistry;
  let admin: Credentials;
  let stream: Credentials;
  let developer: Credentials;
  const subject = (s: string) => `registry-auth-${process.pid}-${s}-value`;
  let adminId: number;

  before(async () => {
    reg = await secureRegistry((m) => console.log(`    ${m}`));
    admin = clientCredentials(reg, "admin");
    stream = clientCredentials(reg, "stream");
    developer = clientCredentials(reg, "developer");
    adminId = await new RegistryClient(reg.url, 10_000, admin).register(
      subject("shared"),
      recordSchema("Shared"),
    );
  });
  after(async () => {
    if (admin) for (const s of ["shared", "dev"]) await call(reg, "DELETE", `/subjects/${subject(s)}`, admin);
    await reg?.stop();
  });

  it("refuses registering, deleting and reading without credentials (401)", async () => {
    const body = { schema: JSON.stringify(recordSchema("Anonymous")) };
    const register = await call(reg, "POST", `/subjects/${subject("anon")}/versions`, undefined, body);
    assert.deepEqual(register, { status: 401, message: "User is not authenticated." });
    assert.equal((await call(reg, "DELETE", `/subjects/${subject("shared")}`, undefined)).status, 401);
    assert.equal((await call(reg, "GET", `/schemas/ids/${adminId}`, undefined)).status, 401);

    const err = await refusal(new RegistryClient(reg.url, 10_000, null).subjects());
    assert.equal(err.status, 401);
    assert.match(
      err.message,
      /refused GET http:.*\/subjects: 401 User is not authenticated\.; no credentials/,
    );
  });

  it("lets a read-only component look up and read schemas but not register or delete them (403)", async () => {
    const client = new RegistryClient(reg.url, 10_000, stream);
    assert.equal(await client.idFor(subject("shared"), recordSchema("Shared")), adminId);
    assert.match((await client.schemaTextById(adminId)) ?? "", /"Shared"/);

    const err = await refusal(client.register(subject("stream"), recordSchema("ByStream")));
    assert.equal(err.status, 403);
    assert.match(
      err.message,
      /refused registering .*-stream-value \(POST http:.*\): 403 User is not authorized to perform the requested operation\.; stream \(from .*\) lacks the registry role/,
    );
    assert.ok(!err.message.includes(stream.password), "the message shows the secret");
    assert.equal((await call(reg, "DELETE", `/subjects/${subject("shared")}`, stream)).status, 403);
  });

  it("lets the stream's I/O worker fetch a writer schema by id as the stream", () => {
    // The worker thread copies the environment when it starts: the stream's role and credentials, as the
    // stream command runs with them.
    const saved = { role: process.env.PHONEPIPE_ROLE, dir: process.env.PHONEPIPE_REGISTRY_CREDENTIALS_DIR };
    process.env.PHONEPIPE_ROLE = "stream";
    process.env.PHONEPIPE_REGISTRY_CREDENTIALS_DIR = reg.credentialsDir;
    try {
      assert.equal(writerSchemaSync(reg.url, adminId)?.name, "test.secure.Shared");
    } finally {
      for (const [k, v] of [
        ["PHONEPIPE_ROLE", saved.role],
        ["PHONEPIPE_REGISTRY_CREDENTIALS_DIR", saved.dir],
      ]) {
        if (v === undefined) delete process.env[k as string];
        else process.env[k as string] = v;
      }
    }
  });

  it("lets the developer register but not change the global compatibility", async () => {
    const id = await new RegistryClient(reg.url, 10_000, developer).register(
      subject("dev"),
      recordSchema("Dev"),
    );
    assert.ok(id > 0);
    const global = await call(reg, "PUT", "/config", developer, { compatibility: "BACKWARD" });
    assert.equal(global.status, 403);
    const current = await call(reg, "GET", "/config", admin);
    assert.equal(current.status, 200);
  });

  it("lets the admin register and delete", async () => {
    const client = new RegistryClient(reg.url, 10_000, admin);
    const s = subject("admin");
    const id = await client.register(s, recordSchema("ByAdmin"));
    assert.equal(await client.lookup(s, recordSchema("ByAdmin")), id);
    const deleted = await call(reg, "DELETE", `/subjects/${s}`, admin);
    assert.equal(deleted.status, 200, deleted.message);
    assert.equal(await client.lookup(s, recordSchema("ByAdmin")), undefined);
  });

  it("refuses a wrong secret (401) naming the principal, never the secret", async () => {
    const wrong = { ...stream, password: "not-the-secret-0123456789" };
    const err = await refusal(new RegistryClient(reg.url, 10_000, wrong).schemaTextById(adminId));
    assert.equal(err.status, 401);
    assert.match(err.message, /401 User is not authenticated\.; stream \(from .*\) was not accepted/);
    assert.ok(!err.message.includes(wrong.password));
  });

  it("runs `phonepipe schemas register` as admin and `schemas check` with credentials", async () => {
    const registered = phonepipe(["schemas", "register"], { ...reg.env, PHONEPIPE_ROLE: "admin" });
    assert.equal(registered.status, 0, registered.stderr);
    assert.match(registered.stdout, /\d+ subject\(s\) registered/);

    const checked = phonepipe(["schemas", "check", "--against", "registry"], {
      ...reg.env,
      PHONEPIPE_ROLE: "stream",
    });
    assert.equal(checked.status, 0, checked.stderr);
    assert.match(checked.stdout, /listings\.scraped +ok \(vs registry\)/);

    const anonymous = { ...reg.env };
    delete anonymous.PHONEPIPE_REGISTRY_CREDENTIALS_DIR;
    const refused = phonepipe(["schemas", "check", "--against", "registry"], anonymous);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /the schema registry refused GET http:.*: 401 User is not authenticated\./);
  });

  it("rotates a client's secret: a new secret file, Keycloak and the registry restarted; the old one is refused", async () => {
    const old = clientCredentials(reg, "simulator");
    const client = (c: Credentials) => new RegistryClient(reg.url, 10_000, c);
    assert.ok((await client(old).subjects()).length > 0);
    writeFileSync(join(reg.credentialsDir, "simulator.password"), `${newClientSecret()}\n`, { mode: 0o600 });
    await restartKeycloakAndRegistry();
    const rotated = clientCredentials(reg, "simulator");
    assert.notEqual(rotated.password, old.password);
    assert.ok((await client(rotated).subjects()).length > 0);
    assert.equal((await refusal(client(old).subjects())).status, 401);
    assert.ok((await client(clientCredentials(reg, "stream")).subjects()).length > 0);
  });
});
