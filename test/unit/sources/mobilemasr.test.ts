import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { run as scrapeCli } from "../../../cli/commands/scrape";
import { listingEventId, ScrapedListing } from "../../../producers/scrapers/listing";
import { runScrape } from "../../../producers/scrapers/scrape-run";
import { FixtureSite, repoRoot, startFixtureSite } from "../../../infra/fixture-site";
import { captureStderr, FAST, memoryOutput, readJsonl, tempDir, withEnv } from "./helpers";

const QUERY = "13";

/** Full titles of the 11 sample cards whose title Mobile Masr cuts with "..." (as their product pages show). */
const FULL_TITLES: Record<string, string> = {
  vu016569: "ايفون 13 Pro Max رامات 6 جيجابايت 256 جيجابايت أزرق (Sierra Blue)",
  vu016487: "ايفون 13 Pro Max رامات 6 جيجابايت 256 جيجابايت أزرق (Sierra Blue)",
  vu016447: "ايفون 13 Pro Max رامات 6 جيجابايت 256 جيجابايت أزرق (Sierra Blue)",
  vu016385: "ايفون 13 Pro Max رامات 6 جيجابايت 256 جيجابايت أخضر (Alpine Green)",
  su000575: "ايفون 13 Pro Max رامات 6 جيجابايت 128 جيجابايت تركواز (Cyan Lake)",
  vu016276: "اوبو Reno 13 رامات 12 جيجابايت 256 جيجابايت أزرق (Luminous Blue)",
  vu016189: "شاومي Redmi Note 13 Pro Plus رامات 16 جيجابايت 512 جيجابايت أزرق فاتح (Midday Dream)",
  vu015939: "شاومي 13 Ultra (Chinese version) رامات 16 جيجابايت 512 جيجابايت أبيض",
  vu015546: "اوبو Reno 13 رامات 12 جيجابايت 256 جيجابايت أبيض (Plume White)",
  vu016576: "شاومي Redmi Note 14 Pro 4G رامات 8 جيجابايت 256 جيجابايت ذهبي (Sandy Gold)",
  vu013699: "سامسونج Galaxy M55 رامات 8 جيجابايت 128 جيجابايت أخضر فاتح (Light Green)",
};
const CONDITION_WORDS = ["ممتاز", "مستعمل", "جديد"];
const SELLER_KINDS: Record<string, string> = { vu: "vendor_used", vn: "vendor_new", su: "individual" };

interface SampleRow {
  product_name: string;
  author: string;
  price: string;
  other_conditions: string;
  url: string;
  page: string;
}

/** The expected listing set, built from the real sample rows (test/fixtures/samples), not from the fixture HTML. */
function expectedListings(baseUrl: string): Omit<ScrapedListing, "event_id" | "scraped_at">[] {
  const csv = resolve(repoRoot(), "test", "fixtures", "samples", "mobilemasr_listings_2025-10.csv");
  const rows = parse(readFileSync(csv, "utf8").replace(/^\uFEFF/, ""), { columns: true }) as SampleRow[];
  return rows.map((r) => {
    const path = new URL(r.url).pathname;
    const parts = decodeURIComponent(path).split("-");
    const code = parts[parts.length - 1];
    const word = parts[parts.length - 2];
    const truncated = r.product_name.endsWith("...");
    const raw: Record<string, string> = {
      page: r.page,
      href: path,
      card_title: r.product_name,
      price: `${r.price} جنيه`,
      query: QUERY,
      listing_code: code,
      seller_kind: SELLER_KINDS[code.slice(0, 2)],
      badge: r.other_conditions,
      seller: r.author,
    };
    if (CONDITION_WORDS.includes(word)) raw.condition_word = word;
    if (truncated) raw.title_source = "product_page";
    return {
      source: "mobilemasr",
      source_domain: "mobilemasr.com",
      source_type: "competitor",
      url: baseUrl + path,
      title: truncated ? FULL_TITLES[code] : r.product_name,
      price_text: `${r.price} جنيه`,
      currency_hint: "EGP",
      seller_name: r.author,
      condition_text: r.other_conditions,
      availability: null,
      raw,
    };
  });
}

const strip = ({ event_id: _e, scraped_at: _s, ...rest }: ScrapedListing) => rest;
const byUrl = <T extends { url: string }>(a: T, b: T) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);

