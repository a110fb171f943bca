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
  // The Arabic EGP pattern and the bare `ج` rule need a jeem (ج, or گ/چ before folding).
  const jeem = hasJeem(text);
  for (let k = 0; k < CURRENCY_PATTERNS.length; k++) {
    if (k === ARABIC_EGP_PATTERN && !jeem) continue;
    if (CURRENCY_PATTERNS[k][0].test(folded)) return CURRENCY_PATTERNS[k][1];
  }
  // `ج` right after or before a number (`9200 ج`, `ج 9200`).
  if (jeem && /\d\s*ج(?![\u0621-\u064a])|(?<![\u0621-\u064a])ج\s*\d/.test(folded)) return "EGP";
  return null;
}

/** Index in CURRENCY_PATTERNS of the pattern that only matches Arabic text with a jeem. */
const ARABIC_EGP_PATTERN = 1;

function hasJeem(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x062c || c === 0x06af || c === 0x0686) return true;
  }
  return false;
}

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
  // The first number, as /\d+(?:(?:[.,'’]|\s(?=\d{3}(?!\d)))\d+)*/ reads it, scanned by hand (no regex per listing).
  const n = folded.length;
  let start = 0;
  while (start < n && !isAsciiDigit(folded.charCodeAt(start))) start++;
  if (start === n) return { amount: null, currency: null };
  const end = numberEnd(folded, start);
  let amount = amountIn(folded, start, end);
  if (amount === null || !Number.isFinite(amount)) return { amount: null, currency: null };
  if (mayNameMultiplier(folded, end)) {
    const tail = folded.slice(end);
    const rest = isPlainAscii(tail) ? tail.toLowerCase() : foldText(tail).toLowerCase();
    // Multipliers written after the number: `25 الف`, `45k`, `1.2 million`.
    if (/^\s*(?:k\b|الف|الاف|thousand)/.test(rest)) amount *= 1000;
    else if (/^\s*(?:m\b|mil\b|million|مليون)/.test(rest)) amount *= 1_000_000;
  }
  amount = Math.round(amount * 100) / 100;
  const currency = currencyOf(folded) ?? defaultCurrency;
  return { amount, currency };
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A character `\s` matches in a JavaScript regular expression. */
function isRegexSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * End of the number that regex matches at `start` (a digit): digit runs joined by a mark (`.` `,` `'` `’`)
 * or by a space before exactly three digits. Greedy with nothing after it, so the regex never backtracks.
 */
function numberEnd(s: string, start: number): number {
  const n = s.length;
  let j = start;
  while (j < n && isAsciiDigit(s.charCodeAt(j))) j++;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === 0x2e || c === 0x2c || c === 0x27 || c === 0x2019) {
      if (j + 1 >= n || !isAsciiDigit(s.charCodeAt(j + 1))) break;
      j += 2;
      while (j < n && isAsciiDigit(s.charCodeAt(j))) j++;
    } else if (isRegexSpace(c)) {
      const three =
        j + 3 < n &&
        isAsciiDigit(s.charCodeAt(j + 1)) &&
        isAsciiDigit(s.charCodeAt(j + 2)) &&
        isAsciiDigit(s.charCodeAt(j + 3)) &&
        !(j + 4 < n && isAsciiDigit(s.charCodeAt(j + 4)));
      if (!three) break;
      j += 4;
    } else break;
  }
  return j;
}

const POW10: readonly number[] = [
  1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/**
 * parseAmount of s[start, end) without building strings. Up to 15 digits the value and a decimal
 * (exact integer ÷ exact power of ten, rounded once) equal what Number() makes of the digit string.
 */
function amountIn(s: string, start: number, end: number): number | null {
  let value = 0;
  let nDigits = 0;
  let lastMarkAt = -1;
  let marks = 0;
  let kinds = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      nDigits++;
    } else if (c === 0x2e || c === 0x2c) {
      marks++;
      kinds |= c === 0x2e ? 1 : 2;
      lastMarkAt = nDigits;
    }
  }
  if (nDigits > 15) return parseAmount(s.slice(start, end));
  if (nDigits === 0) return null;
  if (marks === 0) return value;
  const decimals = nDigits - lastMarkAt;
  if (kinds !== 3 && (marks > 1 || decimals === 3)) return value;
  return value / POW10[decimals];
}

/** Whether the text after the number has a letter a multiplier (`k`, `الف`, `thousand`, `m`, `مليون`) needs. */
function mayNameMultiplier(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    switch (s.charCodeAt(i)) {
      case 0x6b: // k
      case 0x4b: // K
      case 0x212a: // Kelvin sign, lowercases to k
      case 0x74: // t
      case 0x54: // T
      case 0x6d: // m
      case 0x4d: // M
      case 0x0627: // ا
      case 0x0622: // آ
      case 0x0623: // أ
      case 0x0625: // إ
      case 0x0671: // ٱ
      case 0x0645: // م
        return true;
    }
  }
  return false;
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
