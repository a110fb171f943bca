/** The registry's Authorization header and the message a refusal gives (infra/registry-auth.ts). */
import assert from "node:assert/strict";
import { registryAccessMessage, registryAuthHeaders } from "../../../infra/registry-auth";

const SECRET = "s3cret-client-secret-0123456789";
const CREDS = {
  username: "stream",
  password: SECRET,
  origin: "PHONEPIPE_REGISTRY_CREDENTIALS_DIR (/x/stream.password)",
};
const OP = "PUT http://127.0.0.1:1/apis/ccompat/v7/config/s-value";

describe("registry authentication", () => {
  it("sends HTTP basic with the client id and secret, and nothing without credentials", () => {
    assert.deepEqual(registryAuthHeaders(undefined), {});
    const { Authorization } = registryAuthHeaders(CREDS);
    assert.match(Authorization, /^Basic /);
    const decoded = Buffer.from(Authorization.slice("Basic ".length), "base64").toString("utf8");
    assert.equal(decoded, `stream:${SECRET}`);
  });

  it("explains a 401 without credentials: what was refused and which variables to set", () => {
    const m = registryAccessMessage(
      OP,
      401,
      '{"message":"User is not authenticated.","error_code":0}',
      undefined,
    );
    assert.equal(
      m,
      `the schema registry refused ${OP}: 401 User is not authenticated.; no credentials were sent: set ` +
        "PHONEPIPE_REGISTRY_CREDENTIALS_DIR (with PHONEPIPE_ROLE) or PHONEPIPE_REGISTRY_USERNAME and " +
        "PHONEPIPE_REGISTRY_PASSWORD(_FILE)",
    );
  });

  it("names the principal and where it came from on 401 and 403, never the secret", () => {
    const unauthenticated = registryAccessMessage(OP, 401, "", CREDS) ?? "";
    assert.match(
      unauthenticated,
      /401; stream \(from PHONEPIPE_REGISTRY_CREDENTIALS_DIR .*\) was not accepted/,
    );
    const forbidden =
      registryAccessMessage(
        OP,
        403,
        '{"message":"User is not authorized to perform the requested operation."}',
        CREDS,
      ) ?? "";
    assert.match(
      forbidden,
      /refused PUT .*config\/s-value: 403 User is not authorized .*; stream .* lacks the registry role/,
    );
    for (const m of [unauthenticated, forbidden]) assert.ok(!m.includes(SECRET), m);
  });

  it("keeps a non-JSON body short and leaves other statuses to the caller", () => {
    const m = registryAccessMessage(OP, 403, "x".repeat(1000), CREDS) ?? "";
    assert.ok(m.length < 500, `${m.length} characters`);
    assert.equal(registryAccessMessage(OP, 404, "{}", CREDS), undefined);
    assert.equal(registryAccessMessage(OP, 500, "{}", undefined), undefined);
  });
});
