/**
 * Listing normalization (docs/normalization.md): one title, price text and optional badge become the
 * canonical product and offer fields. Pure functions, no I/O; the Beam job and the CLI both call
 * `normalizeListing`.
 */
import {
  BASE_COLOURS,
  colourOf,
  Condition,
  CONDITION_WORDS,
  conditionOf,
  LISTING_WORDS,
  ListingType,
  listingTypeOf,
} from "./attributes";
import { BRAND_WORDS, CATALOG } from "./catalog";
import { LexToken, lexTokens, mergeCompounds } from "./lexical";
import { matchModel } from "./matcher";
import { parsePrice, sourceCurrency } from "./price";
import { bareStorage, extractSpecs, markNetwork, RAM_MARKERS, STORAGE_MARKERS, USE_MODEL } from "./specs";
import {
  F_BRAND,
  F_COLOUR,
  F_CONDITION,
  F_KEY_START,
  F_LISTING,
  F_SPEC_MARKER,
  F_UNKNOWN,
  setWordFlagSource,
  tokenize,
} from "./text";

export { parsePrice, parseAmount, currencyOf, sourceCurrency } from "./price";
export type { ParsedPrice } from "./price";
export { snapStorage } from "./capacity";
export type { Condition, ListingType } from "./attributes";
export { CATALOG } from "./catalog";

export interface ListingInput {
  title: string;
  price_text?: string | null;
  condition_text?: string | null;
  source?: string | null;
}

export interface NormalizeOptions {
  /** EGP per unit of each currency (`{ USD: 48.6 }`); supplied by the market-data loader. */
  fxRatesToEgp?: Record<string, number>;
  /** Currency for a bare number when the source does not tell the country (default EGP). */
  defaultCurrency?: string;
}

export interface NormalizedListing {
  brand: string | null;
  model: string | null;
  storage_gb: number | null;
  ram_gb: number | null;
  color: string | null;
  condition: Condition | null;
  listing_type: ListingType;
  confidence: number;
  price_amount: number | null;
  price_currency: string | null;
  price_egp: number | null;
}

/** Input that cannot be normalized (not an object, title missing or empty, a field of the wrong type). */
export class NormalizationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NormalizationInputError";
  }
}

/** Titles longer than this are cut: no real listing title is longer, and it bounds the work per record. */
const MAX_TITLE_LENGTH = 1000;

/** Flags of every word some rule looks for (see Token.f); a word not in the map has none. */
const WORD_FLAGS: ReadonlyMap<string, number> = buildWordFlags();

function buildWordFlags(): Map<string, number> {
  const flags = new Map<string, number>();
  const add = (words: Iterable<string>, flag: number): void => {
    for (const w of words) flags.set(w, (flags.get(w) ?? 0) | flag);
  };
  add(CONDITION_WORDS, F_CONDITION);
  add(LISTING_WORDS, F_LISTING);
  add(BASE_COLOURS, F_COLOUR);
  add(RAM_MARKERS, F_SPEC_MARKER);
  add(STORAGE_MARKERS, F_SPEC_MARKER);
  add(BRAND_WORDS.keys(), F_BRAND);
  if (CATALOG.trie.next) add(CATALOG.trie.next.keys(), F_KEY_START);
  return flags;
}

function wordFlags(word: string): number {
  return WORD_FLAGS.get(word) ?? 0;
}
setWordFlagSource(wordFlags);

/** Title tokens in English with their word flags (tokenize sets them; words rewritten here get theirs). */
function lex(text: string): LexToken[] {
  const toks = mergeCompounds(lexTokens(tokenize(text), CATALOG.vocabulary));
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (tok.f === F_UNKNOWN) tok.f = wordFlags(tok.t);
  }
  return toks;
}

/** Badges and sources come from small fixed sets, so their readings are memoized (bounded). */
const MEMO_LIMIT = 10_000;
const badgeMemo = new Map<string, Condition | null>();
const sourceMemo = new Map<string, string | null>();

function badgeCondition(text: string): Condition | null {
  let c = badgeMemo.get(text);
  if (c === undefined) {
    c = conditionOf(lex(text));
    if (badgeMemo.size >= MEMO_LIMIT) badgeMemo.clear();
    badgeMemo.set(text, c);
  }
  return c;
}

function sourceCurrencyCached(source: string | null): string | null {
  if (source === null) return null;
  let c = sourceMemo.get(source);
  if (c === undefined) {
    c = sourceCurrency(source);
    if (sourceMemo.size >= MEMO_LIMIT) sourceMemo.clear();
    sourceMemo.set(source, c);
  }
  return c;
}

