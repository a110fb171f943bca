/**
 * Text folding and tokenization shared by every rule: one pass over the title that lowercases Latin,
 * folds Arabic spelling variants (أ/إ/آ → ا, ة → ه, ى → ي, tatweel and diacritics dropped), turns
 * Arabic-Indic digits into ASCII and splits letters from digits, so `iphone13promax`, `Fold5` and
 * `ايفون١٣` all become separate tokens. Tokens remember whether they were glued to the previous one,
 * which the matcher needs to tell `a54` (one word) from `a 54`.
 */

/** w = Latin word, n = number, a = Arabic word, s = symbol (+ / % ( ) &). */
export type TokenKind = "w" | "n" | "a" | "s";

/** One token; the lexical stage (lexical.ts) rewrites `t` in place, so both stages share the objects. */
export interface Token {
  /** Token text (folded; English after the lexical stage). */
  t: string;
  k: TokenKind;
  /** Directly attached to the previous token in the source (no space or punctuation between). */
  g: boolean;
  /** Comes from an Arabic word (colour modifiers follow the colour in Arabic; letters are ambiguous). */
  ar: boolean;
  /** Rewritten by typo correction (lowers the match confidence). */
  fz: boolean;
  /**
   * Word flags (F_* below) of `t`, so the rules test one bit per token instead of looking the word up in
   * each of their word sets. tokenize takes them from its intern table; a word the lexical stage rewrites
   * gets F_UNKNOWN and `lex` in index.ts looks it up. Only tokens that went through `lex` have them.
   */
  f: number;
}

/** Flags not computed yet (`lex` in index.ts looks the word up). */
export const F_UNKNOWN = -1;
/** A word conditionOf looks at. */
export const F_CONDITION = 1;
/** A word listingTypeOf looks at. */
export const F_LISTING = 2;
/** A base colour word (colourOf). */
export const F_COLOUR = 4;
/** A RAM or storage marker (extractSpecs). */
export const F_SPEC_MARKER = 8;
/** A brand word (BRAND_WORDS). */
export const F_BRAND = 16;
/** The first token of a catalog key (a child of the key trie's root). */
export const F_KEY_START = 32;

const CLASS_SEP = 0;
const CLASS_LATIN = 1;
const CLASS_DIGIT = 2;
const CLASS_ARABIC = 3;
const CLASS_SYMBOL = 4;
const CLASS_SKIP = 5; // diacritics and tatweel: invisible, do not break a word

/** Folded replacement for each code point below 0x0700 (undefined = the char itself). */
const FOLD: (string | undefined)[] = new Array(0x700);
const CLASS = new Uint8Array(0x700);

function initTables(): void {
  for (let c = 0x30; c <= 0x39; c++) CLASS[c] = CLASS_DIGIT;
  for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = CLASS_LATIN;
  for (let c = 0x41; c <= 0x5a; c++) {
    CLASS[c] = CLASS_LATIN;
    FOLD[c] = String.fromCharCode(c + 32);
  }
  for (const ch of "+/%()&") CLASS[ch.charCodeAt(0)] = CLASS_SYMBOL;
  // Latin letters with accents that sellers type by accident: fold to the base letter.
  const accents: Record<string, string> = { é: "e", è: "e", á: "a", à: "a", ó: "o", í: "i", ú: "u", ü: "u" };
  for (const [k, v] of Object.entries(accents)) {
    CLASS[k.charCodeAt(0)] = CLASS_LATIN;
    FOLD[k.charCodeAt(0)] = v;
  }
  for (let c = 0x0621; c <= 0x064a; c++) CLASS[c] = CLASS_ARABIC;
  for (const c of [0x0671, 0x067e, 0x0686, 0x06a4, 0x06a9, 0x06af, 0x06cc]) CLASS[c] = CLASS_ARABIC;
  for (let c = 0x064b; c <= 0x065f; c++) CLASS[c] = CLASS_SKIP;
  CLASS[0x0670] = CLASS_SKIP;
  CLASS[0x0640] = CLASS_SKIP; // tatweel
  const alef = "ا";
  for (const c of [0x0622, 0x0623, 0x0625, 0x0671]) FOLD[c] = alef; // آ أ إ ٱ
  FOLD[0x0629] = "ه"; // ة
  FOLD[0x0649] = "ي"; // ى
  FOLD[0x06cc] = "ي"; // Persian yeh
  FOLD[0x06a9] = "ك"; // Persian kaf
  FOLD[0x0624] = "و"; // ؤ
  FOLD[0x0626] = "ي"; // ئ
  FOLD[0x067e] = "ب"; // پ
  FOLD[0x06a4] = "ف"; // ڤ
  FOLD[0x06af] = "ج"; // گ (Egyptian g)
  FOLD[0x0686] = "ج"; // چ
  for (let d = 0; d <= 9; d++) {
    for (const base of [0x0660, 0x06f0]) {
      CLASS[base + d] = CLASS_DIGIT;
      FOLD[base + d] = String(d);
    }
  }
  CLASS[0x066a] = CLASS_SYMBOL; // ٪
  FOLD[0x066a] = "%";
}
initTables();

