/**
 * Condition, listing type and colour from the title tokens (already mapped to English).
 */
import { LexToken } from "./lexical";
import { ACCESSORY_WORDS, STOP_WORDS } from "./lexicon";
import { USE_MODEL } from "./specs";
import { F_COLOUR, F_CONDITION, F_LISTING } from "./text";

export type Condition = "new" | "like_new" | "used" | "refurbished";
export type ListingType = "sale" | "wanted";

/** Strongest first: a title that says `used, like new` is like_new; `used` beats a bare grade. */
const CONDITION_RANK: Readonly<Record<Condition | "grade", number>> = {
  refurbished: 5,
  like_new: 4,
  used: 3,
  new: 2,
  grade: 1,
};

function stronger(a: Condition | "grade" | null, b: Condition | "grade"): Condition | "grade" {
  return a === null || CONDITION_RANK[b] > CONDITION_RANK[a] ? b : a;
}

const GRADE_WORDS: ReadonlySet<string> = new Set([
  "excellent",
  "good",
  "fair",
  "perfect",
  "clean",
  "scratched",
]);
const TAX_WORDS: ReadonlySet<string> = new Set(["tax", "taxes", "customs"]);
/** Every word conditionOf looks at (keep in sync with its switch). */
export const CONDITION_WORDS: ReadonlySet<string> = new Set([
  ...GRADE_WORDS,
  ...["renewed", "refurbished", "zero", "mint", "open", "openbox", "new", "sealed", "used", "second", "very"],
]);

/**
 * The condition the words state, or null. `zero`/`kasr zero` is like new except in `zero tax`;
 * `new` next to an accessory (`new battery`) says nothing about the phone; grades imply used.
 */
export function conditionOf(toks: readonly LexToken[], use?: Uint8Array): Condition | null {
  let best: Condition | "grade" | null = null;
  for (let i = 0; i < toks.length; i++) {
    // One flag test skips the words that say nothing about condition (most of them).
    if ((toks[i].f & F_CONDITION) === 0) continue;
    const t = toks[i].t;
    if (use && use[i] === USE_MODEL) continue; // `Infinix Zero 30` is a model, not a condition
    const next = toks[i + 1]?.t;
    const prev = toks[i - 1]?.t;
    switch (t) {
      case "renewed":
      case "refurbished":
        best = stronger(best, "refurbished");
        break;
      case "zero":
        if (!(next && TAX_WORDS.has(next)) && !(prev && TAX_WORDS.has(prev)))
          best = stronger(best, "like_new");
        break;
      case "mint":
        // In catalog titles the colour sits right before RAM/storage (`Dual SIM Mint 8GB`).
        if (next !== "green" && toks[i + 1]?.k !== "n") best = stronger(best, "like_new");
        break;
      case "open":
        if (next === "box") best = stronger(best, "like_new");
        break;
      case "openbox":
        best = stronger(best, "like_new");
        break;
      case "new":
        if (prev === "like" || prev === "as") best = stronger(best, "like_new");
        else if (!(prev && ACCESSORY_WORDS.has(prev)) && !(next && ACCESSORY_WORDS.has(next)))
          best = stronger(best, "new");
        break;
      case "sealed":
        best = stronger(best, "new");
        break;
      case "used":
        best = stronger(best, "used");
        break;
      case "second":
        if (next === "hand") best = stronger(best, "used");
        break;
      case "very":
        if (next === "good") best = stronger(best, "grade");
        break;
      default:
        if (GRADE_WORDS.has(t)) {
          // `good price` / `perfect price` grade the offer, not the phone.
          if (next !== "price" && next !== "offer") best = stronger(best, "grade");
        }
    }
  }
  if (best === null) return null;
  return best === "grade" ? "used" : best;
}

const WANTED_WORDS: ReadonlySet<string> = new Set(["wanted", "wtb"]);
export const LISTING_WORDS: ReadonlySet<string> = new Set([...WANTED_WORDS, "looking", "want", "buying"]);

/** `wanted` for buy requests (مطلوب, wanted, looking for, want to buy, عايز), else `sale`. */
export function listingTypeOf(toks: readonly LexToken[]): ListingType {
  for (let i = 0; i < toks.length; i++) {
    if ((toks[i].f & F_LISTING) === 0) continue;
    const t = toks[i].t;
    const next = toks[i + 1]?.t;
    if (WANTED_WORDS.has(t)) return "wanted";
    if (t === "looking" && next === "for") return "wanted";
    if (t === "want" && (next === "to" || next === "buy" || toks[i].ar)) return "wanted";
    if (t === "buying") return "wanted";
  }
  return "sale";
}

