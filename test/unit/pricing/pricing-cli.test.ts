import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const cli = join(resolve(__dirname, "..", "..", "..", ".."), "bin", "phonepipe");

describe("phonepipe pricing command line", () => {
  it("answers an unknown action or a malformed option with exit 2 and the usage", () => {
    for (const args of [
      ["pricing", "guess"],
      ["pricing", "suggest", "--changed-since", "yesterday"],
      ["pricing", "train", "--folds", "0"],
    ]) {
      const r = spawnSync(cli, args, { encoding: "utf8" });
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^phonepipe: pricing: /m, args.join(" "));
    }
  });

  it("passes the engine's failure through: train on an empty data dir exits non-zero naming the problem", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PHONEPIPE_DATA_DIR: join(resolve(__dirname), "no-such-data-dir"),
    };
    delete env.PHONEPIPE_DUCKDB_PATH;
    const r = spawnSync(cli, ["pricing", "train"], { encoding: "utf8", env });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no warehouse at .*: build it first/);
  });
});
