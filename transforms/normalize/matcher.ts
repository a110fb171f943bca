/**
 * Model matching: candidate keys come from the catalog index by each token of the title; the longest
 * key that fits the brand evidence wins. When no catalog model fits, a model is guessed from the words
 * after the brand so new phones are kept (with a low confidence), never dropped.
 */
import { BRAND_PRIOR, BRAND_WORDS, CATALOG, Catalog, KeyTrie, MatchKey, VARIANT_WORDS } from "./catalog";
import { LexToken } from "./lexical";
import { STOP_WORDS } from "./lexicon";
import { USE_FREE } from "./specs";

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

/**
 * The tokens the matcher may use, as parallel arrays over the title's own token objects (no copies:
 * this runs once per title): words and numbers not taken by specs, a glued `+` read as `plus`.
 */
interface Stream {
  toks: LexToken[];
  /** Glued to the previous stream token (touching it in the source). */
  glued: Uint8Array;
  /** Index of each stream token in the title's tokens. */
  idx: Int32Array;
  /** Brands named anywhere in the title (`nothing` only as `nothing phone`), in order of appearance. */
  brands: string[];
}

function buildStream(toks: readonly LexToken[], use: Uint8Array): Stream {
  const kept: LexToken[] = [];
  const glued = new Uint8Array(toks.length);
  const idx = new Int32Array(toks.length);
  const brands: string[] = [];
  let prevIdx = -2;
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (use[i] !== USE_FREE) continue;
    if (tok.k === "s") {
      // `+` is the model's plus only when glued to it (`s22+`, `pro+`), not a spaced `8GB + 256GB`.
      if (tok.t !== "+" || !tok.g) continue;
      tok.t = "plus";
      tok.k = "w";
    }
    const j = kept.length;
    kept.push(tok);
    glued[j] = tok.g && prevIdx === i - 1 ? 1 : 0;
    idx[j] = i;
    prevIdx = i;
    const b = BRAND_WORDS.get(tok.t);
    if (b && !brands.includes(b) && (b !== "nothing" || toks[i + 1]?.t === "phone")) brands.push(b);
  }
  return { toks: kept, glued, idx, brands };
}

/** Search state while walking the key trie over one title. */
interface Search {
  st: Stream;
  best: { key: MatchKey; at: number; n: number; score: number } | null;
  fallback: { key: MatchKey; at: number; n: number } | null;
}

/** Latin letters an Arabic-spelled letter can stand for: `اي` is A in `اي ٣٤` and I in `نوفا ١١ اي`. */
const ARABIC_LETTER_ALTERNATES: ReadonlyMap<string, readonly string[]> = new Map([["a", ["i", "e"]]]);

export function matchModel(
  toks: readonly LexToken[],
  use: Uint8Array,
  catalog: Catalog = CATALOG,
): ModelMatch {
  const st = buildStream(toks, use);
  const search: Search = { st, best: null, fallback: null };
  const root = catalog.trie.next;
  for (let i = 0; i < st.toks.length && root; i++) {
    // A key must cover whole words: it cannot start inside one (`x|9b`).
    if (st.glued[i]) continue;
    const node = root.get(st.toks[i].t);
    if (node) walk(search, i, node, 1);
  }
  const { best, fallback } = search;
  if (best) {
    const named = st.brands.includes(best.key.entry.brand) || best.key.implied;
    const confidence = Math.max(0.5, (named ? 0.95 : 0.8) - 0.1 * fuzzyIn(st, best.at, best.n));
    return result(best.key, st, best.at, best.n, confidence);
  }
  if (fallback) {
    const confidence = Math.max(0.3, 0.5 - 0.1 * fuzzyIn(st, fallback.at, fallback.n));
    return result(fallback.key, st, fallback.at, fallback.n, confidence);
  }
  return guessModel(st);
}

/** Follows the trie from token `at` with n tokens matched so far, recording every key that ends here. */
function walk(s: Search, at: number, node: KeyTrie, n: number): void {
  const st = s.st;
  const j = at + n;
  const next = j < st.toks.length ? st.toks[j] : undefined;
  // A key cannot stop right before a glued letter (`13|t`, `pro|max` from `promax`).
  if (node.keys && !(next && st.glued[j] && next.k === "w")) {
    for (const key of node.keys) consider(s, key, at, n);
  }
  if (!next || !node.next) return;
  const child = node.next.get(next.t);
  if (child) walk(s, at, child, n + 1);
  const alternates = next.ar ? ARABIC_LETTER_ALTERNATES.get(next.t) : undefined;
  if (alternates) {
    for (const alt of alternates) {
      const c = node.next.get(alt);
      if (c) walk(s, at, c, n + 1);
    }
  }
}

function consider(s: Search, key: MatchKey, at: number, n: number): void {
  const brand = key.entry.brand;
  const brands = s.st.brands;
  const agrees = brands.includes(brand);
  if (brands.length > 0 && !agrees) return;
  if (brands.length === 0 && key.needsBrand) {
    const f = s.fallback;
    if (!f || n > f.n || (n === f.n && BRAND_PRIOR.indexOf(brand) < BRAND_PRIOR.indexOf(f.key.entry.brand))) {
      s.fallback = { key, at, n };
    }
    return;
  }
  const score = n * 10 + (agrees ? 6 : 0) + (key.implied ? 2 : 0) - fuzzyIn(s.st, at, n);
  if (!s.best || score > s.best.score) s.best = { key, at, n, score };
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
  // (NORMALIZATION.md keeps variant words) rather than report the plainer model.
  let model = key.entry.model;
  let end = at + n - 1;
  let extended = false;
  while (
    end + 1 < st.toks.length &&
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
 * (series words of the catalog, variant words, short codes with digits), joined per NORMALIZATION.md.
 */
function guessModel(st: Stream): ModelMatch {
  const stream = st.toks;
  const brands = st.brands;
  if (brands.length === 0)
    return { brand: null, model: null, storages: null, confidence: 0, from: -1, to: -1 };
  const brand = brands[0];
  let start = -1;
  for (let i = 0; i < stream.length; i++) {
    if (BRAND_WORDS.get(stream[i].t) === brand) {
      start = i;
      // `samsung galaxy ...`: keep going to the last brand word in the run.
      while (i + 1 < stream.length && BRAND_WORDS.get(stream[i + 1].t) === brand) start = ++i;
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
  for (i = start + 1; i < stream.length; i++) {
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
