/**
 * Price text → amount and ISO currency. Thousands marks (`,` `٬` and `.` as in `19.500`), Arabic-Indic
 * digits and decimals (`279.99`) are read; `25 الف` and `45k` are thousands; no number → null amount.
 */
import { foldDigits, foldText, isPlainAscii } from "./text";

export interface ParsedPrice {
  amount: number | null;
  currency: string | null;
}

/** Currency words, checked on folded lowercase text; longest first so `l.e.` wins over `e`. */
const CURRENCY_PATTERNS: readonly [RegExp, string][] = [
  [/(?:^|[^a-z])(?:egp|l\.?\s?e\.?|le|e£|£e|egyptian pounds?|pounds?)(?![a-z])/, "EGP"],
  [/جنيه|جنيها|جنيهات|جنية|(?<![\u0621-\u064a])ج\s?\.?\s?م(?![\u0621-\u064a])/, "EGP"],
  [/(?:\$|usd|us\s?dollars?|dollars?|دولار)/, "USD"],
  [/(?:^|[^a-z])(?:aed|dhs?|dirhams?)(?![a-z])|درهم|(?<![\u0621-\u064a])د\.\s?ا(?![\u0621-\u064a])/, "AED"],
  [/(?:^|[^a-z])(?:sar|sr|riyals?)(?![a-z])|ريال|(?<![\u0621-\u064a])ر\.\s?س(?![\u0621-\u064a])/, "SAR"],
  [/€|(?:^|[^a-z])eur(?![a-z])|يورو/, "EUR"],
];

/** The ISO code a price text names, or null. Arabic `ج` alone counts only next to the number. */
export function currencyOf(text: string): string | null {
  const folded = isPlainAscii(text) ? text.toLowerCase() : foldText(text).toLowerCase();
  for (const [re, code] of CURRENCY_PATTERNS) {
    if (re.test(folded)) return code;
  }
  // `ج` right after or before a number (`9200 ج`, `ج 9200`).
  if (/\d\s*ج(?![\u0621-\u064a])|(?<![\u0621-\u064a])ج\s*\d/.test(folded)) return "EGP";
  return null;
}

const NUMBER_RE = /\d+(?:(?:[.,'’]|\s(?=\d{3}(?!\d)))\d+)*/;

/**
 * Reads one number written with thousands marks and/or a decimal mark. A mark followed by exactly
 * three digits is a thousands mark (`19.500`, `27,150`); otherwise the last mark is the decimal one.
 */
export function parseAmount(raw: string): number | null {
  let digits = "";
  let lastMarkAt = -1; // digits before the last mark
  let marks = 0;
  let kinds = 0; // 1 = '.', 2 = ','
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += raw[i];
    else if (c === 0x2e || c === 0x2c) {
      marks++;
      kinds |= c === 0x2e ? 1 : 2;
      lastMarkAt = digits.length;
    }
  }
  if (digits === "") return null;
  if (marks === 0) return Number(digits);
  const decimals = digits.length - lastMarkAt;
  // One kind of mark: thousands when repeated or followed by exactly three digits.
  if (kinds !== 3 && (marks > 1 || decimals === 3)) return Number(digits);
  return Number(digits.slice(0, lastMarkAt) + "." + digits.slice(lastMarkAt));
}

/** Parses a price text; the currency defaults to `defaultCurrency` when a number has none. */
export function parsePrice(
  text: string | null | undefined,
  defaultCurrency: string | null = "EGP",
): ParsedPrice {
  if (text === null || text === undefined) return { amount: null, currency: null };
  const folded = foldDigits(String(text));
  const m = NUMBER_RE.exec(folded);
  if (!m) return { amount: null, currency: null };
  let amount = parseAmount(m[0]);
  if (amount === null || !Number.isFinite(amount)) return { amount: null, currency: null };
  const tail = folded.slice(m.index + m[0].length);
  const rest = isPlainAscii(tail) ? tail.toLowerCase() : foldText(tail).toLowerCase();
  // Multipliers written after the number: `25 الف`, `45k`, `1.2 million`.
  if (/^\s*(?:k\b|الف|الاف|thousand)/.test(rest)) amount *= 1000;
  else if (/^\s*(?:m\b|mil\b|million|مليون)/.test(rest)) amount *= 1_000_000;
  amount = Math.round(amount * 100) / 100;
  const currency = currencyOf(folded) ?? defaultCurrency;
  return { amount, currency };
}

/**
 * The default currency for a source: the country its site serves (`noon-ae` → AED, `amazon.sa` → SAR,
 * the Egyptian sites → EGP); null for a source it does not know.
 */
export function sourceCurrency(source: string | null | undefined): string | null {
  if (!source) return null;
  const s = source.toLowerCase();
  if (/(?:^|[^a-z])(?:ae|uae|dubai)(?:[^a-z]|$)/.test(s)) return "AED";
  if (/(?:^|[^a-z])(?:sa|ksa|saudi)(?:[^a-z]|$)/.test(s)) return "SAR";
  if (
    /(?:^|[^a-z])eg(?:[^a-z]|$)|egypt|masr|misr|noon|dubizzle|olx|jumia|amazon|marketplace|phonepipe/.test(s)
  )
    return "EGP";
  return null;
}
