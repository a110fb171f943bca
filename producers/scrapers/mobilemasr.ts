import { performance } from "node:perf_hooks";
import { CheerioCrawler } from "@crawlee/cheerio";
import type { RobotsTxtFile } from "@crawlee/utils";
import { RobotsCache } from "./robots";
import type { CheerioCrawlingContext } from "@crawlee/cheerio";
import { BreakageError } from "./errors";
import {
  CrawlContext,
  CrawlTotals,
  crawleeConfig,
  firstLine,
  PermanentHttpError,
  politeOptions,
  prepareCrawl,
  statusOf,
} from "./crawl-common";
import { ParsedListing, ScrapedListing, stampListing } from "./listing";
import { parseProductTitle, parseResultsPage, SEL, searchUrl } from "./mobilemasr-parse";

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
  const totals: CrawlTotals = { pages: 0, items: 0 };
  /** Cards waiting for their product page, by product URL (for robots.txt skips). */
  const pending = new Map<string, ProductData>();

  const fallback = async (data: ProductData, why: string) => {
    c.hooks.warn(`${data.listing.url}: keeping the truncated card title (${why})`);
    const listing = { ...data.listing, raw: { ...data.listing.raw, title_truncated: "true" } };
    await c.hooks.listings([stampListing(listing, data.scrapedAt)]);
  };

  const handle = async (ctx: CheerioCrawlingContext<UserData>) => {
    const { request, $ } = ctx;
    const data = request.userData;
    const status = statusOf(ctx);
    if (status >= 400) {
      request.noRetry = true;
      throw new PermanentHttpError(request.url, status);
    }
    const fetchedAt = Date.now();
    if (data.kind === "results") {
      const t0 = performance.now();
      const parsed = parseResultsPage($, request.url, data.page, c.query);
      c.hooks.page(performance.now() - t0);
      totals.pages++;
      if (parsed.cards.length === 0) {
        if (data.page === 1) {
          request.noRetry = true;
          throw new BreakageError(request.url, SEL.card, "no items on the first results page");
        }
        return; // an empty page after the first one is the end of the results
      }
      const complete: ScrapedListing[] = [];
      for (const card of parsed.cards) {
        if (!card.listing) {
          c.hooks.warn(
            `page ${request.url}: card ${card.index + 1} skipped, missing ${card.missing.join(", ")}`,
          );
          continue;
        }
        totals.items++;
        if (card.truncated) {
          const productData: ProductData = {
            kind: "product",
            page: data.page,
            scrapedAt: fetchedAt,
            listing: card.listing,
          };
          pending.set(card.listing.url, productData);
          await ctx.addRequests([{ url: card.listing.url, userData: productData, label: "product" }], {
            forefront: true,
          });
        } else {
          complete.push(stampListing(card.listing, fetchedAt));
        }
      }
      await c.hooks.listings(complete);
      if (data.page < c.maxPages) {
        const next = data.page + 1;
        await ctx.addRequests([
          { url: searchUrl(c.baseUrl, c.query, next), userData: { kind: "results", page: next } },
        ]);
      }
    } else {
      const t0 = performance.now();
      const title = parseProductTitle($, request.url);
      c.hooks.page(performance.now() - t0);
      totals.pages++;
      pending.delete(data.listing.url);
      const listing: ParsedListing = {
        ...data.listing,
        title,
        raw: { ...data.listing.raw, title_source: "product_page" },
      };
      await c.hooks.listings([stampListing(listing, data.scrapedAt)]);
    }
  };

  const startUrl = searchUrl(c.baseUrl, c.query, 1);
  const delayMs = await prepareCrawl(c, startUrl, (m) => c.hooks.warn(m));
  const options = politeOptions(
    c,
    delayMs,
    { accept: "text/html,application/xhtml+xml" },
    async (ctx, error) => {
      const data = ctx.request.userData as UserData;
      c.hooks.failure(
        firstLine(error).startsWith("page ")
          ? firstLine(error)
          : `page ${ctx.request.url}: ${firstLine(error)}`,
      );
      if (data.kind === "product") {
        pending.delete(data.listing.url);
        await fallback(data, "product page failed");
      }
    },
  );
  const crawler = new PoliteCheerioCrawler(
    {
      ...(options as object),
      requestHandler: handle,
      onSkippedRequest: async ({ url, reason }) => {
        if (reason !== "robotsTxt") return;
        c.hooks.skipped(url);
        const data = pending.get(url);
        if (data) {
          pending.delete(url);
          await fallback(data, "product page disallowed by robots.txt");
        }
      },
    },
    crawleeConfig(c.workDir),
  );
  crawler.robotsCache = c.robots;
  await crawler.run([{ url: startUrl, userData: { kind: "results", page: 1 } }]);
  return totals;
}
