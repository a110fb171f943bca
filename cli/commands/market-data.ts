import { existsSync } from "node:fs";
import { basename } from "node:path";
import { loadConfig, PlatformConfig } from "../../infra/config";
import { openAvroProducer, openDryRunSink, RecordSink } from "../../producers/avro-producer";
import { loadMarketData, LoadSummary, REFERENCE_TOPIC } from "../../producers/market-data/loader";
import { COLUMNS } from "../../producers/market-data/validate";
import { parseCommandArgs, showHelp } from "../args";

/** The principal it acts as on a secured Kafka and registry (docs/security.md). */
export const role = "loader";

export const description =
  "Load a market-data CSV (official retail prices, FX rates) into market.reference_prices";

const USAGE = `usage: phonepipe market-data load FILE.csv [--skip-bad] [--rejects FILE] [--dry-run]

  Columns: ${COLUMNS.join(",")}
  kind is retail_price (product_title, retailer, price, currency) or fx_rate (fx_base, fx_quote, fx_rate);
  effective_date is YYYY-MM-DD. Every row is validated; a file with bad rows is rejected as a whole,
  listing each bad line, unless --skip-bad.

  --skip-bad     load the good rows; write the bad ones with reasons to the rejects file
  --rejects F    where --skip-bad writes rejects (default $PHONEPIPE_DATA_DIR/market-data/rejects/<name>.rejects.csv)
  --dry-run      validate and count, send nothing`;

/** --dry-run: the shared dry-run sink; otherwise the Avro producer. */
async function openSink(cfg: PlatformConfig, dryRun: boolean): Promise<{ sink: RecordSink; dest: string }> {
  if (dryRun) return { sink: openDryRunSink(), dest: "dry run (nothing sent)" };
  const sink = await openAvroProducer({
    brokers: cfg.kafkaBrokers,
    registryUrl: cfg.registryUrl,
    clientId: "phonepipe-market-data",
  });
  return { sink, dest: `${REFERENCE_TOPIC} @ ${cfg.kafkaBrokers.join(",")}` };
}

/** The outcome on stderr; exit 1 when the file or a row (without --skip-bad) was rejected. */
function report(s: LoadSummary, name: string, dest: string): number {
  for (const e of s.fileErrors) console.error(e);
  if (s.fileErrors.length > 0) {
    console.error(`market-data load ${name}: REJECTED, the file itself is unusable; nothing loaded`);
    return 1;
  }
  if (!s.accepted) {
    console.error(
      `market-data load ${name}: REJECTED, ${s.rejected.length} bad row(s) of ${s.rows} (lines ${s.rejected.map((r) => r.line).join(", ")}); ` +
        `nothing loaded. Fix them, or load the rest with --skip-bad.`,
    );
    return 1;
  }
  console.error(
    `market-data load ${name}: rows=${s.rows} loaded=${s.loaded} rejected=${s.rejected.length}` +
      (s.rejectsFile ? ` (rejects with reasons -> ${s.rejectsFile})` : "") +
      ` -> ${dest}`,
  );
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, {
    command: "market-data",
    usage: USAGE,
    options: {
      "skip-bad": { type: "boolean", default: false },
      rejects: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    positionals: true,
  });
  if (a.help) return showHelp(USAGE);
  const [action, file] = a.positionals;
  if (action !== "load" || a.positionals.length !== 2) return a.fail("expected 'load FILE.csv'", true);
  if (!existsSync(file)) return a.fail(`no such file: ${file}`);
  const cfg = loadConfig();
  const { sink, dest } = await openSink(cfg, a.values["dry-run"]);
  let s;
  try {
    s = await loadMarketData({
      file,
      skipBad: a.values["skip-bad"],
      rejectsFile: a.string("rejects"),
      dataDir: cfg.dataDir,
      sink,
      log: (l) => console.error(l),
    });
  } finally {
    await sink.close();
  }
  return report(s, basename(file), dest);
}
