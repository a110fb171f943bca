import { join } from "node:path";
import { CommandArgs, parseCommandArgs, showHelp } from "../args";
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

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "scraper";

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

const OPTIONS = {
  query: { type: "string" },
  "base-url": { type: "string" },
  "max-pages": { type: "string" },
  out: { type: "string" },
  full: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
} as const;

/** The source and the checked options, before anything is fetched or opened. */
function readOptions(a: CommandArgs<typeof OPTIONS>) {
  const [source] = a.positionals;
  if (a.positionals.length !== 1 || !(SOURCES as readonly string[]).includes(source))
    a.fail("expected one source, noon or mobilemasr", true);
  const maxPages = a.int("max-pages", 10, 1);
  const baseUrl = a.string("base-url");
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) a.fail(`--base-url '${baseUrl}' is not an http(s) URL`);
  const query = a.string("query");
  if (query !== undefined && query.trim() === "") a.fail("--query is empty");
  return { source: source as SourceName, maxPages, baseUrl, query };
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, { command: "scrape", usage: USAGE, options: OPTIONS, positionals: true });
  if (a.help) return showHelp(USAGE);
  const { source, maxPages, baseUrl, query } = readOptions(a);
  const cfg = loadConfig();
  let politeness;
  try {
    politeness = politenessFromEnv(process.env);
  } catch (e) {
    return a.fail((e as Error).message);
  }
  const dryRun = a.values["dry-run"];
  const output = await openOutput(a.string("out"), dryRun, source);
  let summary;
  try {
    summary = await runScrape({
      source,
      baseUrl,
      query,
      maxPages,
      full: a.values.full,
      readOnlyState: dryRun,
      stateDir: join(cfg.dataDir, "scraper-state"),
      politeness,
      output,
      log: (line) => console.error(line),
    });
  } finally {
    await output.close();
  }
  console.error(summaryLine(summary, output.description));
  return summary.failures.length > 0 ? 1 : 0;
}
