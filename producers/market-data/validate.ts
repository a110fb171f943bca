import { createHash } from "node:crypto";

/**
 * Pure validation of manually uploaded market data (no I/O): official retail prices and FX rates, one CSV
 * row each. Every problem of a row is reported, named by column, so an analyst can fix the file in one go.
 */

export const COLUMNS = [
  "kind",
  "product_title",
  "retailer",
  "price",
  "currency",
  "fx_base",
  "fx_quote",
  "fx_rate",
  "effective_date",
] as const;
export type Column = (typeof COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly Column[] = COLUMNS;

/** ISO 4217 codes this marketplace meets in practice; anything else is far more likely a typo. */
export const KNOWN_CURRENCIES = new Set([
  "EGP",
  "USD",
  "EUR",
  "GBP",
  "AED",
  "SAR",
  "KWD",
  "QAR",
  "BHD",
  "OMR",
  "JOD",
  "CNY",
  "JPY",
  "TRY",
  "CHF",
]);

export type Kind = "retail_price" | "fx_rate";

/** A `market.reference_prices` value, shaped as schemas/avro/market.reference_prices.avsc. */
export interface ReferencePrice {
  record_id: string;
  kind: Kind;
  product_title: string | null;
  retailer: string | null;
  price: number | null;
  currency: string | null;
  fx_base: string | null;
  fx_quote: string | null;
  fx_rate: number | null;
  effective_date: string;
  source_file: string;
  source_line: number;
  loaded_at: number;
}

export type RowResult =
  { ok: true; record: ReferencePrice; subject: string } | { ok: false; errors: string[] };

/** Header problems: missing, unknown or repeated columns. Empty when the header is usable. */
export function validateHeader(header: string[]): string[] {
  const errors: string[] = [];
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) errors.push(`column '${n}' appears twice`);
    seen.add(n);
    if (!(COLUMNS as readonly string[]).includes(n))
      errors.push(`unknown column '${n}' (expected ${COLUMNS.join(",")})`);
  }
  for (const c of REQUIRED_COLUMNS) if (!seen.has(c)) errors.push(`missing column '${c}'`);
  return errors;
}

const AMOUNT = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$/;
const RATE = /^\d+(?:\.\d{1,8})?$/;

/** A positive money amount with at most 2 decimals that fits DECIMAL(14,2); thousands commas allowed. */
export function parseAmount(s: string): number | string {
  if (/^-\s*[\d.,]+$/.test(s)) return `'${s}' is not a positive amount`;
  if (!AMOUNT.test(s))
    return `'${s}' is not an amount (digits, optional thousands commas, at most 2 decimals)`;
  const n = Number(s.replace(/,/g, ""));
  if (!(n > 0)) return `'${s}' is not a positive amount`;
  if (Math.floor(n).toString().length > 12) return `'${s}' is too large for DECIMAL(14,2)`;
  return n;
}

