import { mkdirSync } from "node:fs";
// @crawlee/cheerio (part of the crawlee 3.18 dependency) re-exports the HTTP and core crawlers; importing the
// `crawlee` umbrella would also load the browser crawlers and cost seconds of start-up.
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Configuration, log, LogLevel } from "@crawlee/cheerio";
import type { BasicCrawlingContext, HttpCrawlerOptions } from "@crawlee/cheerio";
import { BreakageError } from "./errors";
import { ScrapedListing } from "./listing";
import { backoffMs, Politeness } from "./politeness";
import { ROBOTS_AGENT, RobotsCache } from "./robots";

/** What a site crawler reports back to the run (scrape-run.ts) while it crawls. */
export interface CrawlHooks {
  /** Complete listings parsed from one fetched page; awaited, so the crawl waits for them to be produced. */
  listings(records: ScrapedListing[]): Promise<void>;
  /** A page-level failure: breakage or a request that failed for good. */
  failure(message: string): void;
  /** A non-fatal problem (one card without a price, a fallback to the truncated title). */
  warn(message: string): void;
  /** One results/product page fetched and parsed, with the time spent in pure parsing. */
  page(parseMs: number): void;
  /** A request was not made because robots.txt disallows it. */
  skipped(url: string): void;
  /** A request is about to be retried. */
  retry(message: string): void;
}

export interface CrawlContext {
  /** robots.txt per origin, fetched with our User-Agent (see robots.ts). */
  robots: RobotsCache;
  baseUrl: string;
  query: string;
  maxPages: number;
  politeness: Politeness;
  /** Crawlee's working storage (in memory; the directory only anchors its configuration). */
  workDir: string;
  hooks: CrawlHooks;
}

export interface CrawlTotals {
  pages: number;
  items: number;
}

// Crawlee's own log would repeat every failure with a stack trace; the run reports each one itself (page and
// selector). PHONEPIPE_SCRAPER_DEBUG=1 brings crawlee's log back.
log.setLevel(process.env.PHONEPIPE_SCRAPER_DEBUG ? LogLevel.DEBUG : LogLevel.OFF);

/** A crawlee configuration whose storage stays in memory, outside the repository. */
export function crawleeConfig(workDir: string): Configuration {
  mkdirSync(workDir, { recursive: true });
  return new Configuration({
    persistStorage: false,
    purgeOnStart: true,
    storageClientOptions: { localDataDirectory: join(workDir, "crawlee"), persistStorage: false },
  });
}

/** HTTP status of the fetched page, read from crawlee's context. */
export function statusOf(ctx: { response?: { statusCode?: number } }): number {
  return ctx.response?.statusCode ?? 0;
}

/**
 * Crawler options shared by both sites: robots.txt, one request at a time, a per-domain delay, retries
 * on 429/5xx/network errors with exponential backoff and jitter (or Retry-After), our User-Agent.
 */
export function politeOptions(
  c: CrawlContext,
  /** The per-domain delay: the configured one, or robots.txt's Crawl-delay when that is longer. */
  delayMs: number,
  extraHeaders: Record<string, string>,
  onFinalFailure: (ctx: BasicCrawlingContext, error: Error) => Promise<void> | void,
): Partial<HttpCrawlerOptions> {
  const p = c.politeness;
  return {
    maxConcurrency: 1,
    maxRequestRetries: p.maxRetries,
    sameDomainDelaySecs: delayMs / 1000,
    respectRobotsTxtFile: { userAgent: ROBOTS_AGENT },
    useSessionPool: false,
    persistCookiesPerSession: false,
    additionalHttpErrorStatusCodes: [429],
    navigationTimeoutSecs: p.timeoutSecs,
    requestHandlerTimeoutSecs: Math.max(60, p.timeoutSecs * 2),
    preNavigationHooks: [
      (_ctx, gotOptions) => {
        gotOptions.useHeaderGenerator = false;
        gotOptions.headers = { ...gotOptions.headers, ...extraHeaders, "user-agent": p.userAgent };
      },
    ],
    errorHandler: async (ctx, error) => {
      if (error instanceof BreakageError) {
        ctx.request.noRetry = true;
        return;
      }
      const { request } = ctx;
      const response = (
        ctx as unknown as { response?: { headers?: Record<string, string | string[] | undefined> } }
      ).response;
      const ra = response?.headers?.["retry-after"];
      const wait = backoffMs(p, request.retryCount + 1, Array.isArray(ra) ? ra[0] : ra);
      c.hooks.retry(
        `retry ${request.retryCount + 1}/${p.maxRetries} of ${request.url} in ${(wait / 1000).toFixed(1)}s: ${firstLine(error)}`,
      );
      await sleep(wait);
    },
    failedRequestHandler: async (ctx, error) => {
      await onFinalFailure(ctx, error);
    },
    onSkippedRequest: async ({ url, reason }) => {
      if (reason === "robotsTxt") c.hooks.skipped(url);
    },
  };
}

export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0].slice(0, 300);
}

/** How a request that failed for good is reported: its error's first line, naming the page. */
export function failureMessage(url: string, error: unknown): string {
  const line = firstLine(error);
  return line.startsWith("page ") ? line : `page ${url}: ${line}`;
}

/**
 * Prepares a crawl of `startUrl`: reads robots.txt first (with our User-Agent) and returns the delay to use,
 * the larger of the configured delay and robots.txt's Crawl-delay.
 */
export async function prepareCrawl(
  c: CrawlContext,
  startUrl: string,
  log: (m: string) => void,
): Promise<number> {
  const policy = await c.robots.policy(startUrl);
  if (policy.note !== "robots.txt read") log(policy.note);
  return Math.max(c.politeness.delayMs, policy.crawlDelayMs ?? 0);
}

/** Thrown from a request handler for a 4xx other than 429: retrying will not help. */
export class PermanentHttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(
      `HTTP ${status} for ${url}${status === 403 ? " (blocked: bot protection, or headers no longer accepted)" : ""}`,
    );
    this.name = "PermanentHttpError";
  }
}
