/**
 * A page no longer looks the way the scraper expects (no items, a required field gone, a JSON shape
 * changed). The message always names the page and the selector or field so that whoever reads the
 * log knows what to fix.
 */
export class BreakageError extends Error {
  constructor(
    readonly page: string,
    /** CSS selector or JSON field path that did not match. */
    readonly selector: string,
    readonly detail: string,
  ) {
    super(`page ${page}: ${detail} (selector/field '${selector}')`);
    this.name = "BreakageError";
  }
}
