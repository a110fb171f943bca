/**
 * The secure profile's Keycloak realm, Keycloak's start arguments, the registry's auth settings (all pure) and
 * the client secret files.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../infra/config";
import { ensureClientSecrets } from "../../../infra/secure/client-secrets";
import { loadSecureConfig, ROLES } from "../../../infra/secure/config";
import { keycloakArgs, realmUrl } from "../../../infra/secure/keycloak";
import { REGISTRY_API_CLIENT, REGISTRY_CLIENTS, renderRealm } from "../../../infra/secure/keycloak-realm";
import { registryAuthProperties } from "../../../infra/secure/registry";

const sc = loadSecureConfig(loadConfig({}), {
  PHONEPIPE_SECURE_PORT_BASE: "25000",
  PHONEPIPE_SECURE_RUN_DIR: "/r",
});
const secrets = Object.fromEntries(REGISTRY_CLIENTS.map((c) => [c, `secret-of-${c}`]));

describe("secure profile: Keycloak realm and registry settings", () => {
  it("has one confidential service-account client per role plus developer, each with one registry role", () => {
    const realm = renderRealm(secrets);
    assert.equal(realm.realm, "phonepipe");
    assert.deepEqual(
      realm.roles.realm.map((r) => r.name),
      ["sr-admin", "sr-developer", "sr-readonly"],
    );
    const byId = new Map(realm.clients.map((c) => [c.clientId, c]));
    assert.equal(byId.get(REGISTRY_API_CLIENT)?.bearerOnly, true);
    for (const id of [...ROLES, "developer"]) {
      const c = byId.get(id);
      assert.ok(c, `client ${id}`);
      assert.equal(c.secret, `secret-of-${id}`);
      assert.equal(c.publicClient, false);
      assert.equal(c.serviceAccountsEnabled, true);
      assert.equal(c.standardFlowEnabled || c.directAccessGrantsEnabled || c.implicitFlowEnabled, false);
    }
    const roleOf = Object.fromEntries(realm.users.map((u) => [u.serviceAccountClientId, u.realmRoles]));
    assert.deepEqual(roleOf, {
      admin: ["sr-admin"],
      developer: ["sr-developer"],
      loader: ["sr-readonly"],
      pricing: ["sr-readonly"],
      scraper: ["sr-readonly"],
      simulator: ["sr-readonly"],
      stream: ["sr-readonly"],
    });
  });

  it("refuses a client without a registry role or with an empty secret", () => {
    assert.throws(
      () => renderRealm({ ...secrets, intruder: "x" }),
      /registry client intruder has no registry role/,
    );
    assert.throws(
      () => renderRealm({ ...secrets, stream: "" }),
      /registry client stream has an empty secret/,
    );
  });

  it("starts Keycloak optimized on loopback with the issuer the registry expects", () => {
    const args = keycloakArgs(sc, "/r/keycloak/home");
    for (const a of [
      "start",
      "--optimized",
      "-Dkc.home.dir=/r/keycloak/home",
      "--http-host=127.0.0.1",
      "--http-port=25180",
      "--http-management-port=25190",
      "--hostname=http://127.0.0.1:25180",
      "--cache=local",
      "--import-realm",
    ])
      assert.ok(args.includes(a), a);
    assert.ok(
      args.includes("--db-url=jdbc:h2:file:/r/keycloak/db/keycloak;NON_KEYWORDS=VALUE"),
      args.join(" "),
    );
    assert.equal(realmUrl(sc), "http://127.0.0.1:25180/realms/phonepipe");
  });

  it("points the registry at the realm with role-based authorization and no anonymous access", () => {
    const p = registryAuthProperties(sc);
    assert.equal(p["quarkus.oidc.tenant-enabled"], "true");
    assert.equal(p["quarkus.oidc.auth-server-url"], "http://127.0.0.1:25180/realms/phonepipe");
    assert.equal(p["quarkus.oidc.client-id"], REGISTRY_API_CLIENT);
    assert.equal(p["apicurio.authn.basic-client-credentials.enabled"], "true");
    assert.equal(p["apicurio.auth.role-based-authorization"], "true");
    assert.equal(p["apicurio.auth.anonymous-read-access.enabled"], "false");
  });

  describe("client secret files", () => {
    let dir: string;
    beforeEach(() => {
      dir = join(mkdtempSync(join(tmpdir(), "phonepipe-secrets-")), "registry");
    });
    afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

    it("creates missing secrets as 0600 files in a 0700 directory and keeps existing ones", () => {
      const first = ensureClientSecrets(dir, ["admin", "stream"]);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      for (const c of ["admin", "stream"]) {
        const file = join(dir, `${c}.password`);
        assert.equal(statSync(file).mode & 0o777, 0o600);
        assert.equal(readFileSync(file, "utf8").trim(), first[c]);
        assert.ok(first[c].length >= 40, `${c}'s secret is ${first[c].length} characters`);
      }
      assert.notEqual(first.admin, first.stream);
      writeFileSync(join(dir, "stream.password"), "rotated-by-hand\n", { mode: 0o600 });
      assert.deepEqual(ensureClientSecrets(dir, ["admin", "stream"]), {
        admin: first.admin,
        stream: "rotated-by-hand",
      });
    });

    it("names an empty secret file", () => {
      ensureClientSecrets(dir, ["admin"]);
      writeFileSync(join(dir, "admin.password"), "\n");
      assert.throws(
        () => ensureClientSecrets(dir, ["admin"]),
        /the registry client secret file .*admin.password is empty/,
      );
    });
  });
});
