/**
 * Model matching: candidate keys come from the catalog index by each token of the title; the longest
 * key that fits the brand evidence wins. When no catalog model fits, a model is guessed from the words
 * after the brand so new phones are kept (with a low confidence), never dropped.
 */
import { BRAND_WORDS, CATALOG, Catalog, KeyTrie, MatchKey, VARIANT_WORDS } from "./catalog";
import { LexToken } from "./lexical";
import { STOP_WORDS } from "./lexicon";
import { buildStream, Stream } from "./match-stream";
import { F_KEY_START } from "./text";

export interface ModelMatch {
  brand: string | null;
  model: string | null;
  /** The catalog entry matched, null for a guess or no model. */
  storages: readonly number[] | null;
  confidence: number;
  /** Indexes (into the lexical tokens) consumed by the model. */
  from: number;
  to: number;
}

/** Search state while walking the key trie over one title (reused: matching is not reentrant). */
let bestKey: MatchKey | null = null;
let bestAt = 0;
let bestN = 0;
let bestScore = 0;
let fallbackKey: MatchKey | null = null;
let fallbackAt = 0;
let fallbackN = 0;

/** Latin letters an Arabic-spelled letter can stand for: `اي` is A in `اي ٣٤` and I in `نوفا ١١ اي`. */
const ARABIC_LETTER_ALTERNATES: ReadonlyMap<string, readonly string[]> = new Map([["a", ["i", "e"]]]);

export function matchModel(
  toks: readonly LexToken[],
  use: Uint8Array,
  catalog: Catalog = CATALOG,
): ModelMatch {
  const st = buildStream(toks, use);
  bestKey = null;
  fallbackKey = null;
  const root = catalog.trie.next;
  if (root) {
    const stoks = st.toks;
    // Token flags know the first words of the default catalog's keys; another catalog looks every word up.
    const startFlag = catalog === CATALOG ? F_KEY_START : 0;
    for (let i = 0; i < st.n; i++) {
      // A key must cover whole words: it cannot start inside one (`x|9b`).
      if (st.glued[i] || (stoks[i].f & startFlag) !== startFlag) continue;
      const node = root.get(stoks[i].t);
      if (node) walk(st, i, node, 1);
    }
  }
  const best = bestKey as MatchKey | null;
  const fallback = fallbackKey as MatchKey | null;
  bestKey = null;
  fallbackKey = null;
  if (best) {
    const named = (st.brandMask & best.brandBit) !== 0 || best.implied;
    const confidence = Math.max(0.5, (named ? 0.95 : 0.8) - 0.1 * fuzzyIn(st, bestAt, bestN));
    return result(best, st, bestAt, bestN, confidence);
  }
  if (fallback) {
    const confidence = Math.max(0.3, 0.5 - 0.1 * fuzzyIn(st, fallbackAt, fallbackN));
    return result(fallback, st, fallbackAt, fallbackN, confidence);
  }
  return guessModel(st);
}

/** Follows the trie from token `at` with n tokens matched so far, recording every key that ends here. */
function walk(st: Stream, at: number, node: KeyTrie, n: number): void {
  const j = at + n;
  const next = j < st.n ? st.toks[j] : undefined;
  // A key cannot stop right before a glued letter (`13|t`, `pro|max` from `promax`).
  const keys = node.keys;
  if (keys !== null && !(next !== undefined && st.glued[j] && next.k === "w")) {
    for (let k = 0; k < keys.length; k++) consider(st, keys[k], at, n);
  }
  const children = node.next;
  if (next === undefined || children === null) return;
  const child = children.get(next.t);
  if (child !== undefined) walk(st, at, child, n + 1);
  if (next.ar) {
    const alternates = ARABIC_LETTER_ALTERNATES.get(next.t);
    if (alternates !== undefined) {
      for (const alt of alternates) {
        const c = children.get(alt);
        if (c !== undefined) walk(st, at, c, n + 1);
      }
    }
  }
}

function consider(st: Stream, key: MatchKey, at: number, n: number): void {
  const agrees = (st.brandMask & key.brandBit) !== 0;
  if (st.nBrands > 0 && !agrees) return;
  if (st.nBrands === 0 && key.needsBrand) {
    const f = fallbackKey;
    if (f === null || n > fallbackN || (n === fallbackN && key.brandRank < f.brandRank)) {
      fallbackKey = key;
      fallbackAt = at;
      fallbackN = n;
    }
    return;
  }
  const score = n * 10 + (agrees ? 6 : 0) + (key.implied ? 2 : 0) - fuzzyIn(st, at, n);
  if (bestKey === null || score > bestScore) {
    bestKey = key;
    bestAt = at;
    bestN = n;
    bestScore = score;
  }
}

function fuzzyIn(st: Stream, at: number, n: number): number {
  let f = 0;
  for (let j = 0; j < n; j++) if (st.toks[at + j].fz) f++;
  return f;
}