/** 'YYYY-MM-DD' that is a real calendar date between 2000-01-01 and a year after `today`. */
export function parseDate(s: string, today: Date): string | { error: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return { error: `'${s}' is not a date in YYYY-MM-DD form` };
  const ms = Date.parse(`${s}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s)
    return { error: `'${s}' is not a real calendar date` };
  if (s < "2000-01-01") return { error: `'${s}' is before 2000-01-01` };
  const limit = new Date(today.getTime() + 366 * 86_400_000).toISOString().slice(0, 10);
  if (s > limit) return { error: `'${s}' is more than a year in the future` };
  return s;
}

export function recordId(kind: Kind, subject: string, effectiveDate: string): string {
  return createHash("sha256").update([kind, subject, effectiveDate].join("\u0000")).digest("hex");
}

/**
 * Validates one data row (`line` is its line number in the file, header = 1) and builds its record.
 * Empty cells are null; surrounding whitespace is trimmed.
 */
export function validateRow(
  row: Partial<Record<Column, string>>,
  line: number,
  ctx: { sourceFile: string; loadedAt: number; today: Date },
): RowResult {
  const errors: string[] = [];
  const v = (c: Column): string => (row[c] ?? "").trim();
  const kind = v("kind");
  const dateRaw = v("effective_date");
  let effectiveDate = "";
  if (!dateRaw) errors.push("effective_date: required");
  else {
    const d = parseDate(dateRaw, ctx.today);
    if (typeof d === "string") effectiveDate = d;
    else errors.push(`effective_date: ${d.error}`);
  }
  const currencyOf = (c: Column): string | null => {
    const s = v(c);
    if (!s) {
      errors.push(`${c}: required`);
      return null;
    }
    if (!KNOWN_CURRENCIES.has(s)) {
      errors.push(`${c}: '${s}' is not a known ISO 4217 currency (${[...KNOWN_CURRENCIES].join(" ")})`);
      return null;
    }
    return s;
  };
  const mustBeEmpty = (cols: Column[], why: string) => {
    for (const c of cols) if (v(c)) errors.push(`${c}: must be empty for ${why} rows`);
  };

  let rec: Omit<
    ReferencePrice,
    "record_id" | "effective_date" | "source_file" | "source_line" | "loaded_at"
  > | null = null;
  let subject = "";
  if (kind === "retail_price") {
    const title = v("product_title");
    const retailer = v("retailer");
    if (!title) errors.push("product_title: required for retail_price");
    else if (title.length > 300) errors.push("product_title: longer than 300 characters");
    if (!retailer) errors.push("retailer: required for retail_price");
    let price: number | null = null;
    if (!v("price")) errors.push("price: required for retail_price");
    else {
      const p = parseAmount(v("price"));
      if (typeof p === "number") price = p;
      else errors.push(`price: ${p}`);
    }
    const currency = currencyOf("currency");
    mustBeEmpty(["fx_base", "fx_quote", "fx_rate"], "retail_price");
    subject = [title, retailer, currency ?? ""].join("|");
    rec = {
      kind,
      product_title: title,
      retailer,
      price,
      currency,
      fx_base: null,
      fx_quote: null,
      fx_rate: null,
    };
  } else if (kind === "fx_rate") {
    const base = currencyOf("fx_base");
    const quote = currencyOf("fx_quote");
    if (base && quote && base === quote) errors.push(`fx_quote: same currency as fx_base (${base})`);
    let rate: number | null = null;
    const rs = v("fx_rate");
    if (!rs) errors.push("fx_rate: required for fx_rate");
    else if (!RATE.test(rs) || !(Number(rs) > 0))
      errors.push(`fx_rate: '${rs}' is not a positive number (at most 8 decimals)`);
    else rate = Number(rs);
    mustBeEmpty(["product_title", "retailer", "price", "currency"], "fx_rate");
    subject = `${base ?? ""}/${quote ?? ""}`;
    rec = {
      kind,
      product_title: null,
      retailer: null,
      price: null,
      currency: null,
      fx_base: base,
      fx_quote: quote,
      fx_rate: rate,
    };
  } else {
    errors.push(
      kind ? `kind: '${kind}' is not retail_price or fx_rate` : "kind: required (retail_price or fx_rate)",
    );
  }
  if (errors.length > 0 || !rec) return { ok: false, errors };
  return {
    ok: true,
    subject,
    record: {
      record_id: recordId(rec.kind, subject, effectiveDate),
      ...rec,
      effective_date: effectiveDate,
      source_file: ctx.sourceFile,
      source_line: line,
      loaded_at: ctx.loadedAt,
    },
  };
}

export interface RawRow {
  line: number;
  /** The row's cells as read, in file order (for the rejects file). */
  cells: string[];
}

export interface Rejected {
  line: number;
  reasons: string[];
  cells: string[];
}

export interface FileValidation {
  headerErrors: string[];
  good: ReferencePrice[];
  rejected: Rejected[];
}

/**
 * Validates a whole file's rows (pure): each row on its own, then across rows (the same kind, subject and
 * date twice is ambiguous, so the second and later occurrences are rejected naming the first line).
 */
export function validateRows(
  header: string[],
  rows: RawRow[],
  ctx: { sourceFile: string; loadedAt: number; today: Date },
): FileValidation {
  const headerErrors = validateHeader(header);
  if (headerErrors.length > 0) return { headerErrors, good: [], rejected: [] };
  if (rows.length === 0)
    return { headerErrors: ["the file has a header but no data rows"], good: [], rejected: [] };
  const names = header.map((h) => h.trim()) as Column[];
  const good: ReferencePrice[] = [];
  const rejected: Rejected[] = [];
  const firstLineOf = new Map<string, number>();
  for (const r of rows) {
    if (r.cells.length !== names.length) {
      rejected.push({
        line: r.line,
        cells: r.cells,
        reasons: [`has ${r.cells.length} fields, the header has ${names.length}`],
      });
      continue;
    }
    const row: Partial<Record<Column, string>> = {};
    names.forEach((n, i) => (row[n] = r.cells[i]));
    const res = validateRow(row, r.line, ctx);
    if (!res.ok) {
      rejected.push({ line: r.line, cells: r.cells, reasons: res.errors });
      continue;
    }
    const key = `${res.record.kind}\u0000${res.subject}\u0000${res.record.effective_date}`;
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      rejected.push({
        line: r.line,
        cells: r.cells,
        reasons: [`duplicate of line ${first} (same kind, subject and effective_date)`],
      });
      continue;
    }
    firstLineOf.set(key, r.line);
    good.push(res.record);
  }
  return { headerErrors, good, rejected };
}
