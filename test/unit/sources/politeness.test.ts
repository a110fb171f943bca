import { strict as assert } from "node:assert";
import { isNewObservation, listingFingerprint } from "../../../producers/scrapers/fingerprint";
import { backoffMs, parseRetryAfter, politenessFromEnv } from "../../../producers/scrapers/politeness";
import { crawlDelayMs } from "../../../producers/scrapers/robots";
import { FAST } from "./helpers";

describe("sources: scraper politeness and fingerprints (pure)", () => {
  it("builds a User-Agent naming the project and the configured contact URL", () => {
    const p = politenessFromEnv({ PHONEPIPE_SCRAPER_CONTACT_URL: "https://ops.example/bots" }, "1.2.3");
    assert.equal(p.userAgent, "phonepipe-scraper/1.2.3 (+https://ops.example/bots)");
    assert.equal(politenessFromEnv({ PHONEPIPE_SCRAPER_USER_AGENT: "custom/1" }).userAgent, "custom/1");
    assert.ok(politenessFromEnv({}).delayMs >= 1000, "polite by default");
    assert.throws(
      () => politenessFromEnv({ PHONEPIPE_SCRAPER_DELAY_MS: "soon" }),
      /PHONEPIPE_SCRAPER_DELAY_MS/,
    );
  });

  it("backs off exponentially with jitter, capped, and honours Retry-After within the cap", () => {
    const p = { ...FAST, backoffBaseMs: 1000, backoffMaxMs: 8000 };
    assert.equal(
      backoffMs(p, 1, undefined, () => 0),
      500,
    );
    assert.equal(
      backoffMs(p, 1, undefined, () => 0.999999),
      1000,
    );
    assert.equal(
      backoffMs(p, 3, undefined, () => 0),
      2000,
    );
    assert.equal(
      backoffMs(p, 10, undefined, () => 0.999999),
      8000,
    );
    assert.equal(backoffMs(p, 1, "3"), 3000);
    assert.equal(backoffMs(p, 1, "120"), 8000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter("soon"), undefined);
  });

  it("reads Crawl-delay for our agent or for *", () => {
    assert.equal(crawlDelayMs("User-agent: *\nCrawl-delay: 5\nDisallow: /x"), 5000);
    assert.equal(
      crawlDelayMs("User-agent: phonepipe-scraper\nCrawl-delay: 2\n\nUser-agent: *\nCrawl-delay: 9"),
      2000,
    );
    assert.equal(crawlDelayMs("User-agent: *\nDisallow: /cart"), undefined);
  });

  it("fingerprints URL + price + availability only", () => {
    const a = { url: "https://x/p/1", price_text: "27,150 جنيه", availability: null };
    assert.equal(listingFingerprint(a), listingFingerprint({ ...a }));
    assert.notEqual(listingFingerprint(a), listingFingerprint({ ...a, price_text: "26,500 جنيه" }));
    assert.notEqual(
      listingFingerprint(a),
      listingFingerprint({ ...a, availability: "out_of_stock" as const }),
    );
    const listing = {
      ...a,
      event_id: "e",
      source: "s",
      source_domain: "d",
      source_type: "competitor",
      title: "t",
      currency_hint: null,
      seller_name: null,
      condition_text: null,
      scraped_at: 0,
      raw: {},
    };
    assert.equal(
      isNewObservation({ [a.url]: listingFingerprint(a) }, { ...listing, title: "changed title" }, false),
      false,
    );
    assert.equal(isNewObservation({ [a.url]: listingFingerprint(a) }, listing, true), true);
  });
});
