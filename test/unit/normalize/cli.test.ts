import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "./helpers";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with `input` piped to stdin, streaming it in chunks. */
function runCli(args: string[], input: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(resolve(repoRoot, "bin", "phonepipe"), ["normalize", ...args], { cwd: repoRoot });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
    child.stdin.end(input);
  });
}

const MODELS = ["iphone 11", "iphone 12 pro", "galaxy s23 ultra", "redmi note 13 pro+", "reno 11 f"];
const BRANDS = ["apple", "apple", "samsung", "xiaomi", "oppo"];
const STORAGES = [64, 128, 256, 512];

describe("phonepipe normalize (CLI)", function () {
  this.timeout(120_000);

  it("normalizes 100,000 JSON lines in order and reports a malformed line in the middle", async () => {
    const total = 100_000;
    const bad = 50_001;
    const lines: string[] = [];
    for (let i = 1; i <= total; i++) {
      if (i === bad) {
        lines.push('{"title": "iphone 13", "price_text": ');
        continue;
      }
      const k = i % MODELS.length;
      const title = `${BRANDS[k]} ${MODELS[k]} ${STORAGES[i % STORAGES.length]}GB`;
      lines.push(JSON.stringify({ title, price_text: `${i} EGP` }));
    }
    const run = await runCli([], lines.join("\n") + "\n");
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`line ${bad}: invalid JSON`));
    const out = run.stdout.split("\n").filter((l) => l !== "");
    assert.equal(out.length, total);
    for (let i = 1; i <= total; i++) {
      const rec = JSON.parse(out[i - 1]) as Record<string, unknown>;
      if (i === bad) {
        assert.equal(rec.line, bad);
        assert.match(String(rec.error), /invalid JSON/);
        continue;
      }
      const k = i % MODELS.length;
      // The price carries the input line number, so order is checked on every line.
      if (
        rec.price_amount !== i ||
        rec.model !== MODELS[k] ||
        rec.storage_gb !== STORAGES[i % STORAGES.length]
      ) {
        assert.fail(`line ${i}: ${out[i - 1]}`);
      }
    }
  });

  it("reports lines without a usable title by number and keeps going", async () => {
    const input = [
      '{"title": "Galaxy A54 8/256"}',
      '{"price_text": "5"}',
      "[1,2]",
      "",
      '{"title": "ايفون ١٣ ١٢٨"}',
    ];
    const run = await runCli([], input.join("\n") + "\n");
    assert.equal(run.code, 1);
    const out = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(out.length, 5);
    assert.equal(out[0].model, "galaxy a54");
    assert.deepEqual([out[1].line, out[2].line, out[3].line], [2, 3, 4]);
    assert.equal(out[4].model, "iphone 13");
    assert.match(run.stderr, /line 2: title must be a string/);
  });

  it("reads CSV with a header (--format csv), numbering a malformed row by its line", async () => {
    const csv =
      'product_name,price,other_conditions\n"ايفون 13 128",27150,very good\nbad,row,with,extra\nGalaxy S24 256,"1,000",\n';
    const run = await runCli(["--format", "csv", "--fx", "USD=48.5"], csv);
    assert.equal(run.code, 1);
    const out = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(out.length, 3);
    assert.deepEqual([out[0].model, out[0].price_amount, out[0].condition], ["iphone 13", 27150, "used"]);
    assert.equal(out[1].line, 3);
    assert.deepEqual([out[2].model, out[2].price_amount], ["galaxy s24", 1000]);
    assert.match(run.stderr, /line 3: malformed CSV row/);
  });

  it("--unmatched reports the most frequent unmatched titles, grouped without storage", async () => {
    const input = [
      "Honor X9d 8/256",
      "honor x9d 12GB RAM 512GB",
      "Honor X9d",
      "iPhone 13 128",
      "Nokia Lumia 920",
    ].map((t) => JSON.stringify({ title: t }));
    const run = await runCli(["--unmatched", "--top", "5"], input.join("\n") + "\n");
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { count: number; key: string });
    assert.equal(out[0].count, 3);
    assert.equal(out[0].key, "honor x9d");
    assert.ok(!out.some((g) => g.key.includes("iphone")));
  });

  it("prints help and rejects unknown flags", async () => {
    const help = await runCli(["--help"], "");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--unmatched/);
    const bad = await runCli(["--bogus"], "");
    assert.equal(bad.code, 2);
  });
});
