import { resolve } from "node:path";
import { loadCatalog, schemaDir } from "../../schemas/catalog";
import { staleCatalogFiles, writeCatalogFiles } from "../../schemas/catalog-files";
import { parseCommandArgs, showHelp } from "../args";

export const description = "list the topic catalog, or regenerate / check the files derived from it";

const HELP = `usage: phonepipe catalog list|generate|check

  list      every topic of the catalog (schemas/avro/*.topic.yaml) with its key, event time and columns
  generate  rewrite the files derived from the catalog (dbt landing sources and contract macro,
            schemas/generated/catalog.json)
  check     exit 1 when a derived file differs from what the catalog gives (run generate to fix)`;

const repoRoot = (): string => resolve(process.env.PHONEPIPE_ROOT ?? resolve(__dirname, "..", "..", ".."));

function list(): number {
  for (const s of loadCatalog())
    console.log(
      `${s.topic.padEnd(28)} key ${s.key.padEnd(14)} event time ${s.eventTime.padEnd(13)} ` +
        `${s.partitions} partition(s), ${s.retentionDays} d, ${s.columns.length} columns` +
        (s.hook ? `, hook ${s.hook}` : ""),
    );
  return 0;
}

function generate(): number {
  const written = writeCatalogFiles(repoRoot());
  for (const f of written) console.log(`catalog: wrote ${f}`);
  console.log(`catalog: ${written.length} file(s) changed from ${schemaDir()}`);
  return 0;
}

function check(): number {
  const stale = staleCatalogFiles(repoRoot());
  if (stale.length === 0) {
    console.log("catalog: generated files match the catalog");
    return 0;
  }
  for (const f of stale) console.error(`catalog: ${f} is out of date with the catalog`);
  console.error("catalog: run `make catalog` (phonepipe catalog generate) and commit the result");
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const a = parseCommandArgs(args, { command: "catalog", usage: HELP, options: {}, positionals: true });
  if (a.help) return showHelp(HELP);
  const actions: Record<string, () => number> = { list, generate, check };
  const action = actions[a.positionals[0] ?? ""];
  if (!action || a.positionals.length !== 1) return a.fail("expected list, generate or check", true);
  return action();
}
