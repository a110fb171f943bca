import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RecordSink } from "../avro-producer";
import { CrawlContext, CrawlHooks, CrawlTotals, firstLine } from "./crawl-common";
import { isNewObservation } from "./fingerprint";
import { FingerprintStore } from "./fingerprint-store";
import { listingKey, ScrapedListing } from "./listing";
import { crawlMobileMasr, MOBILEMASR_BASE_URL } from "./mobilemasr";
import { crawlNoon, NOON_BASE_URL } from "./noon";
import { Politeness } from "./politeness";
import { RobotsCache } from "./robots";

export const LISTINGS_TOPIC = "listings.scraped";
export const SOURCES = ["noon", "mobilemasr"] as const;
export type SourceName = (typeof SOURCES)[number];

export const SITES: Record<
  SourceName,
  { baseUrl: string; defaultQuery: string; crawl: (c: CrawlContext) => Promise<CrawlTotals> }
> = {
  noon: { baseUrl: NOON_BASE_URL, defaultQuery: "iphone 13", crawl: crawlNoon },
  mobilemasr: { baseUrl: MOBILEMASR_BASE_URL, defaultQuery: "iphone 13", crawl: crawlMobileMasr },
};

/** Where new observations go: a Kafka sink (real or dry-run) or a JSON Lines file. */
export interface ListingOutput {
  readonly description: string;
  write(records: ScrapedListing[]): Promise<void>;
  close(): Promise<void>;
}

export function sinkOutput(sink: RecordSink, description: string): ListingOutput {
  return {
    description,
    write: (records) =>
      sink.send(
        LISTINGS_TOPIC,
        records.map((r) => ({ key: listingKey(r.url), value: { ...r } })),
      ),
    close: () => sink.close(),
  };
}

/** JSON Lines, one listing per line, each validated against the topic schema first (when a validator is given). */
export function jsonlOutput(file: string, validate?: (value: unknown) => void): ListingOutput {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  return {
    description: file,
    write: async (records) => {
      if (records.length === 0) return;
      for (const r of records) validate?.(r);
      writeSync(fd, records.map((r) => JSON.stringify(r) + "\n").join(""));
    },
    close: async () => closeSync(fd),
  };
}

export interface ScrapeRunOptions {
  source: SourceName;
  baseUrl?: string;
  query?: string;
  maxPages: number;
  /** Re-emit every listing, ignoring the fingerprint store (which is still updated). */
  full: boolean;
  /** Keep the fingerprint store unchanged (dry runs). */
  readOnlyState?: boolean;
  /** `<data>/scraper-state`. */
  stateDir: string;
  politeness: Politeness;
  output: ListingOutput;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface ScrapeSummary {
  source: SourceName;
  pages: number;
  items: number;
  /** Observations produced (new or changed listings, or everything with --full). */
  new: number;
  unchanged: number;
  failures: string[];
  warnings: number;
  retries: number;
  skippedByRobots: number;
  parseMs: number;
  elapsedMs: number;
  /** Every record produced, in order (for the caller's tests and the benchmark). */
  produced: ScrapedListing[];
}

export function summaryLine(s: ScrapeSummary, dest: string): string {
  return (
    `scrape ${s.source}: pages=${s.pages} items=${s.items} new=${s.new} unchanged=${s.unchanged} ` +
    `failures=${s.failures.length} warnings=${s.warnings} retries=${s.retries} robots_skipped=${s.skippedByRobots} ` +
    `elapsed=${(s.elapsedMs / 1000).toFixed(1)}s -> ${dest}`
  );
}

/**
 * One scrape: crawl the site, keep only observations whose fingerprint changed (unless `full`), send them
 * to the output as each page is parsed, then persist the fingerprints of what was produced. Failures are
 * collected, never thrown past what was already produced; the caller turns them into the exit code.
 */
export async function runScrape(o: ScrapeRunOptions): Promise<ScrapeSummary> {
  const started = Date.now();
  const store = FingerprintStore.open(o.stateDir, o.source);
  const site = SITES[o.source];
  const s = emptySummary(o.source);
  const hooks = summaryHooks(o, s, store);
  const ctx: CrawlContext = {
    baseUrl: o.baseUrl ?? site.baseUrl,
    query: o.query ?? site.defaultQuery,
    maxPages: o.maxPages,
    politeness: o.politeness,
    robots: new RobotsCache(o.politeness),
    workDir: join(o.stateDir, "work", `${o.source}-${process.pid}`),
    hooks,
  };
  try {
    const totals = await site.crawl(ctx);
    s.pages = totals.pages;
    s.items = totals.items;
  } catch (e) {
    // e.g. robots.txt could not be read: crawlee stops the crawl.
    hooks.failure(`crawl of ${ctx.baseUrl} aborted: ${firstLine(e)}`);
  }
  if (s.pages === 0 && s.failures.length === 0) {
    hooks.failure(
      `no page of ${ctx.baseUrl} could be fetched` +
        (s.skippedByRobots > 0 ? " (disallowed by robots.txt)" : ""),
    );
  }
  rmSync(ctx.workDir, { recursive: true, force: true });
  if (!o.readOnlyState && s.new > 0) store.save();
  s.elapsedMs = Date.now() - started;
  return s;
}

function emptySummary(source: SourceName): ScrapeSummary {
  return {
    source,
    pages: 0,
    items: 0,
    new: 0,
    unchanged: 0,
    failures: [],
    warnings: 0,
    retries: 0,
    skippedByRobots: 0,
    parseMs: 0,
    elapsedMs: 0,
    produced: [],
  };
}

/**
 * The crawl's hooks: they count into the summary `s`, log progress, and write new observations to the
 * output (after the first write failure, nothing more is written).
 */
function summaryHooks(o: ScrapeRunOptions, s: ScrapeSummary, store: FingerprintStore): CrawlHooks {
  const log = o.log ?? (() => {});
  const state: { outputBroken: unknown } = { outputBroken: undefined };
  return {
    listings: async (records) => {
      const fresh = records.filter((r) => isNewObservation(store.known, r, o.full));
      s.unchanged += records.length - fresh.length;
      if (fresh.length === 0 || state.outputBroken) return;
      try {
        await o.output.write(fresh);
      } catch (e) {
        state.outputBroken = e;
        s.failures.push(`output ${o.output.description}: ${firstLine(e)}`);
        log(`scrape ${o.source}: FAILED writing to ${o.output.description}: ${firstLine(e)}`);
        return;
      }
      store.remember(fresh);
      s.new += fresh.length;
      s.produced.push(...fresh);
    },
    failure: (m) => {
      s.failures.push(m);
      log(`scrape ${o.source}: FAILED ${m}`);
    },
    warn: (m) => {
      s.warnings++;
      log(`scrape ${o.source}: warning: ${m}`);
    },
    page: (ms) => {
      s.parseMs += ms;
    },
    skipped: (url) => {
      s.skippedByRobots++;
      log(`scrape ${o.source}: skipped ${url} (disallowed by robots.txt)`);
    },
    retry: (m) => {
      s.retries++;
      log(`scrape ${o.source}: ${m}`);
    },
  };
}