/** Base colour words; a colour phrase is one of these with at most one modifier before it. */
export const BASE_COLOURS: ReadonlySet<string> = new Set([
  "black",
  "white",
  "blue",
  "green",
  "red",
  "pink",
  "gold",
  "silver",
  "gray",
  "purple",
  "yellow",
  "orange",
  "beige",
  "navy",
  "brown",
  "cream",
  "lavender",
  "violet",
  "cyan",
  "turquoise",
  "titanium",
  "graphite",
  "midnight",
  "starlight",
  "obsidian",
  "porcelain",
  "hazel",
  "charcoal",
  "coral",
  "lime",
  "teal",
  "bronze",
  "copper",
  "mint",
  "lilac",
  "iceblue",
  "burgundy",
  "indigo",
  "aqua",
  "rose",
  "ultramarine",
]);
/** Colours that name a colour only with a modifier (`mint green`, `rose gold`), never alone. */
const NEEDS_MODIFIER_OR_BASE: ReadonlySet<string> = new Set(["mint", "rose"]);
/** Arabic colour modifiers follow the colour: `ازرق فاتح` → light blue. */
const ARABIC_MODIFIERS: ReadonlySet<string> = new Set([
  "light",
  "dark",
  "phantom",
  "natural",
  "sky",
  "desert",
]);

/**
 * The stated colour, lowercase English. Prefers the longest phrase (`sierra blue` over `blue`); an
 * English name in brackets after an Arabic one wins a tie, as it is the maker's own name.
 */
export function colourOf(
  toks: readonly LexToken[],
  isVocab: (w: string) => boolean,
  use?: Uint8Array,
): string | null {
  let best: string | null = null;
  let bestLen = 0;
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if ((tok.f & F_COLOUR) === 0 || (use && use[i] === USE_MODEL)) continue;
    let phrase = tok.t;
    let len = 1;
    const next = toks[i + 1];
    const prev = toks[i - 1];
    if (tok.ar && next && next.ar && ARABIC_MODIFIERS.has(next.t)) {
      phrase = next.t + " " + tok.t;
      len = 2;
    } else if (tok.ar && tok.t === "titanium" && next && next.ar && BASE_COLOURS.has(next.t)) {
      phrase = next.t + " titanium"; // `تيتانيوم أسود` → black titanium
      len = 2;
    } else if (next && BASE_COLOURS.has(next.t) && !next.ar && !tok.ar) {
      phrase = tok.t + " " + next.t; // `titanium gray`, `rose gold`
      len = 2;
    } else if (
      prev &&
      !prev.ar &&
      !tok.ar &&
      prev.k === "w" &&
      prev.t.length >= 3 &&
      !BASE_COLOURS.has(prev.t) &&
      (!isVocab(prev.t) || ENGLISH_MODIFIERS.has(prev.t)) &&
      (!STOP_WORDS.has(prev.t) || ENGLISH_MODIFIERS.has(prev.t))
    ) {
      phrase = prev.t + " " + tok.t; // `sierra blue`, `awesome navy`, `palm green`
      len = 2;
    }
    if (len === 1 && NEEDS_MODIFIER_OR_BASE.has(tok.t) && next?.k !== "n") continue;
    // The maker's English name in brackets wins a tie, unless the card truncated it (`(Midnight ...`).
    const bracketed = !tok.ar && toks[i - 1]?.t === "(" && toks[i + len]?.t === ")";
    if (len > bestLen || (len === bestLen && best !== null && bracketed)) {
      best = phrase;
      bestLen = len;
    }
    if (len === 2 && !tok.ar && next && BASE_COLOURS.has(next.t)) i++;
  }
  return best;
}

/** Known colour modifiers that are also ordinary words (so they are in the stop list). */
const ENGLISH_MODIFIERS: ReadonlySet<string> = new Set([
  "light",
  "dark",
  "deep",
  "space",
  "natural",
  "desert",
  "phantom",
  "awesome",
  "sierra",
  "alpine",
  "pacific",
  "product",
  "jet",
  "matte",
  "ice",
  "sky",
  "ocean",
  "sea",
  "rose",
  "midnight",
]);
