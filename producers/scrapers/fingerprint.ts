import { sha256Hex, ScrapedListing } from "./listing";

/**
 * What makes an observation new: the listing URL with its price and availability. A listing whose
 * fingerprint is unchanged since the last run is not produced again.
 */
export function listingFingerprint(l: Pick<ScrapedListing, "url" | "price_text" | "availability">): string {
  return sha256Hex(l.url, l.price_text ?? "", l.availability ?? "");
}

/** url -> fingerprint of the last produced observation. */
export type FingerprintMap = Record<string, string>;

/** Pure: true when this listing has to be produced (never seen, or price/availability changed, or full). */
export function isNewObservation(known: FingerprintMap, l: ScrapedListing, full: boolean): boolean {
  return full || known[l.url] !== listingFingerprint(l);
}
