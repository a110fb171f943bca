import { createHash } from "node:crypto";

/** One `listings.scraped` value, shaped exactly like schemas/avro/listings.scraped.avsc. */
export interface ScrapedListing {
  event_id: string;
  source: string;
  source_domain: string;
  source_type: string;
  url: string;
  title: string;
  price_text: string | null;
  currency_hint: string | null;
  seller_name: string | null;
  condition_text: string | null;
  availability: "in_stock" | "out_of_stock" | null;
  /** Epoch milliseconds (UTC). */
  scraped_at: number;
  raw: Record<string, string>;
}

/** A listing as parsed from a page, before it is stamped with its observation time and id. */
export type ParsedListing = Omit<ScrapedListing, "event_id" | "scraped_at">;

export function sha256Hex(...parts: string[]): string {
  const h = createHash("sha256");
  // A separator that cannot occur inside URLs or source names keeps ("a","bc") apart from ("ab","c").
  h.update(parts.join("\u0000"));
  return h.digest("hex");
}

/** Deterministic observation id: hex SHA-256 of source, url and scraped_at (as the schema documents). */
export function listingEventId(source: string, url: string, scrapedAt: number): string {
  return sha256Hex(source, url, String(scrapedAt));
}

/** Kafka key of a listing: the hash of its canonical URL. */
export function listingKey(url: string): string {
  return sha256Hex(url);
}

export function stampListing(parsed: ParsedListing, scrapedAt: number): ScrapedListing {
  return { event_id: listingEventId(parsed.source, parsed.url, scrapedAt), ...parsed, scraped_at: scrapedAt };
}

/** Collapses runs of whitespace (including newlines from pretty-printed HTML) and trims. */
export function cleanText(s: string | undefined | null): string {
  return (s ?? "").replace(/\s+/g, " ").trim();
}
