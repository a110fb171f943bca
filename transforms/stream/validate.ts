/**
 * Business validation of a decoded listings.scraped value: schema-valid records that are still wrong.
 * Pure. Each rule names the field it rejects so a person reading the DLQ knows what to fix.
 */
import { StageError } from "./errors";

/** ISO 4217 codes a listing on an Egyptian or Gulf marketplace can plausibly be priced in. */
export const KNOWN_CURRENCIES = new Set([
  "EGP",
  "USD",
  "EUR",
  "GBP",
  "SAR",
  "AED",
  "KWD",
  "QAR",
  "BHD",
  "OMR",
  "JOD",
]);

/** No phone, new or used, costs more than this in EGP (about 100k USD): anything above is a parsing or entry error. */
export const MAX_PRICE_EGP = 5_000_000;

/** A minus sign before the amount, not between two numbers (a range "24,999 - 25,999" is not negative). */
const NEGATIVE_PRICE = /(^|[^\d.,])[-−–]\p{Sc}?\d/u;

function fail(message: string, errorType: string): never {
  throw new StageError("validate", message, errorType);
}

/** Rules checked before normalization (on the raw Avro fields). */
export function validateListing(v: Record<string, unknown>): void {
  const title = v.title;
  if (typeof title !== "string" || title.trim() === "") fail("title is empty", "empty_title");
  const url = v.url;
  if (typeof url !== "string" || !/^https?:\/\/\S+$/i.test(url.trim())) {
    fail(`url ${JSON.stringify(url)} is not an http(s) URL`, "bad_url");
  }
  const scrapedAt = v.scraped_at;
  if (typeof scrapedAt !== "number" || !Number.isFinite(scrapedAt) || scrapedAt <= 0) {
    fail(`scraped_at ${String(scrapedAt)} is not a timestamp`, "bad_scraped_at");
  }
  const hint = v.currency_hint;
  if (hint !== null && hint !== undefined) {
    if (typeof hint !== "string" || !KNOWN_CURRENCIES.has(hint.trim().toUpperCase())) {
      fail(`currency_hint ${JSON.stringify(hint)} is not a known currency`, "unknown_currency");
    }
  }
  const priceText = v.price_text;
  if (typeof priceText === "string" && NEGATIVE_PRICE.test(priceText.replace(/\s+/g, ""))) {
    fail(`price_text ${JSON.stringify(priceText)} is a negative price`, "negative_price");
  }
}

/** Rules checked on the normalized price (the normalizer reads the amount and currency out of price_text). */
export function validateNormalizedPrice(n: {
  price_amount: number | null;
  price_currency: string | null;
  price_egp: number | null;
}): void {
  if (n.price_amount !== null && n.price_amount < 0)
    fail(`price ${n.price_amount} is negative`, "negative_price");
  if (n.price_currency !== null && !KNOWN_CURRENCIES.has(n.price_currency)) {
    fail(`price currency ${n.price_currency} is not a known currency`, "unknown_currency");
  }
  if (n.price_egp !== null && n.price_egp > MAX_PRICE_EGP) {
    fail(`price ${n.price_egp} EGP is absurd for a phone (max ${MAX_PRICE_EGP})`, "absurd_price");
  }
  if (
    n.price_egp === null &&
    n.price_amount !== null &&
    n.price_currency === "EGP" &&
    n.price_amount > MAX_PRICE_EGP
  ) {
    fail(`price ${n.price_amount} EGP is absurd for a phone (max ${MAX_PRICE_EGP})`, "absurd_price");
  }
}