/** Variant words a title may add to a catalog model the catalog does not list (`note 40 pro+`). */
const EXTENSION_WORDS: ReadonlySet<string> = new Set([
  "pro",
  "max",
  "plus",
  "ultra",
  "mini",
  "lite",
  "fe",
  "neo",
  "prime",
]);
/** Below UNMATCHED_CONFIDENCE in index.ts, so extended models show up in the unmatched report. */
const EXTENDED_CONFIDENCE = 0.45;

function result(key: MatchKey, st: Stream, at: number, n: number, confidence: number): ModelMatch {
  // Variant words right after the match name a more specific model than the catalog knows: keep them
  // (docs/normalization.md keeps variant words) rather than report the plainer model.
  let model = key.entry.model;
  let end = at + n - 1;
  let extended = false;
  while (
    end + 1 < st.n &&
    EXTENSION_WORDS.has(st.toks[end + 1].t) &&
    st.idx[end + 1] === st.idx[end] + 1 // written right after, not past specs (`ultra 5G ( ... +`)
  ) {
    const w = st.toks[++end].t;
    model = w === "plus" && PLUS_AS_SYMBOL.has(key.entry.brand) ? model + "+" : model + " " + w;
    extended = true;
  }
  return {
    brand: key.entry.brand,
    model,
    storages: extended ? null : key.entry.storages,
    confidence: round2(extended ? Math.min(confidence, EXTENDED_CONFIDENCE) : confidence),
    from: st.idx[at],
    to: st.idx[end],
  };
}

/** Sub-brand words that are part of the model name (`iphone 17`, `galaxy s26`, `redmi 16c`). */
const MODEL_FAMILY_WORDS: ReadonlySet<string> = new Set([
  "iphone",
  "galaxy",
  "redmi",
  "poco",
  "pixel",
  "xperia",
  "nord",
  "moto",
]);
const PLUS_AS_SYMBOL: ReadonlySet<string> = new Set([
  "samsung",
  "xiaomi",
  "realme",
  "tecno",
  "infinix",
  "oneplus",
  "oppo",
]);

/**
 * A model for a phone the catalog does not know: the words right after the brand that look like a model
 * (series words of the catalog, variant words, short codes with digits), joined per docs/normalization.md.
 */
function guessModel(st: Stream): ModelMatch {
  const stream = st.toks;
  const len = st.n;
  if (st.nBrands === 0) return { brand: null, model: null, storages: null, confidence: 0, from: -1, to: -1 };
  const brand = st.brands[0];
  let start = -1;
  for (let i = 0; i < len; i++) {
    if (BRAND_WORDS.get(stream[i].t) === brand) {
      start = i;
      // `samsung galaxy ...`: keep going to the last brand word in the run.
      while (i + 1 < len && BRAND_WORDS.get(stream[i + 1].t) === brand) start = ++i;
      break;
    }
  }
  const parts: string[] = [];
  let from = -1;
  let to = -1;
  let i = start;
  if (MODEL_FAMILY_WORDS.has(stream[start].t)) {
    parts.push(stream[start].t);
    from = to = st.idx[start];
  }
  for (i = start + 1; i < len; i++) {
    const s = stream[i];
    const glued = st.glued[i] === 1;
    const isCode = s.k === "n" || (s.k === "w" && s.t.length <= 2 && !STOP_WORDS.has(s.t));
    const isWord =
      s.k === "w" && (VARIANT_WORDS.has(s.t) || (CATALOG.seriesByBrand.get(brand)?.has(s.t) ?? false));
    if (!isCode && !isWord) break;
    if (s.k === "n" && Number(s.t) >= 32 && !glued && parts.length > 0 && /\d/.test(parts.join(""))) break;
    const piece = s.t === "plus" && PLUS_AS_SYMBOL.has(brand) ? "+" : s.t;
    const last = parts[parts.length - 1];
    // Glue short letter codes to their digits (`a56`, `x9c`, `14t`) but split series words (`fold 7`).
    const glue =
      last !== undefined &&
      ((glued && s.k === "n" && last.length <= 2 && /[a-z]$/.test(last)) ||
        (glued && s.k === "w" && /\d$/.test(last) && s.t.length <= 2 && !VARIANT_WORDS.has(s.t)) ||
        piece === "+");
    if (glue) parts[parts.length - 1] = last + piece;
    else parts.push(piece);
    if (from < 0) from = st.idx[i];
    to = st.idx[i];
  }
  // A family word alone (`ايفون` with no number) names no model.
  const named = parts.length > (MODEL_FAMILY_WORDS.has(stream[start].t) ? 1 : 0);
  const model = named && /\d|[a-z]{2,}/.test(parts.join(" ")) ? parts.join(" ") : null;
  return { brand, model, storages: null, confidence: model ? 0.3 : 0.2, from, to };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
