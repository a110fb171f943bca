/**
 * `phonepipe normalize`: listing titles and prices in, canonical fields out (transforms/normalize).
 * Streams: one output line per input line, in order, without holding the input in memory.
 */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { Readable, Writable } from "node:stream";
import { CsvError, Options as CsvOptions, parse as parseCsv } from "csv-parse";
import { parseCommandArgs, showHelp } from "../args";
import { UsageError } from "../command";
import {
  ListingInput,
  NormalizationInputError,
  normalizeListing,
  NormalizeOptions,
  UNMATCHED_CONFIDENCE,
  unmatchedKey,
} from "../../transforms/normalize";

export const description =
  "normalize listing titles and prices (JSON Lines or CSV on stdin) into canonical fields";

const HELP = `usage: phonepipe normalize [options] < listings

Reads one listing per line and writes one JSON object per input line to stdout, in input order:
  {"brand", "model", "storage_gb", "ram_gb", "color", "condition", "listing_type", "confidence",
   "price_amount", "price_currency", "price_egp"}   (null where unknown)

Input (stdin):
  JSON Lines (default): {"title": "...", "price_text": "...", "condition_text": "...", "source": "..."}
  --format csv: CSV with a header row; columns title (or product_name), price_text (or price),
                condition_text (or other_conditions), source. Other columns are ignored.

A line that is not valid input (bad JSON, no title, a malformed CSV row) is reported on stderr as
"line N: <reason>" and replaced in the output by {"line": N, "error": "<reason>"}; the other lines
are still processed and the exit status is 1 at the end.

Options:
  --format jsonl|csv        input format (default jsonl)
  --source NAME             source for lines that carry none (sets the default currency by country)
  --default-currency CODE   currency of a bare number when the source does not tell (default EGP)
  --fx CODE=RATE,...        EGP per unit, e.g. --fx USD=48.6,AED=13.2,SAR=12.9 (fills price_egp)
  --unmatched               report mode: instead of the records, write the most frequent titles that
                            matched no catalog model (confidence < ${UNMATCHED_CONFIDENCE}), one JSON line each:
                            {"count": N, "key": "<title without storage/RAM>", "example": "<a title>"}
  --top N                   how many unmatched groups to report (default 20)
  -h, --help                this help`;

interface Options {
  format: "jsonl" | "csv";
  source: string | null;
  normalize: NormalizeOptions;
  unmatched: boolean;
  top: number;
}

function parseOptions(args: string[]): Options | null {
  const a = parseCommandArgs(args, {
    command: "normalize",
    usage: HELP,
    options: {
      format: { type: "string" },
      source: { type: "string" },
      "default-currency": { type: "string" },
      fx: { type: "string" },
      unmatched: { type: "boolean", default: false },
      top: { type: "string" },
    },
  });
  if (a.help) return null;
  const format = a.choice("format", ["jsonl", "csv"], "jsonl");
  const top = a.int("top", 20, 1);
  const normalize: NormalizeOptions = {};
  const currency = a.string("default-currency");
  if (currency) {
    const code = currency.toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) a.fail("--default-currency must be an ISO code");
    normalize.defaultCurrency = code;
  }
  if (a.string("fx")) normalize.fxRatesToEgp = a.fx("fx");
  return { format, source: a.string("source") ?? null, normalize, unmatched: a.values.unmatched, top };
}

/** Buffered line output that waits for the consumer when its buffer is full (backpressure). */
class LineWriter {
  private chunks: string[] = [];
  private size = 0;
  private closed = false;
  constructor(private readonly out: Writable) {
    out.on("error", (err: NodeJS.ErrnoException) => {
      // The reader went away (`| head`): stop writing, do not crash.
      if (err.code === "EPIPE") this.closed = true;
      else throw err;
    });
  }
  async line(text: string): Promise<void> {
    this.chunks.push(text);
    this.size += text.length + 1;
    if (this.size >= 1 << 16) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.chunks.length === 0 || this.closed) return;
    const ok = this.out.write(this.chunks.join("\n") + "\n");
    this.chunks = [];
    this.size = 0;
    if (!ok && !this.closed) await once(this.out, "drain");
  }
}

/** Where records go: the normalized line, or the unmatched-title tally. */
interface Sink {
  record(line: number, input: ListingInput): Promise<void>;
  error(line: number, reason: string): Promise<void>;
  finish(): Promise<void>;
  errors: number;
}

