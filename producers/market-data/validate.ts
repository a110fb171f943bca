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

/** The kind-specific fields of a record (the rest comes from the date, the file and the line). */
type RecordFields = Omit<
  ReferencePrice,
  "record_id" | "effective_date" | "source_file" | "source_line" | "loaded_at"
>;

/** One row's trimmed cells and the problems found so far, in the order they are reported. */
interface RowCheck {
  cell(c: Column): string;
  errors: string[];
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
  const check: RowCheck = { cell: (c) => (row[c] ?? "").trim(), errors };
  const kind = check.cell("kind");
  const effectiveDate = effectiveDateOf(check, ctx.today);
  const read =
    kind === "retail_price" ? readRetailPrice(check) : kind === "fx_rate" ? readFxRate(check) : null;
  if (!read) {
    errors.push(
      kind ? `kind: '${kind}' is not retail_price or fx_rate` : "kind: required (retail_price or fx_rate)",
    );
  }
  if (errors.length > 0 || !read) return { ok: false, errors };
  return {
    ok: true,
    subject: read.subject,
    record: {
      record_id: recordId(read.fields.kind, read.subject, effectiveDate),
      ...read.fields,
      effective_date: effectiveDate,
      source_file: ctx.sourceFile,
      source_line: line,
      loaded_at: ctx.loadedAt,
    },
  };
}

/** The row's effective_date ("" when missing or invalid, with the problem reported). */
function effectiveDateOf(check: RowCheck, today: Date): string {
  const raw = check.cell("effective_date");
  if (!raw) {
    check.errors.push("effective_date: required");
    return "";
  }
  const d = parseDate(raw, today);
  if (typeof d === "string") return d;
  check.errors.push(`effective_date: ${d.error}`);
  return "";
}

/** A required currency column (null when missing or unknown, with the problem reported). */
function currencyOf(check: RowCheck, c: Column): string | null {
  const s = check.cell(c);
  if (!s) {
    check.errors.push(`${c}: required`);
    return null;
  }
  if (!KNOWN_CURRENCIES.has(s)) {
    check.errors.push(`${c}: '${s}' is not a known ISO 4217 currency (${[...KNOWN_CURRENCIES].join(" ")})`);
    return null;
  }
  return s;
}

function mustBeEmpty(check: RowCheck, cols: Column[], why: string): void {
  for (const c of cols) if (check.cell(c)) check.errors.push(`${c}: must be empty for ${why} rows`);
}

/** A retail_price row: product, retailer, price and currency; its subject is product|retailer|currency. */
function readRetailPrice(check: RowCheck): { fields: RecordFields; subject: string } {
  const { cell, errors } = check;
  const title = cell("product_title");
  const retailer = cell("retailer");
  if (!title) errors.push("product_title: required for retail_price");
  else if (title.length > 300) errors.push("product_title: longer than 300 characters");
  if (!retailer) errors.push("retailer: required for retail_price");
  let price: number | null = null;
  if (!cell("price")) errors.push("price: required for retail_price");
  else {
    const p = parseAmount(cell("price"));
    if (typeof p === "number") price = p;
    else errors.push(`price: ${p}`);
  }
  const currency = currencyOf(check, "currency");
  mustBeEmpty(check, ["fx_base", "fx_quote", "fx_rate"], "retail_price");
  return {
    subject: [title, retailer, currency ?? ""].join("|"),
    fields: {
      kind: "retail_price",
      product_title: title,
      retailer,
      price,
      currency,
      fx_base: null,
      fx_quote: null,
      fx_rate: null,
    },
  };
}

/** An fx_rate row: base and quote currency and the rate; its subject is base/quote. */
function readFxRate(check: RowCheck): { fields: RecordFields; subject: string } {
  const { cell, errors } = check;
  const base = currencyOf(check, "fx_base");
  const quote = currencyOf(check, "fx_quote");
  if (base && quote && base === quote) errors.push(`fx_quote: same currency as fx_base (${base})`);
  let rate: number | null = null;
  const rs = cell("fx_rate");
  if (!rs) errors.push("fx_rate: required for fx_rate");
  else if (!RATE.test(rs) || !(Number(rs) > 0))
    errors.push(`fx_rate: '${rs}' is not a positive number (at most 8 decimals)`);
  else rate = Number(rs);
  mustBeEmpty(check, ["product_title", "retailer", "price", "currency"], "fx_rate");
  return {
    subject: `${base ?? ""}/${quote ?? ""}`,
    fields: {
      kind: "fx_rate",
      product_title: null,
      retailer: null,
      price: null,
      currency: null,
      fx_base: base,
      fx_quote: quote,
      fx_rate: rate,
    },
  };
}