describe("sources: Mobile Masr scraper (fixture site)", function () {
  this.timeout(60000);
  let site: FixtureSite;
  let state: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    site = await startFixtureSite("mobilemasr");
    state = tempDir("mm");
  });
  afterEach(async () => {
    await site.close();
    state.cleanup();
  });

  const scrape = async (opts: { full?: boolean } = {}) => {
    const output = memoryOutput();
    const summary = await runScrape({
      source: "mobilemasr",
      baseUrl: site.baseUrl,
      query: QUERY,
      maxPages: 10,
      full: opts.full ?? false,
      stateDir: state.dir,
      politeness: FAST,
      output,
    });
    return { summary, records: output.records };
  };

  it("--out of a multi-page search equals the expected listing set, every field", async () => {
    const out = join(state.dir, "mm.jsonl");
    const t0 = Date.now();
    const { result: code, stderr } = await captureStderr(() =>
      withEnv(
        {
          PHONEPIPE_DATA_DIR: state.dir,
          PHONEPIPE_SCRAPER_DELAY_MS: "0",
          PHONEPIPE_SCRAPER_CONTACT_URL: "https://example.test/scraping",
        },
        () => scrapeCli(["mobilemasr", "--query", QUERY, "--base-url", site.baseUrl, "--out", out]),
      ),
    );
    const t1 = Date.now();
    assert.equal(code, 0, stderr.join("\n"));
    const got = readJsonl<ScrapedListing>(out);
    const expected = expectedListings(site.baseUrl);
    assert.equal(got.length, 35);
    assert.deepEqual(got.map(strip).sort(byUrl), expected.sort(byUrl));
    for (const r of got) {
      assert.ok(r.scraped_at >= t0 && r.scraped_at <= t1, `scraped_at ${r.scraped_at} outside the run`);
      assert.equal(r.event_id, listingEventId("mobilemasr", r.url, r.scraped_at));
    }
    // Pages 1-2 have cards, page 3 is the empty end of results; only the 11 truncated cards cost a product page.
    const paths = site.requests.map((q) => decodeURIComponent(q.url));
    assert.equal(paths[0], "/robots.txt");
    assert.deepEqual(
      paths
        .filter((p) => p.startsWith("/search"))
        .map((p) => new URL(p, site.baseUrl).searchParams.get("page")),
      ["1", "2", "3"],
    );
    assert.equal(paths.filter((p) => p.startsWith("/products/show/")).length, 11);
    for (const q of site.requests) {
      assert.match(
        String(q.headers["user-agent"]),
        /^phonepipe-scraper\/\S+ \(\+https:\/\/example\.test\/scraping\)$/,
      );
    }
    const summary = stderr.find((l) => l.startsWith("scrape mobilemasr: pages="));
    assert.ok(summary, stderr.join("\n"));
    assert.match(summary, /pages=14 items=35 new=35 unchanged=0 failures=0/);
  });

  it("a second run over unchanged pages produces nothing new; --full re-emits everything", async () => {
    const first = await scrape();
    assert.equal(first.records.length, 35);
    const second = await scrape();
    assert.equal(second.records.length, 0);
    assert.equal(second.summary.unchanged, 35);
    assert.deepEqual(second.summary.failures, []);
    const full = await scrape({ full: true });
    assert.equal(full.records.length, 35);
  });

  it("a changed price produces exactly one new observation", async () => {
    await scrape();
    site.setScenario("price-change");
    const { records, summary } = await scrape();
    assert.equal(records.length, 1);
    assert.equal(records[0].raw.listing_code, "vu016610");
    assert.equal(records[0].price_text, "26,500 جنيه");
    assert.equal(summary.unchanged, 34);
  });

  it("a changed layout fails the run, naming the page and the selector", async () => {
    site.setScenario("changed-layout");
    const { result: code, stderr } = await captureStderr(() =>
      withEnv({ PHONEPIPE_DATA_DIR: state.dir, PHONEPIPE_SCRAPER_DELAY_MS: "0" }, () =>
        scrapeCli([
          "mobilemasr",
          "--query",
          QUERY,
          "--base-url",
          site.baseUrl,
          "--out",
          join(state.dir, "x.jsonl"),
        ]),
      ),
    );
    assert.equal(code, 1);
    const failure = stderr.find((l) => l.includes("FAILED"));
    assert.ok(failure, stderr.join("\n"));
    assert.match(failure, /div\.product-card/);
    assert.match(failure, /\/search\?q=13.*page=1/);
    assert.match(stderr[stderr.length - 1], /failures=1/);
  });

  it("a price that moved out of its markup fails naming `p span`", async () => {
    site.setScenario("changed-price-markup");
    const { summary, records } = await scrape();
    assert.equal(records.length, 0);
    assert.equal(summary.failures.length, 1);
    assert.match(summary.failures[0], /'p span'/);
    assert.match(summary.failures[0], /missing on all 24 cards/);
  });

  it("a 429 is retried (after the server's Retry-After, capped) and the run succeeds", async () => {
    site.setScenario("rate-limited");
    const { summary, records } = await scrape();
    assert.deepEqual(summary.failures, []);
    assert.equal(records.length, 35);
    assert.equal(summary.retries, 1);
    const page2 = site.requests.filter((q) => q.url.startsWith("/search") && q.url.includes("page=2"));
    assert.deepEqual(
      page2.map((q) => q.status),
      [429, 200],
    );
  });

  it("a 500 that persists fails the run naming the page, after producing what was parsed", async () => {
    site.setScenario("server-error");
    const { summary, records } = await scrape();
    assert.equal(summary.failures.length, 1);
    assert.match(summary.failures[0], /page=2/);
    assert.match(summary.failures[0], /500/);
    // Page 1's 24 listings were produced before page 2 failed (1 try + 2 retries).
    assert.equal(records.length, 24);
    assert.equal(site.requests.filter((q) => q.url.includes("page=2")).length, 3);
  });

  it("does not crawl at all while robots.txt cannot be read (503)", async () => {
    site.setScenario("robots-unavailable");
    const { summary, records } = await scrape();
    assert.equal(records.length, 0);
    assert.equal(summary.failures.length, 1);
    assert.match(
      summary.failures[0],
      /no page of http:\/\/127\.0\.0\.1:\d+ could be fetched \(disallowed by robots\.txt\)/,
    );
    assert.deepEqual(
      site.requests.map((q) => q.url),
      ["/robots.txt"],
    );
  });

  it("obeys robots.txt: disallowed product pages are not fetched and truncated titles are kept", async () => {
    site.setScenario("robots-disallow");
    const { summary, records } = await scrape();
    assert.deepEqual(summary.failures, []);
    assert.equal(records.length, 35);
    assert.equal(summary.skippedByRobots, 11);
    assert.equal(site.requests.filter((q) => q.url.startsWith("/products/")).length, 0);
    const kept = records.filter((r) => r.raw.title_truncated === "true");
    assert.equal(kept.length, 11);
    for (const r of kept) assert.match(r.title, /\.\.\.$/);
  });
});
