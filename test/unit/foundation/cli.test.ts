import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const cli = join(resolve(__dirname, "..", "..", "..", ".."), "bin", "phonepipe");

describe("phonepipe CLI entry point", () => {
  it("answers an unknown flag with a one-line usage error and exit 2, not a stack trace", () => {
    const r = spawnSync(cli, ["infra", "status", "--bogus"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^phonepipe: .*--bogus/m);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  it("names an unknown command and lists where to look", () => {
    const r = spawnSync(cli, ["frobnicate"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
