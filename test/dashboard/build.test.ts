import { strict as assert } from "node:assert";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { fixture, type Fixture } from "./fixture";
import { buildDashboard, mustBuildDashboard, sql, warehouseFile } from "../../harness/dashboard";

/** The JSON a built site serves for one of its data loaders (dist/_file/data/<name>.<hash>.json). */
function builtData(site: string, name: string): { results: Record<string, unknown[]> } {
  const dir = join(site, "_file", "data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  assert.ok(file, `${name} data in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

describe("dashboard build", function () {
  let fx: Fixture;

  before(async function () {
    this.timeout(1_200_000);
    fx = await fixture();
  });

  it("fails on a missing warehouse, naming the file and the fix", () => {
    const dataDir = join(fx.dir, "no-such-data");
    rmSync(dataDir, { recursive: true, force: true });
    const r = buildDashboard(dataDir, join(fx.dir, "no-site"));
    assert.notEqual(r.code, 0);
    assert.ok(r.output.includes(warehouseFile(dataDir)), r.output);
    assert.match(r.output, /make dbt-build/);
  });

  it("fails on a warehouse locked by a writer, naming the file and the fix", async () => {
    const dataDir = join(fx.dir, "locked-data");
    mkdirSync(join(dataDir, "warehouse"), { recursive: true });
    copyFileSync(fx.warehouse, warehouseFile(dataDir));
    const writer = await DuckDBInstance.create(warehouseFile(dataDir));
    try {
      const r = buildDashboard(dataDir, join(fx.dir, "locked-site"));
      assert.notEqual(r.code, 0);
      assert.ok(r.output.includes(warehouseFile(dataDir)), r.output);
      assert.match(r.output, /locked by a writer/);
    } finally {
      writer.closeSync();
    }
  });

  it("fails on a failing page query, naming the page and the query", async () => {
    const dataDir = join(fx.dir, "broken-data");
    mkdirSync(join(dataDir, "warehouse"), { recursive: true });
    copyFileSync(fx.warehouse, warehouseFile(dataDir));
    await sql(warehouseFile(dataDir), "drop table marts.fct_user_activity", true);
    const r = buildDashboard(dataDir, join(fx.dir, "broken-site"));
    assert.notEqual(r.code, 0);
    assert.match(r.output, /dashboard page "Marketplace": query "funnel" failed/);
    assert.match(r.output, /from marts\.fct_user_activity/, "the query's SQL is shown");
  });

  it("rebuilds page data when the warehouse changed, not from the loader cache", async () => {
    const dataDir = join(fx.dir, "changing-data");
    mkdirSync(join(dataDir, "warehouse"), { recursive: true });
    const site = join(fx.dir, "changing-site");
    copyFileSync(warehouseFile(fx.emptyDataDir), warehouseFile(dataDir));
    mustBuildDashboard(dataDir, site);
    assert.equal(builtData(site, "marketplace").results.daily.length, 0);
    copyFileSync(fx.warehouse, warehouseFile(dataDir));
    mustBuildDashboard(dataDir, site);
    const [days] = await sql(
      fx.warehouse,
      "select count(distinct cast(occurred_at as date)) as n from marts.fct_transactions",
    );
    assert.equal(builtData(site, "marketplace").results.daily.length, Number(days.n));
  });
});
