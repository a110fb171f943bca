/**
 * The one place the stream job calls the normalizer (transforms/normalize, owned by its own work), so a
 * change of its API touches one line here.
 */
import { normalizeListing, NormalizedListing, NormalizeOptions } from "../normalize";

export type Normalized = NormalizedListing;

export function normalizeForLanding(
  v: { title: string; price_text: string | null; condition_text: string | null; source: string },
  options: NormalizeOptions,
): Normalized {
  return normalizeListing(
    { title: v.title, price_text: v.price_text, condition_text: v.condition_text, source: v.source },
    options,
  );
}
