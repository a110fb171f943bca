import { performance } from "node:perf_hooks";
import { CheerioCrawler } from "@crawlee/cheerio";
import type { RobotsTxtFile } from "@crawlee/utils";
import { RobotsCache } from "./robots";
import type { BasicCrawlingContext, CheerioCrawlingContext } from "@crawlee/cheerio";
import { BreakageError } from "./errors";
import {
  CrawlContext,
  CrawlTotals,
  crawleeConfig,
  failureMessage,
  PermanentHttpError,
  politeOptions,
  prepareCrawl,
  statusOf,
} from "./crawl-common";
import { ParsedListing, ScrapedListing, stampListing } from "./listing";
import { CardParse, parseProductTitle, parseResultsPage, SEL, searchUrl } from "./mobilemasr-parse";

/** The production base URL; tests and the demo pass a local replay instead. */
export const MOBILEMASR_BASE_URL = "https://mobilemasr.com";

interface ResultsData {
  kind: "results";
  page: number;
}
interface ProductData {
  kind: "product";
  page: number;
  scrapedAt: number;
  listing: ParsedListing;
}
type UserData = ResultsData | ProductData;

/** CheerioCrawler whose robots.txt comes from the crawl's RobotsCache (fetched with our User-Agent). */
class PoliteCheerioCrawler extends CheerioCrawler {
  robotsCache?: RobotsCache;

  protected override async getRobotsTxtFileForUrl(url: string): Promise<RobotsTxtFile | undefined> {
    return this.robotsCache ? (await this.robotsCache.policy(url)).file : super.getRobotsTxtFileForUrl(url);
  }
}

/**
 * Crawls Mobile Masr search results page by page (`div.product-card` cards) until a page has no cards or
 * `maxPages` is reached; a card whose title is cut with "..." is completed from its product page.
 */
export async function crawlMobileMasr(c: CrawlContext): Promise<CrawlTotals> {
  const crawl = new MobileMasrCrawl(c);
  const startUrl = searchUrl(c.baseUrl, c.query, 1);
  const delayMs = await prepareCrawl(c, startUrl, (m) => c.hooks.warn(m));
  const options = politeOptions(c, delayMs, { accept: "text/html,application/xhtml+xml" }, crawl.onFailed);
  const crawler = new PoliteCheerioCrawler(
    { ...(options as object), requestHandler: crawl.handle, onSkippedRequest: crawl.onSkipped },
    crawleeConfig(c.workDir),
  );
  crawler.robotsCache = c.robots;
  await crawler.run([{ url: startUrl, userData: { kind: "results", page: 1 } }]);
  return crawl.totals;
}

/** One crawl's handlers and state: the totals, and the cards waiting for their product page. */
class MobileMasrCrawl {
  readonly totals: CrawlTotals = { pages: 0, items: 0 };
  /** Cards waiting for their product page, by product URL (for robots.txt skips). */
  private readonly pending = new Map<string, ProductData>();

  constructor(private readonly c: CrawlContext) {}

  /** The request handler: a results page or a product page. */
  readonly handle = async (ctx: CheerioCrawlingContext<UserData>): Promise<void> => {
    const { request } = ctx;
    const data = request.userData;
    const status = statusOf(ctx);
    if (status >= 400) {
      request.noRetry = true;
      throw new PermanentHttpError(request.url, status);
    }
    const fetchedAt = Date.now();
    if (data.kind === "results") await this.handleResults(ctx, data, fetchedAt);
    else await this.handleProduct(ctx, data);
  };

  /** A request that failed for good: reported; a product page falls back to the truncated card title. */
  readonly onFailed = async (ctx: BasicCrawlingContext, error: Error): Promise<void> => {
    const data = ctx.request.userData as UserData;
    this.c.hooks.failure(failureMessage(ctx.request.url, error));
    if (data.kind === "product") {
      this.pending.delete(data.listing.url);
      await this.fallback(data, "product page failed");
    }
  };

  readonly onSkipped = async ({ url, reason }: { url: string; reason: string }): Promise<void> => {
    if (reason !== "robotsTxt") return;
    this.c.hooks.skipped(url);
    const data = this.pending.get(url);
    if (data) {
      this.pending.delete(url);
      await this.fallback(data, "product page disallowed by robots.txt");
    }
  };

  private async handleResults(
    ctx: CheerioCrawlingContext<UserData>,
    data: ResultsData,
    fetchedAt: number,
  ): Promise<void> {
    const { request, $ } = ctx;
    const c = this.c;
    const t0 = performance.now();
    const parsed = parseResultsPage($, request.url, data.page, c.query);
    c.hooks.page(performance.now() - t0);
    this.totals.pages++;
    if (parsed.cards.length === 0) {
      if (data.page === 1) {
        request.noRetry = true;
        throw new BreakageError(request.url, SEL.card, "no items on the first results page");
      }
      return; // an empty page after the first one is the end of the results
    }
    await c.hooks.listings(await this.takeCards(ctx, parsed.cards, data.page, fetchedAt));
    if (data.page < c.maxPages) {
      const next = data.page + 1;
      await ctx.addRequests([
        { url: searchUrl(c.baseUrl, c.query, next), userData: { kind: "results", page: next } },
      ]);
    }
  }

  /** The complete listings of a page's cards; truncated ones are queued for their product page. */
  private async takeCards(
    ctx: CheerioCrawlingContext<UserData>,
    cards: readonly CardParse[],
    page: number,
    fetchedAt: number,
  ): Promise<ScrapedListing[]> {
    const complete: ScrapedListing[] = [];
    for (const card of cards) {
      if (!card.listing) {
        this.c.hooks.warn(
          `page ${ctx.request.url}: card ${card.index + 1} skipped, missing ${card.missing.join(", ")}`,
        );
        continue;
      }
      this.totals.items++;
      if (card.truncated) {
        const productData: ProductData = {
          kind: "product",
          page,
          scrapedAt: fetchedAt,
          listing: card.listing,
        };
        this.pending.set(card.listing.url, productData);
        await ctx.addRequests([{ url: card.listing.url, userData: productData, label: "product" }], {
          forefront: true,
        });
      } else {
        complete.push(stampListing(card.listing, fetchedAt));
      }
    }
    return complete;
  }

  private async handleProduct(ctx: CheerioCrawlingContext<UserData>, data: ProductData): Promise<void> {
    const t0 = performance.now();
    const title = parseProductTitle(ctx.$, ctx.request.url);
    this.c.hooks.page(performance.now() - t0);
    this.totals.pages++;
    this.pending.delete(data.listing.url);
    const listing: ParsedListing = {
      ...data.listing,
      title,
      raw: { ...data.listing.raw, title_source: "product_page" },
    };
    await this.c.hooks.listings([stampListing(listing, data.scrapedAt)]);
  }

  private async fallback(data: ProductData, why: string): Promise<void> {
    this.c.hooks.warn(`${data.listing.url}: keeping the truncated card title (${why})`);
    const listing = { ...data.listing, raw: { ...data.listing.raw, title_truncated: "true" } };
    await this.c.hooks.listings([stampListing(listing, data.scrapedAt)]);
  }
}
