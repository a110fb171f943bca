import { join } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../command";
import { loadConfig } from "../../infra/config";
import { openAvroProducer, openDryRunSink, validateRecord } from "../../producers/avro-producer";
import { politenessFromEnv } from "../../producers/scrapers/politeness";
import {
  jsonlOutput,
  LISTINGS_TOPIC,
  ListingOutput,
  runScrape,
  sinkOutput,
  SourceName,
  SOURCES,
  summaryLine,
} from "../../producers/scrapers/scrape-run";

export const description = "Scrape competitor listings (noon, mobilemasr) into listings.scraped";

const USAGE = `usage: phonepipe scrape <noon|mobilemasr> [--query Q] [--base-url URL] [--max-pages N]
                        [--out FILE.jsonl] [--full] [--dry-run]

  --query Q        search query (default "iphone 13")
  --base-url URL   site root to scrape instead of the live site (e.g. a local fixture replay)
  --max-pages N    stop after N results pages (default 10)
  --out FILE       write new observations as JSON Lines to FILE instead of producing to Kafka
  --full           re-emit every listing, not only new or changed ones
  --dry-run        validate and count, send nothing, leave the fingerprint store unchanged

Politeness (environment): PHONEPIPE_SCRAPER_USER_AGENT, PHONEPIPE_SCRAPER_CONTACT_URL,
PHONEPIPE_SCRAPER_DELAY_MS, PHONEPIPE_SCRAPER_MAX_RETRIES, PHONEPIPE_SCRAPER_BACKOFF_MS,
PHONEPIPE_SCRAPER_BACKOFF_MAX_MS, PHONEPIPE_SCRAPER_TIMEOUT_S. State: $PHONEPIPE_DATA_DIR/scraper-state/.`;

/** --out: JSON Lines (schema-validated); --dry-run: the shared dry-run sink; otherwise Kafka. */
async function openOutput(
  out: string | undefined,
  dryRun: boolean,
  source: SourceName,
): Promise<ListingOutput> {
  if (out !== undefined) return jsonlOutput(out, (v) => validateRecord(LISTINGS_TOPIC, v));
  if (dryRun) return sinkOutput(openDryRunSink(), "dry run (nothing sent)");
  const cfg = loadConfig();
  const sink = await openAvroProducer({
    brokers: cfg.kafkaBrokers,
    registryUrl: cfg.registryUrl,
    clientId: `phonepipe-scrape-${source}`,
  });
  return sinkOutput(sink, `${LISTINGS_TOPIC} @ ${cfg.kafkaBrokers.join(",")}`);
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        query: { type: "string" },
        "base-url": { type: "string" },
        "max-pages": { type: "string" },
        out: { type: "string" },
        full: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`scrape: ${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !(SOURCES as readonly string[]).includes(positionals[0])) {
    throw new UsageError(`scrape: expected one source, noon or mobilemasr\n${USAGE}`);
  }
  const source = positionals[0] as SourceName;
  const maxPages = values["max-pages"] === undefined ? 10 : Number(values["max-pages"]);
  if (!Number.isInteger(maxPages) || maxPages < 1)
    throw new UsageError(`scrape: --max-pages must be a positive integer`);
  if (values["base-url"] !== undefined) {
    try {
      const u = new URL(values["base-url"]);
      if (!/^https?:$/.test(u.protocol)) throw new Error("not http(s)");
    } catch {
      throw new UsageError(`scrape: --base-url '${values["base-url"]}' is not an http(s) URL`);
    }
  }
  if (values.query !== undefined && values.query.trim() === "")
    throw new UsageError(`scrape: --query is empty`);

  const cfg = loadConfig();
  let politeness;
  try {
    politeness = politenessFromEnv(process.env);
  } catch (e) {
    throw new UsageError(`scrape: ${(e as Error).message}`);
  }
  const dryRun = values["dry-run"];
  const output = await openOutput(values.out, dryRun, source);
  const summary = await (async () => {
    try {
      return await runScrape({
        source,
        baseUrl: values["base-url"],
        query: values.query,
        maxPages,
        full: values.full,
        readOnlyState: dryRun,
        stateDir: join(cfg.dataDir, "scraper-state"),
        politeness,
        output,
        log: (line) => console.error(line),
      });
    } finally {
      await output.close();
    }
  })();
  console.error(summaryLine(summary, output.description));
  return summary.failures.length > 0 ? 1 : 0;
}
