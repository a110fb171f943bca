import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, type Browser } from "../../infra/chromium";
import { serveDashboard, type DashboardSite } from "../../infra/dashboard-site";
import { fixture, type Fixture } from "./fixture";
import { sql } from "../../harness/dashboard";
import { PageDriver } from "../../harness/dashboard-pages";

const PAGES = ["index", "deals", "sources", "marketplace", "pricing", "pipeline"];
const ARABIC = "[ء-ي]";
/** The model pages' route: the product name, lower-cased, non-alphanumerics as '-' (docs/dashboard.md). */
const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
const digits = (s: string): number => Number(s.replace(/[^0-9.-]/g, ""));

describe("dashboard pages in headless chromium", function () {
  let fx: Fixture;
  let site: DashboardSite;
  let emptySite: DashboardSite;
  let browser: Browser;
  let page: PageDriver;

  before(async function () {
    this.timeout(1_200_000);
    fx = await fixture();
    site = await serveDashboard(fx.site);
    emptySite = await serveDashboard(fx.emptySite);
    browser = await launchChromium();
    page = await PageDriver.attach(await browser.newPage());
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await emptySite?.close();
  });

  const url = (path: string): string => new URL(path === "index" ? "" : path, site.url).href;

  it("renders every page, model pages included, with no errors and no request off the dashboard's server", async () => {
    const models = readdirSync(join(fx.site, "model")).map((f) => `model/${f.replace(/\.html$/, "")}`);
    assert.ok(models.length > 0, "the generated warehouse has products, so there are model pages");
    for (const path of [...PAGES, ...models]) {
      const v = await page.visit(url(path));
      assert.deepEqual(v.errors, [], `${path}: errors`);
      assert.deepEqual(v.external, [], `${path}: requests off the dashboard's server (CDN, fonts)`);
      if (PAGES.includes(path) || path === models[0])
        await page.screenshot(fx.screenshots, path.replace("/", "-"));
    }
  });

  it("shows the current index median of the most-listed model and condition as the mart has it", async () => {
    const [top] = await sql(
      fx.warehouse,
      `with newest as (
         select product_id, condition, max(index_date) as index_date from marts.mart_market_price_index
         where index_date > (select max(index_date) from marts.mart_market_price_index) - interval 3 day
         group by product_id, condition)
       select i.product_id, i.condition, cast(i.median_price_egp as double) as median
       from marts.mart_market_price_index i join newest using (product_id, condition, index_date)
       join marts.dim_product p using (product_id) where p.brand is not null
       order by i.n_listings desc, i.product_id, i.condition limit 1`,
    );
    await page.visit(url("index"));
    const cell = `tr[data-key="${top.product_id}|${top.condition}|all sources"] td.median`;
    await page.waitFor(`!!document.querySelector('${cell}')`);
    const text = await page.session.evaluate<string>(`document.querySelector('${cell}').textContent`);
    assert.match(text, /^EGP [\d,]+$/, "money as EGP with thousands separators");
    assert.equal(digits(text), Math.round(Number(top.median)));
  });

  it("plots one history point per snapshot version of a product", async () => {
    const [top] = await sql(
      fx.warehouse,
      `select p.product_name, count(*) as versions
       from snapshots.snap_listing_prices h join marts.dim_product p using (product_id)
       where h.price_egp > 0 and p.brand is not null group by p.product_name order by versions desc, p.product_name limit 1`,
    );
    await page.visit(url(`model/${slug(String(top.product_name))}`));
    const points = await page.session.evaluate<number>(
      `document.querySelectorAll('g.history-point > *').length`,
    );
    assert.equal(points, Number(top.versions));
  });

  it("changes the Deals row count with the threshold input, to what the warehouse says", async () => {
    const count = async (pct: number): Promise<number> => {
      const [r] = await sql(
        fx.warehouse,
        `with latest as (
           select f.*, row_number() over (partition by url_id order by scraped_at desc, event_id desc) as rn
           from marts.fact_used_phone_listings f where listing_type = 'sale')
         select count(*) as n from latest l
         join marts.mart_market_price_index i
           on l.product_id = i.product_id and l.condition = i.condition and l.scraped_date = i.index_date
         join marts.dim_product p on p.product_id = l.product_id and p.brand is not null and p.model is not null
         where l.rn = 1 and l.price_egp > 0 and coalesce(l.availability, 'in_stock') <> 'out_of_stock'
           and l.scraped_at >= (select max(scraped_at) from marts.fact_used_phone_listings) - interval 3 day
           and i.n_listings >= 5 and l.price_egp <= i.median_price_egp * (1 - ${pct / 100})`,
      );
      return Number(r.n);
    };
    const [low, high] = [await count(5), await count(40)];
    assert.notEqual(low, high, "precondition: the warehouse has deals between 5 % and 40 %");
    await page.visit(url("deals"));
    for (const [pct, expected] of [
      [5, low],
      [40, high],
    ]) {
      await page.session.evaluate(`(() => { const i = document.querySelector('input[type=number]');
        i.value = '${pct}'; i.dispatchEvent(new Event('input', {bubbles: true})); })()`);
      await page
        .waitFor(`document.querySelector('#deal-count')?.textContent === '${expected}'`, 10000)
        .catch(() => false);
      const shown = await page.session.evaluate<string>("document.querySelector('#deal-count').textContent");
      const rows = await page.session.evaluate<number>(
        "document.querySelectorAll('table[data-name=deals] tbody tr').length",
      );
      assert.equal(Number(shown), expected, `deals at ${pct} %`);
      assert.equal(rows, Math.min(expected, 1000), `deal rows at ${pct} %`);
    }
  });

  it("shows each pricing model version's MdAPE, interval share and matched sales as the accuracy mart has them", async () => {
    const versions = await sql(
      fx.warehouse,
      `select s.model_version, count(distinct a.marketplace_listing_id) as matched_sales,
              median(a.abs_pct_error) as mdape, avg(a.within_interval::int) as in_interval
       from (select model_version, max(generated_at) as newest from marts.fct_price_suggestions group by all) s
       left join marts.mart_price_suggestion_accuracy a using (model_version)
       group by s.model_version, s.newest order by s.newest desc, s.model_version desc`,
    );
    assert.ok(
      versions.length >= 2,
      "precondition: the generated warehouse has suggestions of two model versions",
    );
    assert.ok(
      versions.every((v) => Number(v.matched_sales) > 0),
      "precondition: every version's suggestions met realized sales",
    );
    await page.visit(url("pricing"));
    const cell = (version: unknown, cls: string): Promise<string> =>
      page.session.evaluate<string>(
        `document.querySelector('table[data-name=versions] tr[data-key="${version}"] td.${cls}')?.textContent`,
      );
    const pctOf = (text: string): number => digits(text) / 100;
    for (const v of versions) {
      assert.equal(digits(await cell(v.model_version, "matched-sales")), Number(v.matched_sales));
      assert.ok(
        Math.abs(pctOf(await cell(v.model_version, "mdape")) - Number(v.mdape)) <= 0.0005,
        `${v.model_version} MdAPE`,
      );
      const shown = await cell(v.model_version, "in-interval");
      if (v.in_interval === null) assert.equal(shown, "–", `${v.model_version} wrote no interval`);
      else
        assert.ok(Math.abs(pctOf(shown) - Number(v.in_interval)) <= 0.0005, `${v.model_version} in interval`);
    }
    const kpi = await page.session.evaluate<string>("document.querySelector('#kpi-mdape').textContent");
    assert.match(kpi, /^\d+(\.\d)?%$/, "the newest version's MdAPE as a percentage");
    assert.ok(Math.abs(pctOf(kpi) - Number(versions[0].mdape)) <= 0.0005, "the KPI shows the newest version");
  });

  it("shows Arabic listing titles as written, laid out right to left", async () => {
    const [listing] = await sql(
      fx.warehouse,
      `with latest as (
         select f.*, row_number() over (partition by url_id order by scraped_at desc, event_id desc) as rn
         from marts.fact_used_phone_listings f where listing_type = 'sale'),
       active as (
         select l.*, row_number() over (partition by l.product_id order by l.price_egp) as price_rank from latest l
         where l.rn = 1 and l.price_egp > 0 and l.condition is not null
           and coalesce(l.availability, 'in_stock') <> 'out_of_stock'
           and l.scraped_at >= (select max(scraped_at) from marts.fact_used_phone_listings) - interval 3 day)
       select p.product_name, a.title from active a join marts.dim_product p using (product_id)
       where p.brand is not null and a.price_rank <= 50 and regexp_matches(a.title, '${ARABIC}')
       order by a.price_rank, a.url_id limit 1`,
    );
    assert.ok(listing, "precondition: the generated warehouse has active listings with Arabic titles");
    await page.visit(url(`model/${slug(String(listing.product_name))}`));
    const found = await page.session.evaluate<{ n: number; rtl: boolean }>(`(() => {
      const els = [...document.querySelectorAll('[dir=auto]')].filter((e) => e.textContent === ${JSON.stringify(listing.title)});
      return { n: els.length, rtl: els.length > 0 && els.every((e) => e.matches(':dir(rtl)')) };
    })()`);
    assert.ok(found.n > 0, `title ${listing.title} shown as written`);
    assert.ok(found.rtl, "laid out right to left");
  });

  it("says 'no data yet' on every page over an empty warehouse, with no errors", async () => {
    for (const path of PAGES) {
      const v = await page.visit(new URL(path === "index" ? "" : path, emptySite.url).href);
      assert.deepEqual(v.errors, [], `${path}: errors`);
      const text = await page.session.evaluate<string>("document.body.innerText");
      assert.match(text, /no data yet/, `${path} says no data yet`);
      await page.screenshot(fx.screenshots, `empty-${path}`);
    }
  });
});
