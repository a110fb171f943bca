/**
 * Lexical normalization: raw tokens → English tokens the rules understand. Arabic words are looked up
 * (with their clitics stripped), merged Latin words are split, and typos of model words are corrected
 * against the catalog vocabulary by rules that generalize: b↔p and f↔ph (Arabic has no p), l for i
 * (`lphone`), one edit for words of four letters or more, two for eight or more.
 */
import { LATIN_ALIASES, STOP_WORDS } from "./lexicon";
import { ARABIC_PREFIXES, ARABIC_WORDS } from "./lexicon-arabic";
import { F_UNKNOWN, Token } from "./text";

/** Tokens after the lexical stage: English words (or unmapped Arabic), same shape as raw tokens. */
export type LexToken = Token;

/** Words typo correction may produce: the catalog's model words and the brand words. */
export interface Vocabulary {
  has(word: string): boolean;
  /** Candidate words of a given length, for edit-distance search. */
  byLength(length: number): readonly string[];
}

const CORRECTION_CACHE_LIMIT = 50_000;

/**
 * Rewrites the tokens in place and returns `raw` itself unless a word reads as several words; only
 * then is a new array built (from that token on), so most titles allocate none here.
 */
export function lexTokens(raw: Token[], vocab: Vocabulary | null): LexToken[] {
  let out: LexToken[] | null = null;
  for (let i = 0; i < raw.length; i++) {
    const tok = raw[i];
    let words: readonly string[] | null = null;
    let corrected = false;
    if (tok.k === "a") words = lookupArabic(tok.t);
    else if (tok.k === "w") {
      if (vocab) {
        const reading = readLatin(tok.t, vocab);
        if (reading !== AS_IS) {
          words = reading.words;
          corrected = reading.corrected;
        }
      } else words = LATIN_ALIASES.get(tok.t) ?? null;
    }
    if (words === null) {
      if (out !== null) out.push(tok); // the common case: the token reads as itself, no copy
    } else if (words.length === 1) {
      tok.t = words[0];
      tok.k = isDigitStart(words[0]) ? "n" : "w";
      tok.fz = corrected;
      tok.f = F_UNKNOWN;
      if (out !== null) out.push(tok);
    } else {
      if (out === null) out = raw.slice(0, i);
      pushAll(out, words, tok.g, tok.ar, corrected);
    }
  }
  return out ?? raw;
}

