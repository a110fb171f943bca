import { existsSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../command";
import { loadConfig } from "../../infra/config";
import { openAvroProducer, openDryRunSink, RecordSink } from "../../producers/avro-producer";
import { loadMarketData, REFERENCE_TOPIC } from "../../producers/market-data/loader";
import { COLUMNS } from "../../producers/market-data/validate";

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

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        "skip-bad": { type: "boolean", default: false },
        rejects: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`market-data: ${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] !== "load" || positionals.length !== 2)
    throw new UsageError(`market-data: expected 'load FILE.csv'\n${USAGE}`);
  const file = positionals[1];
  if (!existsSync(file)) throw new UsageError(`market-data: no such file: ${file}`);
  const cfg = loadConfig();
  const dryRun = values["dry-run"];
  const sink: RecordSink = dryRun
    ? openDryRunSink()
    : await openAvroProducer({
        brokers: cfg.kafkaBrokers,
        registryUrl: cfg.registryUrl,
        clientId: "phonepipe-market-data",
      });
  const dest = dryRun ? "dry run (nothing sent)" : `${REFERENCE_TOPIC} @ ${cfg.kafkaBrokers.join(",")}`;
  let s;
  try {
    s = await loadMarketData({
      file,
      skipBad: values["skip-bad"],
      rejectsFile: values.rejects,
      dataDir: cfg.dataDir,
      sink,
      log: (l) => console.error(l),
    });
  } finally {
    await sink.close();
  }
  const name = basename(file);
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
