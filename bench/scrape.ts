/**
 * Scraper benchmark against the local fixture sites (test/fixtures/sites): pages per second and parse time
 * per page for each scraper, next to a baseline measured in the same run: a plain sequential HTTP fetch of
 * exactly the pages the scraper requested, without crawlee and without parsing. The gap between the two is
 * the crawler's own overhead (queue, robots.txt, retries machinery) plus parsing.
 *
 *   node dist/bench/scrape.js [--rounds N]      (make bench-scrape)
 *
 * The last line is one JSON object with the figures.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { NOON_API_HEADERS } from "../producers/scrapers/noon-parse";
import { runScrape, SourceName } from "../producers/scrapers/scrape-run";
import { startFixtureSite } from "../infra/fixture-site";

const QUERIES: Record<SourceName, string> = { mobilemasr: "13", noon: "iphone" };

interface Figures {
  rounds: number;
  pages_per_round: number;
  listings_per_round: number;
  /** Whole runs, crawler start-up and robots.txt included. */
  scrape_pages_per_s: number;
  /** From the median gap between consecutive page requests inside a run (start-up excluded). */
  steady_pages_per_s: number;
  parse_ms_per_page: number;
  baseline_fetch_pages_per_s: number;
  scrape_vs_baseline: number;
}

async function bench(source: SourceName, rounds: number): Promise<Figures> {
  const site = await startFixtureSite(source);
  const state = mkdtempSync(join(tmpdir(), `phonepipe-bench-${source}-`));
  try {
    let pages = 0;
    let listings = 0;
    let parseMs = 0;
    let scrapeMs = 0;
    const gaps: number[] = [];
    // Round 0 warms up (module loading, JIT) and is not counted.
    for (let i = 0; i <= rounds; i++) {
      const firstRequest = site.requests.length;
      const t0 = performance.now();
      const s = await runScrape({
        source,
        baseUrl: site.baseUrl,
        query: QUERIES[source],
        maxPages: 10,
        full: true,
        stateDir: state,
        politeness: {
          userAgent: "phonepipe-scraper/bench",
          delayMs: 0,
          maxRetries: 0,
          backoffBaseMs: 0,
          backoffMaxMs: 0,
          timeoutSecs: 10,
        },
        output: { description: "none", write: async () => {}, close: async () => {} },
      });
      const ms = performance.now() - t0;
      if (s.failures.length > 0) throw new Error(`${source}: ${s.failures.join("; ")}`);
      if (i === 0) continue;
      const at = site.requests.slice(firstRequest).map((r) => r.at);
      for (let k = 2; k < at.length; k++) gaps.push(at[k] - at[k - 1]); // page to page, after robots.txt and the first page
      scrapeMs += ms;
      pages += s.pages;
      listings += s.produced.length;
      parseMs += s.parseMs;
    }
    // Baseline: the same requests (as logged by the fixture server), fetched one after the other, body read, not parsed.
    const urls = site.requests.filter((r) => r.url !== "/robots.txt").map((r) => site.baseUrl + r.url);
    gaps.sort((a, b) => a - b);
    const medianGap = gaps.length > 0 ? Math.max(1, gaps[Math.floor(gaps.length / 2)]) : NaN;
    const headers = source === "noon" ? NOON_API_HEADERS : {};
    const t0 = performance.now();
    for (const u of urls) {
      const res = await fetch(u, { headers });
      await res.arrayBuffer();
    }
    const baselineMs = performance.now() - t0;
    const scrapePps = pages / (scrapeMs / 1000);
    const basePps = urls.length / (baselineMs / 1000);
    return {
      rounds,
      pages_per_round: pages / rounds,
      listings_per_round: listings / rounds,
      scrape_pages_per_s: Math.round(scrapePps * 10) / 10,
      steady_pages_per_s: Math.round((1000 / medianGap) * 10) / 10,
      parse_ms_per_page: Math.round((parseMs / pages) * 1000) / 1000,
      baseline_fetch_pages_per_s: Math.round(basePps * 10) / 10,
      scrape_vs_baseline: Math.round((scrapePps / basePps) * 1000) / 1000,
    };
  } finally {
    rmSync(state, { recursive: true, force: true });
    await site.close();
  }
}

async function main(): Promise<number> {
  const i = process.argv.indexOf("--rounds");
  const rounds = i > 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error("usage: node dist/bench/scrape.js [--rounds N]");
    return 2;
  }
  const out: Record<string, Figures> = {};
  for (const source of ["mobilemasr", "noon"] as const) {
    const f = await bench(source, rounds);
    out[source] = f;
    console.log(
      `${source.padEnd(10)} scrape ${f.scrape_pages_per_s.toFixed(1).padStart(6)} pages/s (steady ${f.steady_pages_per_s.toFixed(1)}), ` +
        `parse ${f.parse_ms_per_page.toFixed(3)} ms/page ` +
        `| baseline fetch ${f.baseline_fetch_pages_per_s.toFixed(1).padStart(7)} pages/s | ratio ${f.scrape_vs_baseline.toFixed(2)} ` +
        `(${f.pages_per_round} pages, ${f.listings_per_round} listings per round, ${f.rounds} rounds)`,
    );
  }
  console.log(JSON.stringify({ bench: "scrape", ...out }));
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
