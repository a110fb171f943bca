import { strict as assert } from "node:assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { run as marketDataCli } from "../../../cli/commands/market-data";
import { openDryRunSink } from "../../../producers/avro-producer";
import { loadMarketData, readCsv } from "../../../producers/market-data/loader";
import { validateRow } from "../../../producers/market-data/validate";
import { repoRoot } from "../../../infra/fixture-site";
import { captureStderr, tempDir, withEnv } from "./helpers";

const dir = () => join(repoRoot(), "test", "fixtures", "market-data");
const GOOD = () => join(dir(), "reference_prices_2025-11.csv");
const BAD = () => join(dir(), "reference_prices_bad.csv");
const BAD_LINES = [3, 4, 6, 7, 9, 10, 11, 12];
const NOW = Date.parse("2025-11-20T10:00:00Z");

describe("sources: market-data loader", () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir("md")));
  afterEach(() => t.cleanup());

  it("loads a good file: every row schema-valid, ids deterministic", async () => {
    const sink = openDryRunSink();
    const s = await loadMarketData({ file: GOOD(), skipBad: false, sink, dataDir: t.dir, now: () => NOW });
    assert.equal(s.rows, 16);
    assert.equal(s.loaded, 16);
    assert.equal(sink.sent, 16);
    assert.deepEqual(s.rejected, []);
    const again = await loadMarketData({
      file: GOOD(),
      skipBad: false,
      sink: openDryRunSink(),
      dataDir: t.dir,
      now: () => NOW + 1,
    });
    assert.equal(again.loaded, 16);
  });

  it("rejects a file with bad rows, naming each bad line, and sends nothing", async () => {
    const sink = openDryRunSink();
    const log: string[] = [];
    const s = await loadMarketData({
      file: BAD(),
      skipBad: false,
      sink,
      dataDir: t.dir,
      log: (l) => log.push(l),
      now: () => NOW,
    });
    assert.equal(s.accepted, false);
    assert.equal(sink.sent, 0);
    assert.deepEqual(
      s.rejected.map((r) => r.line),
      BAD_LINES,
    );
    for (const line of BAD_LINES)
      assert.ok(
        log.some((l) => l.startsWith(`reference_prices_bad.csv:${line}: `)),
        `line ${line} named`,
      );
    const reasons = Object.fromEntries(s.rejected.map((r) => [r.line, r.reasons.join("; ")]));
    assert.match(reasons[3], /^price: .*not a positive amount/);
    assert.match(reasons[4], /^currency: 'LE' is not a known ISO 4217 currency/);
    assert.match(reasons[6], /^effective_date: '2025-02-30' is not a real calendar date/);
    assert.match(reasons[7], /^product_title: required/);
    assert.match(reasons[9], /duplicate of line 5/);
    assert.match(reasons[10], /^kind: 'price_list'/);
    assert.match(reasons[11], /^fx_rate: 'abc'/);
    assert.match(reasons[12], /^effective_date: '1\/11\/2025' is not a date in YYYY-MM-DD form/);
  });

  it("--skip-bad loads the rest and writes the rejects with reasons to a side file", async () => {
    const sink = openDryRunSink();
    const rejectsFile = join(t.dir, "rejects.csv");
    const s = await loadMarketData({
      file: BAD(),
      skipBad: true,
      rejectsFile,
      sink,
      dataDir: t.dir,
      now: () => NOW,
    });
    assert.equal(s.accepted, true);
    assert.equal(s.loaded, 4);
    assert.equal(sink.sent, 4);
    assert.equal(s.loaded + s.rejected.length, s.rows, "nothing silently dropped");
    const rejects = parse(readFileSync(rejectsFile, "utf8"), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rejects.map((r) => Number(r.line)),
      BAD_LINES,
    );
    assert.ok(rejects.every((r) => r.reasons.length > 0 && r.kind !== undefined));
    assert.equal(rejects[0].price, "-21999");
  });

  it("the CLI exits 1 listing the bad lines, 0 with --skip-bad (rejects under the data dir)", async () => {
    await withEnv({ PHONEPIPE_DATA_DIR: t.dir }, async () => {
      const bad = await captureStderr(() => marketDataCli(["load", BAD(), "--dry-run"]));
      assert.equal(bad.result, 1);
      assert.match(
        bad.stderr[bad.stderr.length - 1],
        /REJECTED, 8 bad row\(s\) of 12 \(lines 3, 4, 6, 7, 9, 10, 11, 12\)/,
      );
      const skip = await captureStderr(() => marketDataCli(["load", BAD(), "--dry-run", "--skip-bad"]));
      assert.equal(skip.result, 0);
      assert.match(
        skip.stderr[skip.stderr.length - 1],
        /rows=12 loaded=4 rejected=8 \(rejects with reasons -> .*market-data\/rejects\/reference_prices_bad\.rejects\.csv\)/,
      );
      await assert.rejects(() => marketDataCli(["load"]), /expected 'load FILE.csv'/);
    });
  });

  it("rejects a file whose header is wrong, whatever the flags", async () => {
    const f = join(t.dir, "wrong.csv");
    writeFileSync(f, "kind,product,price,currency,effective_date\nretail_price,x,1,EGP,2025-11-01\n");
    const s = await loadMarketData({ file: f, skipBad: true, sink: openDryRunSink(), dataDir: t.dir });
    assert.equal(s.accepted, false);
    assert.ok(s.fileErrors.some((e) => /wrong\.csv:1: unknown column 'product'/.test(e)));
    assert.ok(s.fileErrors.some((e) => /missing column 'retailer'/.test(e)));
  });

  it("numbers lines from the header (line 1), across quoted multi-line cells", () => {
    const { header, rows } = readCsv('a,b\n1,2\n\n"x\ny",3\n4,5\n');
    assert.deepEqual(header, ["a", "b"]);
    assert.deepEqual(
      rows.map((r) => r.line),
      [2, 4, 6],
    );
  });

  it("validates fx rows: known distinct currencies, positive rate, no product fields", () => {
    const ctx = { sourceFile: "f.csv", loadedAt: NOW, today: new Date(NOW) };
    const ok = validateRow(
      { kind: "fx_rate", fx_base: "USD", fx_quote: "EGP", fx_rate: "47.35", effective_date: "2025-11-01" },
      2,
      ctx,
    );
    assert.ok(ok.ok);
    assert.equal(ok.record.fx_rate, 47.35);
    assert.equal(ok.record.price, null);
    const bad = validateRow(
      {
        kind: "fx_rate",
        fx_base: "EGP",
        fx_quote: "EGP",
        fx_rate: "0",
        price: "5",
        effective_date: "2031-01-01",
      },
      3,
      ctx,
    );
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.errors.map((e) => e.split(":")[0]),
      ["effective_date", "fx_quote", "fx_rate", "price"],
    );
  });
});
