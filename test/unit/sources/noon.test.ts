import { strict as assert } from "node:assert";
import { join } from "node:path";
import { run as scrapeCli } from "../../../cli/commands/scrape";
import { listingEventId, ScrapedListing } from "../../../producers/scrapers/listing";
import { runScrape } from "../../../producers/scrapers/scrape-run";
import { FixtureSite, startFixtureSite } from "../../../infra/fixture-site";
import { captureStderr, FAST, memoryOutput, readJsonl, tempDir, withEnv } from "./helpers";

const QUERY = "iphone";

/** The expected listing set of the recorded `iphone` search (2 pages, 7 hits), written out by hand. */
const EXPECTED: {
  sku: string;
  slug: string;
  offer: string;
  title: string;
  price: string;
  seller: string;
  availability: "in_stock" | "out_of_stock";
  page: string;
  raw: Record<string, string>;
}[] = [
  {
    sku: "N53433124A",
    slug: "iphone-15-128gb-black-5g-with-facetime-middle-east-version",
    offer: "d1f2a3b4c5e6f708",
    title: "iPhone 15 128GB Black 5G With FaceTime - Middle East Version",
    price: "EGP 42,999.00",
    seller: "noon",
    availability: "in_stock",
    page: "1",
    raw: {
      list_price: "47999",
      sale_price: "42999",
      brand: "Apple",
      image_url: "https://f.nooncdn.com/p/v1694690355/N53433124A_1.jpg",
      rating_value: "4.7",
      rating_count: "1893",
      stock: "25",
    },
  },
  {
    sku: "N50840186A",
    slug: "iphone-13-128gb-midnight-5g-with-facetime-international-version",
    offer: "9a8b7c6d5e4f3a2b",
    title: "iPhone 13 128GB Midnight 5G With FaceTime - International Version",
    price: "EGP 33,999.00",
    seller: "Dream 2000",
    availability: "in_stock",
    page: "1",
    raw: {
      list_price: "33999",
      brand: "Apple",
      image_url: "https://f.nooncdn.com/p/v1632236329/N50840186A_1.jpg",
      rating_value: "4.6",
      rating_count: "5120",
      stock: "4",
    },
  },
  {
    sku: "N70060562V",
    slug: "galaxy-a55-dual-sim-awesome-navy-8gb-ram-256gb-5g-middle-east-version",
    offer: "5c4d3e2f1a0b9c8d",
    title: "Galaxy A55 Dual SIM Awesome Navy 8GB RAM 256GB 5G - Middle East Version",
    price: "EGP 18,499.00",
    seller: "Raya Shop",
    availability: "in_stock",
    page: "1",
    raw: {
      list_price: "21999",
      sale_price: "18499",
      brand: "Samsung",
      image_url: "https://f.nooncdn.com/p/v1710766466/N70060562V_1.jpg",
      rating_value: "4.5",
      rating_count: "311",
      stock: "12",
    },
  },
  {
    sku: "N70036917V",
    slug: "redmi-note-13-pro-dual-sim-midnight-black-8gb-ram-256gb-4g-global-version",
    offer: "0f1e2d3c4b5a6978",
    title: "Redmi Note 13 Pro Dual SIM Midnight Black 8GB RAM 256GB 4G - Global Version",
    price: "EGP 11,499.00",
    seller: "El Araby Store",
    availability: "in_stock",
    page: "1",
    raw: {
      list_price: "12999",
      sale_price: "11499",
      brand: "Xiaomi",
      image_url: "https://f.nooncdn.com/p/v1706091832/N70036917V_1.jpg",
      stock: "7",
    },
  },
  {
    sku: "N53347151A",
    slug: "iphone-14-pro-max-256gb-deep-purple-5g-with-facetime-international-version",
    offer: "7e6d5c4b3a291807",
    title: "iPhone 14 Pro Max 256GB Deep Purple 5G With FaceTime - International Version",
    price: "EGP 58,999.00",
    seller: "B.TECH",
    availability: "in_stock",
    page: "2",
    raw: {
      list_price: "64999",
      sale_price: "58999",
      brand: "Apple",
      image_url: "https://f.nooncdn.com/p/v1662995211/N53347151A_1.jpg",
      rating_value: "4.8",
      rating_count: "742",
      stock: "3",
    },
  },
  {
    sku: "N53377555A",
    slug: "galaxy-s23-ultra-dual-sim-phantom-black-12gb-ram-256gb-5g-middle-east-version",
    offer: "1a2b3c4d5e6f7a8b",
    title: "Galaxy S23 Ultra Dual SIM Phantom Black 12GB RAM 256GB 5G - Middle East Version",
    price: "EGP 44,999.00",
    seller: "noon",
    availability: "in_stock",
    page: "2",
    raw: {
      list_price: "49999",
      sale_price: "44999",
      brand: "Samsung",
      image_url: "https://f.nooncdn.com/p/v1675341227/N53377555A_1.jpg",
      stock: "9",
    },
  },
  {
    sku: "N52003214A",
    slug: "iphone-13-pro-256gb-sierra-blue-5g-with-facetime-renewed-international-version",
    offer: "b0c1d2e3f4a5b6c7",
    title: "iPhone 13 Pro 256GB Sierra Blue 5G With FaceTime (Renewed) - International Version",
    price: "EGP 36,999.00",
    seller: "Mobile Shop Renewed",
    availability: "out_of_stock",
    page: "2",
    raw: {
      list_price: "36999",
      brand: "Apple",
      image_url: "https://f.nooncdn.com/p/v1651475022/N52003214A_1.jpg",
      rating_value: "4.1",
      rating_count: "96",
      stock: "0",
    },
  },
];