/**
 * A zeroed token-use array of exactly `n` entries. One array per length is reused across titles
 * (normalizeListing is synchronous and does not keep it), so a title allocates none.
 */
const usePool: Uint8Array[] = [];
function useArray(n: number): Uint8Array {
  if (n > 256) return new Uint8Array(n);
  let a = usePool[n];
  if (a === undefined) {
    for (let k = usePool.length; k < n; k++) usePool[k] = new Uint8Array(k);
    a = usePool[n] = new Uint8Array(n);
  } else a.fill(0);
  return a;
}

function optionalText(input: Record<string, unknown>, field: string): string | null {
  const v = input[field];
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && field === "price_text") return String(v);
  if (typeof v !== "string") throw new NormalizationInputError(`${field} must be a string or null`);
  return v;
}

export function normalizeListing(input: ListingInput, options: NormalizeOptions = {}): NormalizedListing {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new NormalizationInputError("input must be an object with a title");
  }
  const record = input as unknown as Record<string, unknown>;
  const title = record.title;
  if (typeof title !== "string") throw new NormalizationInputError("title must be a string");
  if (title.trim() === "") throw new NormalizationInputError("title is empty");
  const priceText = optionalText(record, "price_text");
  const conditionText = optionalText(record, "condition_text");
  const source = optionalText(record, "source");

  const toks = lex(title.length > MAX_TITLE_LENGTH ? title.slice(0, MAX_TITLE_LENGTH) : title);
  const use = useArray(toks.length);
  markNetwork(toks, use);
  const specs = extractSpecs(toks, use);
  const match = matchModel(toks, use);
  for (let i = match.from; i >= 0 && i <= match.to; i++) use[i] = USE_MODEL;
  bareStorage(toks, use, specs);

  let condition = conditionOf(toks, use);
  if (condition === null && conditionText) condition = badgeCondition(conditionText);

  let confidence = match.confidence;
  // A capacity the model was never sold in makes the match (or the storage) less certain.
  if (match.storages && match.storages.length > 0 && specs.storage_gb !== null) {
    if (!match.storages.includes(specs.storage_gb)) confidence = Math.max(0, confidence - 0.1);
  }

  const defaultCurrency = sourceCurrencyCached(source) ?? options.defaultCurrency ?? "EGP";
  const price = parsePrice(priceText, defaultCurrency);
  return {
    brand: match.brand,
    model: match.model,
    storage_gb: specs.storage_gb,
    ram_gb: specs.ram_gb,
    color: colourOf(toks, CATALOG.vocabulary.has, use),
    condition,
    listing_type: listingTypeOf(toks),
    confidence: Math.round(confidence * 100) / 100,
    price_amount: price.amount,
    price_currency: price.currency,
    price_egp: priceInEgp(price.amount, price.currency, options.fxRatesToEgp),
  };
}

/** Amount in EGP: the amount itself for EGP, amount × rate when a rate is given, else null. */
export function priceInEgp(
  amount: number | null,
  currency: string | null,
  rates: Record<string, number> | undefined,
): number | null {
  if (amount === null || currency === null) return null;
  if (currency === "EGP") return amount;
  const rate = rates?.[currency];
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) return null;
  return Math.round(amount * rate * 100) / 100;
}

/** Below this confidence a listing counts as unmatched (no catalog model, or a guess). */
export const UNMATCHED_CONFIDENCE = 0.5;

/**
 * Grouping key for unmatched-title reports: the folded title without its storage, RAM, network words
 * and punctuation, so `Honor X9d 8/256` and `honor x9d 12GB 512GB` count as one missing model.
 */
export function unmatchedKey(title: string): string {
  const toks = lex(title.length > MAX_TITLE_LENGTH ? title.slice(0, MAX_TITLE_LENGTH) : title);
  const use = new Uint8Array(toks.length);
  markNetwork(toks, use);
  extractSpecs(toks, use);
  let key = "";
  let prev = -2;
  for (let i = 0; i < toks.length; i++) {
    if (use[i] !== 0 || toks[i].k === "s") continue;
    // Re-glue what the seller wrote as one word (`x9d`), so the key reads like the title.
    key += key === "" ? toks[i].t : toks[i].g && prev === i - 1 ? toks[i].t : " " + toks[i].t;
    prev = i;
  }
  return key;
}
