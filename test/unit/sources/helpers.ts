import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateRecord } from "../../../producers/avro-producer";
import { Politeness } from "../../../producers/scrapers/politeness";
import { ListingOutput, LISTINGS_TOPIC } from "../../../producers/scrapers/scrape-run";
import { ScrapedListing } from "../../../producers/scrapers/listing";

/** Politeness for tests: no delay, quick backoff (a Retry-After of 1 s is capped to 200 ms). */
export const FAST: Politeness = {
  userAgent: "phonepipe-scraper/test (+https://example.test/contact)",
  delayMs: 0,
  maxRetries: 2,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  timeoutSecs: 10,
};

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `phonepipe-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An output that keeps what it is given, validating each record against listings.scraped first. */
export function memoryOutput(): ListingOutput & { records: ScrapedListing[] } {
  const records: ScrapedListing[] = [];
  return {
    description: "memory",
    records,
    write: async (rs) => {
      for (const r of rs) validateRecord(LISTINGS_TOPIC, r);
      records.push(...rs);
    },
    close: async () => {},
  };
}

export function readJsonl<T = Record<string, unknown>>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

/** Runs `fn` with console.error captured (the CLI writes progress and summaries there). */
export async function captureStderr<T>(fn: () => Promise<T>): Promise<{ result: T; stderr: string[] }> {
  const lines: string[] = [];
  const orig = console.error;
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    return { result: await fn(), stderr: lines };
  } finally {
    console.error = orig;
  }
}

/** Sets environment variables for the duration of `fn`. */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