/** Arabic-Indic and Eastern Arabic-Indic digits to ASCII, Arabic separators to their Latin form. */
export function foldDigits(text: string): string {
  if (isPlainAscii(text)) return text;
  // Characters before the first one to fold are kept as one slice, not appended one by one.
  let k = 0;
  while (k < text.length && !isDigitFold(text.charCodeAt(k))) k++;
  if (k === text.length) return text;
  let out = text.slice(0, k);
  for (let i = k; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x0660 && c <= 0x0669) out += String.fromCharCode(c - 0x0660 + 48);
    else if (c >= 0x06f0 && c <= 0x06f9) out += String.fromCharCode(c - 0x06f0 + 48);
    else if (c === 0x066c || c === 0x060c)
      out += ","; // ٬ thousands mark, ، Arabic comma
    else if (c === 0x066b)
      out += "."; // ٫ decimal mark
    else out += text[i];
  }
  return out;
}

function isDigitFold(c: number): boolean {
  return (c >= 0x0660 && c <= 0x066c) || (c >= 0x06f0 && c <= 0x06f9) || c === 0x060c;
}

/** Folded, lowercased text with Arabic variants unified (for phrase checks and grouping keys). */
export function foldText(text: string): string {
  // Characters before the first one to fold or drop are kept as one slice (often the whole text).
  let k = 0;
  while (k < text.length && !needsFold(text.charCodeAt(k))) k++;
  if (k === text.length) return text;
  let out = text.slice(0, k);
  for (let i = k; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x700) {
      const cls = CLASS[c];
      if (cls === CLASS_SKIP) continue;
      const f = FOLD[c];
      out += f === undefined ? text[i] : f;
    } else out += text[i];
  }
  return out;
}

/** Whether foldText changes or drops the character. */
function needsFold(c: number): boolean {
  return c < 0x700 && (CLASS[c] === CLASS_SKIP || FOLD[c] !== undefined);
}

function kindOf(cls: number): TokenKind {
  return cls === CLASS_DIGIT ? "n" : cls === CLASS_LATIN ? "w" : "a";
}

/**
 * Splits a title into folded tokens; letters, digits and Arabic letters never share a token.
 * Tokens are slices of the lowercased title, folded only when they contain a character to fold
 * (no per-character string building, no closures: this is the hot path).
 */
