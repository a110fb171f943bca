/** Where a bearer token comes from (infra/bearer-token.ts) and how an Authorization header is checked. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configuredToken, isAuthorized, TokenError, tokenOrCreate } from "../../../infra/bearer-token";

const NAME = "PHONEPIPE_METRICS_TOKEN";
const SECRET = "s3cret-token-value-0123456789";

describe("bearer tokens", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "phonepipe-token-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("comes from the variable, else the file it names, else the default file", () => {
    const fallback = join(dir, "default.token");
    assert.equal(configuredToken({}, NAME, fallback), undefined);
    writeFileSync(fallback, "from-the-default-file-0123456789\n");
    assert.equal(configuredToken({}, NAME, fallback)?.value, "from-the-default-file-0123456789");
    writeFileSync(join(dir, "named"), `  ${SECRET}\n`);
    const fromFile = configuredToken({ [`${NAME}_FILE`]: join(dir, "named") }, NAME, fallback);
    assert.equal(fromFile?.value, SECRET);
    assert.ok(fromFile?.origin.includes(join(dir, "named")));
    assert.deepEqual(configuredToken({ [NAME]: SECRET }, NAME, fallback), { value: SECRET, origin: NAME });
  });

  it("refuses unusable tokens naming the variable or file, never the value", () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [
        { [NAME]: SECRET, [`${NAME}_FILE`]: "/x" },
        /both PHONEPIPE_METRICS_TOKEN and PHONEPIPE_METRICS_TOKEN_FILE/,
      ],
      [{ [NAME]: "short-secret" }, /the token in PHONEPIPE_METRICS_TOKEN is shorter than 16/],
      [{ [NAME]: `${SECRET} with spaces` }, /characters a bearer token cannot carry/],
      [
        { [`${NAME}_FILE`]: "/no/such/token/file" },
        /cannot read the token file \/no\/such\/token\/file .*ENOENT/,
      ],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => configuredToken(env, NAME),
        (err: Error) =>
          err instanceof TokenError && message.test(err.message) && !/s3cret|short-secret/.test(err.message),
      );
    }
  });

  it("creates a missing token once, mode 0600, and reads it on the next start", () => {
    const file = join(dir, "run", "metrics.token");
    const first = tokenOrCreate({}, NAME, file);
    assert.equal(first.created, true);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, "utf8").trim(), first.token.value);
    const second = tokenOrCreate({}, NAME, file);
    assert.equal(second.created, false);
    assert.equal(second.token.value, first.token.value);
    assert.equal(tokenOrCreate({ [NAME]: SECRET }, NAME, join(dir, "other")).token.value, SECRET);
  });

  it("accepts only `Bearer <the token>`", () => {
    const token = { value: SECRET, origin: NAME };
    assert.ok(isAuthorized(`Bearer ${SECRET}`, token));
    assert.ok(isAuthorized(`bearer  ${SECRET} `, token), "the scheme is case-insensitive");
    for (const header of [
      undefined,
      "",
      "Bearer",
      `Basic ${SECRET}`,
      `Bearer ${SECRET}x`,
      `Bearer ${SECRET.slice(1)}`,
      SECRET,
    ])
      assert.equal(isAuthorized(header, token), false, String(header));
  });
});