function isDigitStart(w: string): boolean {
  const c = w.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** How a Latin word reads: as itself, or as other words (an alias, or a typo correction). */
type LatinReading = typeof AS_IS | { words: readonly string[]; corrected: boolean };
const AS_IS = null;
const latinMemo = new Map<string, LatinReading>();

/** Memoized per distinct word: alias, known word, or typo correction against the vocabulary. */
function readLatin(word: string, vocab: Vocabulary): LatinReading {
  const memo = latinMemo.get(word);
  if (memo !== undefined) return memo;
  let reading: LatinReading = AS_IS;
  const alias = LATIN_ALIASES.get(word);
  if (alias) reading = { words: alias, corrected: false };
  else if (!vocab.has(word) && !STOP_WORDS.has(word)) {
    const fixed = computeCorrection(word, vocab);
    if (fixed) reading = { words: fixed, corrected: true };
  }
  if (latinMemo.size >= CORRECTION_CACHE_LIMIT) latinMemo.clear();
  latinMemo.set(word, reading);
  return reading;
}

function pushAll(out: LexToken[], words: readonly string[], glued: boolean, ar: boolean, fz: boolean): void {
  for (let j = 0; j < words.length; j++) {
    const w = words[j];
    out.push({ t: w, k: isDigitStart(w) ? "n" : "w", g: j === 0 ? glued : true, ar, fz, f: F_UNKNOWN });
  }
}

const arabicMemo = new Map<string, readonly string[] | null>();

/** English reading of an Arabic word (clitics stripped), memoized per distinct word. */
function lookupArabic(word: string): readonly string[] | null {
  const memo = arabicMemo.get(word);
  if (memo !== undefined) return memo;
  const reading = readArabic(word);
  if (arabicMemo.size >= CORRECTION_CACHE_LIMIT) arabicMemo.clear();
  arabicMemo.set(word, reading);
  return reading;
}

function readArabic(word: string): readonly string[] | null {
  const direct = ARABIC_WORDS.get(word);
  if (direct) return direct;
  for (const p of ARABIC_PREFIXES) {
    // The stem must keep three letters, so `باي` ("any") is not read as ب + `اي`.
    if (word.length >= p.length + 3 && word.startsWith(p)) {
      const hit = ARABIC_WORDS.get(word.slice(p.length));
      if (hit) return hit;
    }
  }
  return null;
}

function computeCorrection(word: string, vocab: Vocabulary): readonly string[] | null {
  // Sound-alike spellings of Arabic speakers: b for p, f for ph, l for a leading i.
  const variants = new Set<string>([word]);
  if (word.startsWith("l")) variants.add("i" + word.slice(1));
  for (const v of [...variants]) {
    if (v.includes("b")) variants.add(v.replace(/b/g, "p"));
    if (v.includes("f")) variants.add(v.replace(/f/g, "ph"));
  }
  for (const v of variants) {
    if (v !== word && vocab.has(v)) return [v];
    const alias = LATIN_ALIASES.get(v);
    if (alias && v !== word) return alias;
  }
  for (const v of variants) {
    const near = nearest(v, vocab);
    if (near) return [near];
  }
  // Two model words typed without a space (`redminote`, `zflip`, `proplus`).
  if (word.length >= 5) {
    for (let cut = 1; cut < word.length; cut++) {
      const left = word.slice(0, cut);
      const right = word.slice(cut);
      if ((vocab.has(left) || LATIN_ALIASES.has(left)) && (vocab.has(right) || LATIN_ALIASES.has(right))) {
        if (left.length < 2 && right.length < 2) continue;
        return [...(LATIN_ALIASES.get(left) ?? [left]), ...(LATIN_ALIASES.get(right) ?? [right])];
      }
    }
  }
  return null;
}

/** The vocabulary word within the allowed edit distance (one edit under 8 letters, two from 8), or null. */
function nearest(word: string, vocab: Vocabulary): string | null {
  if (word.length < 4) return null;
  const maxDist = word.length >= 8 ? 2 : 1;
  let best: string | null = null;
  let bestDist = maxDist + 1;
  for (let len = word.length - maxDist; len <= word.length + maxDist; len++) {
    if (len < 3) continue;
    for (const cand of vocab.byLength(len)) {
      const d = editDistance(word, cand, bestDist - 1);
      if (d < bestDist) {
        bestDist = d;
        best = cand;
      }
    }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** Multi-token spellings of one word: `one plus` → oneplus, `real me` → realme, `iphone x r` → xr. */
export function mergeCompounds(toks: LexToken[]): LexToken[] {
  let mergeable = false;
  for (let i = 0; i + 1 < toks.length && !mergeable; i++) mergeable = isCompoundFirst(toks[i].t);
  if (!mergeable) return toks; // the common case: nothing to merge, no copy
  const out: LexToken[] = [];
  for (let i = 0; i < toks.length; i++) {
    const a = toks[i];
    const b = toks[i + 1];
    if (b && isCompoundFirst(a.t)) {
      const pair = a.t + " " + b.t;
      const merged = COMPOUNDS.get(pair);
      const afterIphone = out.length > 0 && out[out.length - 1].t === "iphone";
      if (a.t === "1" && b.t === "plus" && b.g) {
        out.push({ t: "oneplus", k: "w", g: a.g, ar: false, fz: false, f: F_UNKNOWN }); // `1plus`
        i++;
        continue;
      }
      if (merged && (!IPHONE_ONLY.has(pair) || afterIphone)) {
        out.push({ t: merged, k: "w", g: a.g, ar: a.ar, fz: a.fz || b.fz, f: F_UNKNOWN });
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

const COMPOUNDS = new Map<string, string>([
  ["one plus", "oneplus"],
  ["real me", "realme"],
  ["x r", "xr"],
  ["x s", "xs"],
  ["s a", "se"], // اس اي
]);
const IPHONE_ONLY = new Set(["x r", "x s", "s a"]);
const COMPOUND_FIRST = new Set(["1", ...[...COMPOUNDS.keys()].map((k) => k.split(" ")[0])]);
/** First characters of the COMPOUND_FIRST words: most tokens are ruled out without a set lookup. */
const COMPOUND_FIRST_CHARS = new Uint8Array(128);
for (const w of COMPOUND_FIRST) COMPOUND_FIRST_CHARS[w.charCodeAt(0)] = 1;

function isCompoundFirst(t: string): boolean {
  const c = t.charCodeAt(0);
  return c < 128 && COMPOUND_FIRST_CHARS[c] === 1 && COMPOUND_FIRST.has(t);
}
