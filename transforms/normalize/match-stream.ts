/**
 * The matcher's view of a title: the tokens a model can be made of, and the brands the title names.
 */
import { BRAND_BITS, BRAND_WORDS, CATALOG } from "./catalog";
import { LexToken } from "./lexical";
import { USE_FREE } from "./specs";
import { F_BRAND, F_KEY_START } from "./text";

/**
 * The tokens the matcher may use, as parallel arrays over the title's own token objects (no copies:
 * this runs once per title): words and numbers not taken by specs, a glued `+` read as `plus`.
 * One stream is reused for every title (matching is synchronous and not reentrant), so a title costs
 * no stream allocation; the arrays grow to the longest title seen.
 */
export interface Stream {
  toks: LexToken[];
  /** Number of stream tokens (toks, glued and idx hold stale entries past it). */
  n: number;
  /** Glued to the previous stream token (touching it in the source). */
  glued: Uint8Array;
  /** Index of each stream token in the title's tokens. */
  idx: Int32Array;
  /** Brands named anywhere in the title (`nothing` only as `nothing phone`), in order of appearance. */
  brands: string[];
  nBrands: number;
  /** BRAND_BITS of the brands named. */
  brandMask: number;
}

const stream: Stream = {
  toks: [],
  n: 0,
  glued: new Uint8Array(64),
  idx: new Int32Array(64),
  brands: [],
  nBrands: 0,
  brandMask: 0,
};

export function buildStream(toks: readonly LexToken[], use: Uint8Array): Stream {
  const st = stream;
  if (st.glued.length < toks.length) {
    st.glued = new Uint8Array(toks.length * 2);
    st.idx = new Int32Array(toks.length * 2);
  }
  const kept = st.toks;
  const glued = st.glued;
  const idx = st.idx;
  let j = 0;
  let nBrands = 0;
  let mask = 0;
  let prevIdx = -2;
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (use[i] !== USE_FREE) continue;
    if (tok.k === "s") {
      // `+` is the model's plus only when glued to it (`s22+`, `pro+`), not a spaced `8GB + 256GB`.
      if (tok.t !== "+" || !tok.g) continue;
      tok.t = "plus";
      tok.k = "w";
      tok.f = PLUS_FLAGS;
    }
    kept[j] = tok;
    glued[j] = tok.g && prevIdx === i - 1 ? 1 : 0;
    idx[j] = i;
    j++;
    prevIdx = i;
    const b = (tok.f & F_BRAND) !== 0 ? BRAND_WORDS.get(tok.t) : undefined;
    if (b !== undefined) {
      const bit = BRAND_BITS.get(b) ?? 0;
      if ((mask & bit) === 0 && (b !== "nothing" || (i + 1 < toks.length && toks[i + 1].t === "phone"))) {
        mask |= bit;
        st.brands[nBrands++] = b;
      }
    }
  }
  st.n = j;
  st.nBrands = nBrands;
  st.brandMask = mask;
  return st;
}

/** Word flags of `plus` (a glued `+` becomes that word in the stream). */
const PLUS_FLAGS =
  (BRAND_WORDS.has("plus") ? F_BRAND : 0) | (CATALOG.trie.next?.has("plus") ? F_KEY_START : 0);