function makeSink(opts: Options, writer: LineWriter): Sink {
  const groups = new Map<string, { count: number; example: string }>();
  const sink: Sink = {
    errors: 0,
    async record(line, input) {
      if (opts.source && (input.source === undefined || input.source === null)) input.source = opts.source;
      let result;
      try {
        result = normalizeListing(input, opts.normalize);
      } catch (err) {
        if (err instanceof NormalizationInputError) return sink.error(line, err.message);
        throw err;
      }
      if (!opts.unmatched) return writer.line(JSON.stringify(result));
      if (result.confidence >= UNMATCHED_CONFIDENCE) return;
      const key = unmatchedKey(input.title);
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { count: 1, example: input.title });
      // Bound memory on huge inputs: forget groups seen once.
      if (groups.size > 200_000) for (const [k, v] of groups) if (v.count === 1) groups.delete(k);
    },
    async error(line, reason) {
      sink.errors++;
      process.stderr.write(`phonepipe normalize: line ${line}: ${reason}\n`);
      if (!opts.unmatched) await writer.line(JSON.stringify({ line, error: reason }));
    },
    async finish() {
      if (opts.unmatched) {
        const top = [...groups.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, opts.top);
        for (const [key, g] of top)
          await writer.line(JSON.stringify({ count: g.count, key, example: g.example }));
      }
      await writer.flush();
    },
  };
  return sink;
}

/** A JSON line → listing input, or the reason it is not one. */
function jsonInput(text: string): ListingInput | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  return value as ListingInput;
}

async function runJsonl(input: Readable, sink: Sink): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    const parsed = text.trim() === "" ? "empty line" : jsonInput(text);
    if (typeof parsed === "string") await sink.error(n, parsed);
    else await sink.record(n, parsed);
  }
}

const CSV_COLUMNS: Readonly<Record<keyof ListingInput, readonly string[]>> = {
  title: ["title", "product_name", "name"],
  price_text: ["price_text", "price"],
  condition_text: ["condition_text", "other_conditions", "condition"],
  source: ["source"],
};

function csvInput(row: Record<string, string>): ListingInput {
  const pick = (names: readonly string[]): string | null => {
    for (const n of names) if (row[n] !== undefined) return row[n];
    return null;
  };
  return {
    title: pick(CSV_COLUMNS.title) ?? "",
    price_text: pick(CSV_COLUMNS.price_text),
    condition_text: pick(CSV_COLUMNS.condition_text),
    source: pick(CSV_COLUMNS.source),
  };
}

interface CsvItem {
  /** Rows skipped for errors since the previous record, reported before it to keep input order. */
  errorsBefore: { line: number; reason: string }[];
  row: Record<string, string> | null;
  line: number;
}

async function runCsv(input: Readable, sink: Sink): Promise<void> {
  let pendingErrors: { line: number; reason: string }[] = [];
  let headerChecked = false;
  // csv-parse 5.6 supports on_skip but its type definitions do not declare it yet.
  const csvOptions: CsvOptions & { on_skip: (err: CsvError | undefined) => void } = {
    bom: true,
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err)
        pendingErrors.push({ line: Number(err.lines) || 0, reason: `malformed CSV row: ${err.message}` });
    },
    on_record: (row: Record<string, string>, context): CsvItem => {
      const item = { errorsBefore: pendingErrors, row, line: context.lines };
      pendingErrors = [];
      return item;
    },
  };
  const parser = parseCsv(csvOptions);
  input.pipe(parser);
  for await (const item of parser as AsyncIterable<CsvItem>) {
    for (const e of item.errorsBefore) await sink.error(e.line, e.reason);
    if (!item.row) continue;
    if (!headerChecked) {
      headerChecked = true;
      if (!CSV_COLUMNS.title.some((c) => item.row && c in item.row)) {
        throw new UsageError(`normalize: CSV header has no title column (${CSV_COLUMNS.title.join(", ")})`);
      }
    }
    await sink.record(item.line, csvInput(item.row));
  }
  for (const e of pendingErrors) await sink.error(e.line, e.reason);
}

export async function run(args: string[]): Promise<number> {
  const opts = parseOptions(args);
  if (!opts) return showHelp(HELP);
  const writer = new LineWriter(process.stdout);
  const sink = makeSink(opts, writer);
  if (opts.format === "csv") await runCsv(process.stdin, sink);
  else await runJsonl(process.stdin, sink);
  await sink.finish();
  if (sink.errors > 0) {
    process.stderr.write(`phonepipe normalize: ${sink.errors} line(s) could not be normalized\n`);
    return 1;
  }
  return 0;
}
