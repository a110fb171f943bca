import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { parse } from "csv-parse/sync";
import type { RecordSink } from "../avro-producer";
import { RawRow, Rejected, validateRows } from "./validate-file";

export const REFERENCE_TOPIC = "market.reference_prices";

export interface LoadOptions {
  file: string;
  /** Load the good rows and write the bad ones with reasons to `rejectsFile`. */
  skipBad: boolean;
  sink: RecordSink;
  /** Default: `<dataDir>/market-data/rejects/<name>.rejects.csv`. */
  rejectsFile?: string;
  dataDir: string;
  log?: (line: string) => void;
  now?: () => number;
}

export interface LoadSummary {
  rows: number;
  loaded: number;
  rejected: Rejected[];
  /** Problems that reject the whole file whatever the flags (unreadable CSV, bad header, no rows). */
  fileErrors: string[];
  rejectsFile: string | null;
  /** true when rows were sent (all of them, or the good ones with --skip-bad). */
  accepted: boolean;
}

/** Reads a CSV into its header and data rows with the line number each row starts on (header = 1). */
export function readCsv(text: string): { header: string[]; rows: RawRow[] } {
  const out = parse(text, {
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
  }) as {
    record: string[];
    raw: string;
    info: { lines: number };
  }[];
  const rows: RawRow[] = out.map((r) => {
    const body = r.raw.replace(/\r?\n$/, "");
    const leading = /^(\r?\n)*/.exec(body)?.[0] ?? "";
    const inner = (body.slice(leading.length).match(/\n/g) ?? []).length;
    return { line: r.info.lines - inner, cells: r.record };
  });
  const [head, ...data] = rows;
  return { header: head?.cells ?? [], rows: data };
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function rejectsCsv(header: string[], rejected: Rejected[]): string {
  const lines = [["line", "reasons", ...header].map(csvCell).join(",")];
  for (const r of rejected)
    lines.push([String(r.line), r.reasons.join("; "), ...r.cells].map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

export function defaultRejectsFile(dataDir: string, file: string): string {
  return join(dataDir, "market-data", "rejects", `${basename(file, extname(file))}.rejects.csv`);
}

/**
 * Validates every row of a market-data CSV, then either rejects the file (listing each bad line) or, with
 * skipBad, writes the bad rows with their reasons to a side file and produces the good ones. Nothing is
 * dropped without being reported.
 */
export async function loadMarketData(o: LoadOptions): Promise<LoadSummary> {
  const log = o.log ?? (() => {});
  const now = o.now ?? Date.now;
  const name = basename(o.file);
  const s: LoadSummary = {
    rows: 0,
    loaded: 0,
    rejected: [],
    fileErrors: [],
    rejectsFile: null,
    accepted: false,
  };
  let csv: { header: string[]; rows: RawRow[] };
  try {
    csv = readCsv(readFileSync(o.file, "utf8"));
  } catch (e) {
    s.fileErrors.push(`${name}: cannot read as CSV: ${(e as Error).message.split("\n")[0]}`);
    return s;
  }
  s.rows = csv.rows.length;
  const v = validateRows(csv.header, csv.rows, { sourceFile: name, loadedAt: now(), today: new Date(now()) });
  if (v.headerErrors.length > 0) {
    s.fileErrors.push(...v.headerErrors.map((e) => `${name}:1: ${e}`));
    return s;
  }
  s.rejected = v.rejected;
  for (const r of v.rejected) log(`${name}:${r.line}: ${r.reasons.join("; ")}`);
  if (v.rejected.length > 0 && !o.skipBad) return s;
  if (v.rejected.length > 0) {
    s.rejectsFile = o.rejectsFile ?? defaultRejectsFile(o.dataDir, o.file);
    mkdirSync(dirname(s.rejectsFile), { recursive: true });
    writeFileSync(s.rejectsFile, rejectsCsv(csv.header, v.rejected));
  }
  const records = v.good.map((r) => ({ key: r.record_id, value: r as unknown as Record<string, unknown> }));
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    await o.sink.send(REFERENCE_TOPIC, chunk);
    s.loaded += chunk.length;
  }
  s.accepted = true;
  return s;
}