function expectedListings(baseUrl: string): Omit<ScrapedListing, "event_id" | "scraped_at">[] {
  return EXPECTED.map((e) => ({
    source: "noon",
    source_domain: "noon.com",
    source_type: "competitor",
    url: `${baseUrl}/egypt-en/${e.slug}/${e.sku}/p/?o=${e.offer}`,
    title: e.title,
    price_text: e.price,
    currency_hint: "EGP",
    seller_name: e.seller,
    condition_text: null,
    availability: e.availability,
    raw: {
      sku: e.sku,
      offer_code: e.offer,
      page: e.page,
      slug: e.slug,
      query: QUERY,
      offers_count: "1",
      ...e.raw,
    },
  }));
}

const strip = ({ event_id: _e, scraped_at: _s, ...rest }: ScrapedListing) => rest;
const byUrl = <T extends { url: string }>(a: T, b: T) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);

describe("sources: Noon scraper (fixture catalog API)", function () {
  this.timeout(60000);
  let site: FixtureSite;
  let state: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    site = await startFixtureSite("noon");
    state = tempDir("noon");
  });
  afterEach(async () => {
    await site.close();
    state.cleanup();
  });

  const scrape = async () => {
    const output = memoryOutput();
    const summary = await runScrape({
      source: "noon",
      baseUrl: site.baseUrl,
      query: QUERY,
      maxPages: 10,
      full: false,
      stateDir: state.dir,
      politeness: FAST,
      output,
    });
    return { summary, records: output.records };
  };

  it("--out of a multi-page search equals the expected listing set, every field", async () => {
    const out = join(state.dir, "noon.jsonl");
    const t0 = Date.now();
    const { result: code, stderr } = await captureStderr(() =>
      withEnv({ PHONEPIPE_DATA_DIR: state.dir, PHONEPIPE_SCRAPER_DELAY_MS: "0" }, () =>
        scrapeCli(["noon", "--query", QUERY, "--base-url", site.baseUrl, "--out", out]),
      ),
    );
    const t1 = Date.now();
    assert.equal(code, 0, stderr.join("\n"));
    const got = readJsonl<ScrapedListing>(out);
    assert.equal(got.length, 7);
    assert.deepEqual(got.map(strip).sort(byUrl), expectedListings(site.baseUrl).sort(byUrl));
    for (const r of got) {
      assert.ok(r.scraped_at >= t0 && r.scraped_at <= t1);
      assert.equal(r.event_id, listingEventId("noon", r.url, r.scraped_at));
    }
    // The API is asked with the front end's headers (the fixture answers 403 without them), 2 pages + 7 products.
    const api = site.requests.filter((q) => q.url.startsWith("/_svc/"));
    assert.equal(api.length, 9);
    for (const q of api) {
      assert.equal(q.status, 200);
      assert.equal(q.headers["x-locale"], "en-eg");
      assert.equal(q.headers["x-platform"], "web");
      assert.match(String(q.headers["user-agent"]), /^phonepipe-scraper\//);
    }
    assert.match(stderr[stderr.length - 1], /^scrape noon: pages=9 items=7 new=7 unchanged=0 failures=0/);
  });

  it("a second run produces nothing new; a changed price produces exactly one new observation", async () => {
    assert.equal((await scrape()).records.length, 7);
    const again = await scrape();
    assert.equal(again.records.length, 0);
    assert.equal(again.summary.unchanged, 7);
    site.setScenario("price-change");
    const changed = await scrape();
    assert.equal(changed.records.length, 1);
    assert.equal(changed.records[0].raw.sku, "N70060562V");
    assert.equal(changed.records[0].price_text, "EGP 17,999.00");
  });

  it("a changed JSON shape fails the run naming the page and the field", async () => {
    site.setScenario("changed-layout");
    const { summary, records } = await scrape();
    assert.equal(records.length, 0);
    assert.equal(summary.failures.length, 1);
    assert.match(summary.failures[0], /'hits'/);
    assert.match(summary.failures[0], /search\?q=iphone&page=1/);
  });

  it("an empty page where nbPages promised items fails loudly after producing the rest", async () => {
    site.setScenario("empty-page");
    const { summary, records } = await scrape();
    assert.equal(records.length, 7);
    assert.equal(summary.failures.length, 1);
    assert.match(summary.failures[0], /page=3.*no items on page 3 although nbPages=3.*'hits'/);
  });

  it("a 429 is retried and the run succeeds", async () => {
    site.setScenario("rate-limited");
    const { summary, records } = await scrape();
    assert.deepEqual(summary.failures, []);
    assert.equal(records.length, 7);
    assert.equal(summary.retries, 1);
    assert.deepEqual(
      site.requests.filter((q) => q.url.includes("search") && q.url.includes("page=2")).map((q) => q.status),
      [429, 200],
    );
  });

  it("a persistent 500 fails naming the page; page 1 is still produced", async () => {
    site.setScenario("server-error");
    const { summary, records } = await scrape();
    assert.equal(records.length, 4);
    assert.equal(summary.failures.length, 1);
    assert.match(summary.failures[0], /page=2.*500/);
  });
});
