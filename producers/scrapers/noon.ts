import { performance } from "node:perf_hooks";
import { HttpCrawler } from "@crawlee/cheerio";
import type { RobotsTxtFile } from "@crawlee/utils";
import { RobotsCache } from "./robots";
import type { BasicCrawlingContext, HttpCrawlingContext } from "@crawlee/cheerio";
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
import { stampListing } from "./listing";
import {
  hitToListing,
  NOON_API_HEADERS,
  NoonHit,
  parseProductResponse,
  parseSearchResponse,
  productApiUrl,
  searchApiUrl,
} from "./noon-parse";

/** The production base URL; tests and the demo pass a local replay instead. */
export const NOON_BASE_URL = "https://www.noon.com";

interface SearchData {
  kind: "search";
  page: number;
}
interface ProductData {
  kind: "product";
  page: number;
  scrapedAt: number;
  hit: NoonHit;
}
type UserData = SearchData | ProductData;

function parseJson(ctx: HttpCrawlingContext, pageUrl: string): unknown {
  const text = Buffer.isBuffer(ctx.body) ? ctx.body.toString("utf8") : String(ctx.body);
  try {
    return JSON.parse(text);
  } catch {
    throw new BreakageError(
      pageUrl,
      "$",
      `response is not JSON (content-type ${ctx.contentType?.type ?? "?"})`,
    );
  }
}

/** HttpCrawler whose robots.txt comes from the crawl's RobotsCache (fetched with our User-Agent). */
class PoliteHttpCrawler extends HttpCrawler<HttpCrawlingContext> {
  robotsCache?: RobotsCache;

  protected override async getRobotsTxtFileForUrl(url: string): Promise<RobotsTxtFile | undefined> {
    return this.robotsCache ? (await this.robotsCache.policy(url)).file : super.getRobotsTxtFileForUrl(url);
  }
}

/**
 * Crawls Noon's catalog search API: page 1 says how many pages there are (`nbPages`), pages 2..N follow up
 * to `maxPages`; each hit's product request supplies the seller, the offer price and the stock.
 */
export async function crawlNoon(c: CrawlContext): Promise<CrawlTotals> {
  const crawl = new NoonCrawl(c);
  const startUrl = searchApiUrl(c.baseUrl, c.query, 1);
  const delayMs = await prepareCrawl(c, startUrl, (m) => c.hooks.warn(m));
  const options = politeOptions(c, delayMs, NOON_API_HEADERS, crawl.onFailed);
  const crawler = new PoliteHttpCrawler(
    { ...(options as object), requestHandler: crawl.handle },
    crawleeConfig(c.workDir),
  );
  crawler.robotsCache = c.robots;
  await crawler.run([{ url: startUrl, userData: { kind: "search", page: 1 } }]);
  return crawl.totals;
}

/** One crawl's handlers and totals. */
class NoonCrawl {
  readonly totals: CrawlTotals = { pages: 0, items: 0 };

  constructor(private readonly c: CrawlContext) {}

  /** The request handler: a search page or a product; breakage is never retried. */
  readonly handle = async (ctx: HttpCrawlingContext<UserData>): Promise<void> => {
    const { request } = ctx;
    const data = request.userData;
    const status = statusOf(ctx);
    if (status >= 400) {
      request.noRetry = true;
      throw new PermanentHttpError(request.url, status);
    }
    const fetchedAt = Date.now();
    try {
      if (data.kind === "search") await this.handleSearch(ctx, data, fetchedAt);
      else await this.handleProduct(ctx, data);
    } catch (e) {
      if (e instanceof BreakageError) request.noRetry = true;
      throw e;
    }
  };

  /** A request that failed for good: reported; a product is produced from its search hit alone. */
  readonly onFailed = async (ctx: BasicCrawlingContext, error: Error): Promise<void> => {
    const data = ctx.request.userData as UserData;
    this.c.hooks.failure(failureMessage(ctx.request.url, error));
    if (data.kind === "product") {
      // Keep what the search page said; seller and stock stay unknown.
      this.c.hooks.warn(`${data.hit.sku}: produced from the search hit only (product request failed)`);
      const listing = hitToListing(data.hit, null, this.pageContext(data.page));
      await this.c.hooks.listings([stampListing(listing, data.scrapedAt)]);
    }
  };

  private pageContext(page: number): { baseUrl: string; page: number; query: string } {
    return { baseUrl: this.c.baseUrl, page, query: this.c.query };
  }

  private async handleSearch(
    ctx: HttpCrawlingContext<UserData>,
    data: SearchData,
    fetchedAt: number,
  ): Promise<void> {
    const { request } = ctx;
    const c = this.c;
    const t0 = performance.now();
    const parsed = parseSearchResponse(parseJson(ctx, request.url), request.url, data.page);
    c.hooks.page(performance.now() - t0);
    this.totals.pages++;
    for (const bad of parsed.invalid) {
      c.hooks.warn(`page ${request.url}: hit ${bad.index + 1} skipped, missing ${bad.field}`);
    }
    if (parsed.hits.length === 0 && parsed.invalid.length === 0) {
      throw new BreakageError(
        request.url,
        "hits",
        `no items on page ${data.page} although nbPages=${parsed.nbPages}${parsed.nbHits !== null ? ` nbHits=${parsed.nbHits}` : ""}`,
      );
    }
    if (data.page === 1) {
      const last = Math.min(parsed.nbPages, c.maxPages);
      const next = [];
      for (let p = 2; p <= last; p++)
        next.push({ url: searchApiUrl(c.baseUrl, c.query, p), userData: { kind: "search", page: p } });
      await ctx.addRequests(next);
    }
    this.totals.items += parsed.hits.length;
    await ctx.addRequests(
      parsed.hits.map((hit) => ({
        url: productApiUrl(c.baseUrl, hit),
        uniqueKey: `product:${hit.sku}:${hit.offer_code}:${data.page}`,
        userData: { kind: "product", page: data.page, scrapedAt: fetchedAt, hit } satisfies ProductData,
      })),
      { forefront: true },
    );
  }

  private async handleProduct(ctx: HttpCrawlingContext<UserData>, data: ProductData): Promise<void> {
    const t0 = performance.now();
    const product = parseProductResponse(
      parseJson(ctx, ctx.request.url),
      ctx.request.url,
      data.hit.offer_code,
    );
    const listing = hitToListing(data.hit, product, this.pageContext(data.page));
    this.c.hooks.page(performance.now() - t0);
    this.totals.pages++;
    await this.c.hooks.listings([stampListing(listing, data.scrapedAt)]);
  }
}
