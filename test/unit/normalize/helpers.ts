import { resolve } from "node:path";
import { normalizeListing, NormalizedListing } from "../../../transforms/normalize";

/** Repository root from dist/test/unit/normalize. */
export const repoRoot = resolve(__dirname, "..", "..", "..", "..");

/** Normalizes a bare title (no price, badge or source). */
export function title(text: string): NormalizedListing {
  return normalizeListing({ title: text });
}