export function tokenize(title: string): Token[] {
  const text = title.toLowerCase();
  const tokens: Token[] = [];
  let start = -1; // start of the token being built, -1 when none
  let curClass = CLASS_SEP;
  let glued = false; // whether the token being built touches the previous token
  let prevWasToken = false; // previous char belonged to a token (for glue detection)
  let fold = false; // the token contains characters to fold or drop
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const cls = c < 0x700 ? CLASS[c] : CLASS_SEP;
    if (cls === CLASS_SKIP) {
      fold = true;
      continue;
    }
    if (cls === CLASS_SEP) {
      // A dot between digits stays inside a number only for a decimal like 1.5 (one digit after).
      if (curClass === CLASS_DIGIT && c === 0x2e && i + 1 < n && isDigitCode(text.charCodeAt(i + 1))) {
        if (!(i + 2 < n && isDigitCode(text.charCodeAt(i + 2)))) {
          i++;
          continue;
        }
      }
      if (start >= 0) tokens.push(sliceToken(text, start, i, curClass, glued, fold));
      start = -1;
      fold = false;
      curClass = CLASS_SEP;
      prevWasToken = false;
      continue;
    }
    if (cls === CLASS_SYMBOL) {
      if (start >= 0) tokens.push(sliceToken(text, start, i, curClass, glued, fold));
      tokens.push({ t: FOLD[c] ?? text[i], k: "s", g: prevWasToken, ar: false, fz: false, f: 0 });
      start = -1;
      fold = false;
      curClass = CLASS_SEP;
      prevWasToken = true;
      continue;
    }
    if (cls !== curClass) {
      if (start >= 0) tokens.push(sliceToken(text, start, i, curClass, glued, fold));
      start = i;
      fold = false;
      glued = prevWasToken;
      curClass = cls;
    }
    if (c >= 0x80 && FOLD[c] !== undefined) fold = true;
    prevWasToken = true;
  }
  if (start >= 0) tokens.push(sliceToken(text, start, n, curClass, glued, fold));
  return tokens;
}

function sliceToken(
  text: string,
  start: number,
  end: number,
  cls: number,
  glued: boolean,
  fold: boolean,
): Token {
  const t = tokenText(text, start, end, fold);
  return { t, k: kindOf(cls), g: glued, ar: cls === CLASS_ARABIC, fz: false, f: lastFlags };
}

/**
 * Token texts interned by their characters in the lowercased title: a bounded table of the words
 * seen (open addressing, cleared when half full), so a word seen before costs no slice, no fold and no
 * new string hash in the lookups downstream. The folded text is a function of the characters alone.
 */
const INTERN_SLOTS = 8192;
const INTERN_MAX = INTERN_SLOTS >> 1;
const internRaw: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
const internText: string[] = new Array<string>(INTERN_SLOTS).fill("");
const internFlags = new Int32Array(INTERN_SLOTS);
let internCount = 0;
/** Flags of the text tokenText returned last (F_UNKNOWN until a flag source is set). */
let lastFlags = F_UNKNOWN;
let flagSource: ((word: string) => number) | null = null;

/**
 * Sets how a word's flags are computed (index.ts, once its word sets exist), so tokens come out of
 * tokenize with `f` set from the intern table. Until then tokens carry F_UNKNOWN.
 */
export function setWordFlagSource(source: (word: string) => number): void {
  flagSource = source;
  internRaw.fill(undefined);
  internCount = 0;
}

function tokenText(text: string, start: number, end: number, fold: boolean): string {
  const len = end - start;
  let h = len;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  let slot = (h ^ (h >>> 13)) & (INTERN_SLOTS - 1);
  for (;;) {
    const raw = internRaw[slot];
    if (raw === undefined) break;
    if (raw.length === len && sameChars(raw, text, start)) {
      lastFlags = internFlags[slot];
      return internText[slot];
    }
    slot = (slot + 1) & (INTERN_SLOTS - 1);
  }
  const raw = text.slice(start, end);
  const t = fold ? foldText(raw) : raw;
  if (internCount >= INTERN_MAX) {
    internRaw.fill(undefined);
    internCount = 0;
    slot = (h ^ (h >>> 13)) & (INTERN_SLOTS - 1);
  }
  internRaw[slot] = raw;
  internText[slot] = t;
  lastFlags = internFlags[slot] = flagSource === null ? F_UNKNOWN : flagSource(t);
  internCount++;
  return t;
}

function sameChars(raw: string, text: string, start: number): boolean {
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

function isDigitCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06f0 && c <= 0x06f9);
}

/** True when no character needs folding beyond lowercase (the common English case). */
export function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}
