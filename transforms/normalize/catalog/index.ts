/**
 * The catalog parsed once into models and match keys. A key is a token sequence that names a model
 * (its full name, an alias, or the name without an optional family word such as `galaxy`); keys are
 * compiled into a token trie, so matching a title costs one map lookup per token and matched depth,
 * never a scan of every model.
 */
import { lexTokens, mergeCompounds, Vocabulary } from "../lexical";
import { tokenize } from "../text";
import { CATALOG_SOURCE } from "./models";

export interface CatalogModel {
  brand: string;
  model: string;
  storages: readonly number[];
  /** Other names sellers use for it (`iphone se 3` for `iphone se 2022`). */
  aliases: readonly string[];
}

export interface MatchKey {
  tokens: readonly string[];
  entry: CatalogModel;
  /** The key itself names the brand (iphone, galaxy, redmi, poco, pixel, ...). */
  implied: boolean;
  /** Too generic to trust without the brand in the title (`13`, `a54`, `note 13 pro`, `phone 2`). */
  needsBrand: boolean;
  /** Bit of the key's brand in BRAND_BITS (0 for a brand no title word names), for the matcher. */
  brandBit: number;
  /** Index of the key's brand in BRAND_PRIOR (-1 when absent). */
  brandRank: number;
}

/** Words that name a brand on their own; sub-brands map to their maker. */
export const BRAND_WORDS: ReadonlyMap<string, string> = new Map([
  ["apple", "apple"],
  ["iphone", "apple"],
  ["samsung", "samsung"],
  ["galaxy", "samsung"],
  ["xiaomi", "xiaomi"],
  ["redmi", "xiaomi"],
  ["poco", "xiaomi"],
  ["oppo", "oppo"],
  ["realme", "realme"],
  ["huawei", "huawei"],
  ["honor", "honor"],
  ["infinix", "infinix"],
  ["tecno", "tecno"],
  ["itel", "itel"],
  ["vivo", "vivo"],
  ["nokia", "nokia"],
  ["google", "google"],
  ["pixel", "google"],
  ["oneplus", "oneplus"],
  ["nord", "oneplus"],
  ["motorola", "motorola"],
  ["moto", "motorola"],
  ["nothing", "nothing"],
  ["sony", "sony"],
  ["xperia", "sony"],
  ["zte", "zte"],
  ["nubia", "zte"],
  ["lenovo", "lenovo"],
]);

/** Brand preference when a generic key appears with no brand at all (Egyptian market share order). */
export const BRAND_PRIOR: readonly string[] = [
  "apple",
  "samsung",
  "xiaomi",
  "oppo",
  "realme",
  "infinix",
  "honor",
  "huawei",
  "tecno",
  "vivo",
  "oneplus",
  "google",
  "nokia",
  "itel",
  "motorola",
  "nothing",
  "sony",
  "zte",
  "lenovo",
];

/** One bit per brand a title word can name (BRAND_WORDS values), so brand sets are bitmasks. */
export const BRAND_BITS: ReadonlyMap<string, number> = new Map(
  [...new Set(BRAND_WORDS.values())].map((b, i) => {
    if (i > 30) throw new Error("too many brands for a 31-bit mask");
    return [b, 1 << i];
  }),
);

/** Family words that sellers often leave out; the key without them needs the brand in the title. */
const OPTIONAL_FAMILY: Readonly<Record<string, readonly string[]>> = {
  samsung: ["galaxy"],
  apple: ["iphone"],
  xiaomi: ["redmi", "poco", "mi"],
  motorola: ["moto"],
};

/** A trie over key tokens: walking a title from one token visits only keys that can still match. */
export interface KeyTrie {
  next: Map<string, KeyTrie> | null;
  /** Keys that end at this node, in catalog order. */
  keys: MatchKey[] | null;
}

export interface Catalog {
  models: readonly CatalogModel[];
  /** Series words of each brand (`reno`, `find` for oppo), used to guess models the catalog lacks. */
  seriesByBrand: ReadonlyMap<string, ReadonlySet<string>>;
  trie: KeyTrie;
  vocabulary: Vocabulary;
}

/** Token form used for matching: lexical tokens with `+` read as `plus`. */
export function keyTokens(text: string): string[] {
  return mergeCompounds(lexTokens(tokenize(text), null))
    .filter((t) => t.k !== "s" || t.t === "+")
    .map((t) => (t.t === "+" ? "plus" : t.t));
}

function parseCatalog(): CatalogModel[] {
  const models: CatalogModel[] = [];
  for (const [brand, block] of Object.entries(CATALOG_SOURCE)) {
    for (const line of block.split("\n")) {
      if (!line.trim()) continue;
      const [namePart, storagePart] = line.split("|");
      const [model, aliasPart] = namePart.split("=");
      const storages = (storagePart ?? "").trim().split(/\s+/).filter(Boolean).map(Number);
      const aliases = aliasPart ? aliasPart.split(";").map((a) => a.trim()) : [];
      models.push({ brand, model: model.trim(), storages, aliases });
    }
  }
  return models;
}

/** One name of a model as key tokens, before keys are deduplicated and indexed. */
interface RawKey {
  tokens: string[];
  entry: CatalogModel;
  /** The name with its optional family word left out (`fold 5` for `galaxy z fold 5`). */
  familyDropped: boolean;
}

function buildCatalog(): Catalog {
  const models = parseCatalog();
  const raw = rawKeys(models);
  const trie = buildTrie(matchKeysByFirstToken(raw));
  return { models, seriesByBrand: seriesWords(raw), trie, vocabulary: buildVocabulary(raw) };
}

/** Every name and alias of every model, plus the forms without an optional family word. */
function rawKeys(models: readonly CatalogModel[]): RawKey[] {
  const raw: RawKey[] = [];
  for (const entry of models) {
    const names = [entry.model, ...entry.aliases];
    for (const name of names) {
      const toks = keyTokens(name);
      raw.push({ tokens: toks, entry, familyDropped: false });
      const family = OPTIONAL_FAMILY[entry.brand];
      if (family && family.includes(toks[0]) && toks.length > 1) {
        raw.push({ tokens: toks.slice(1), entry, familyDropped: true });
        // `galaxy z fold 5` is also written `fold 5`.
        if (toks[1] === "z" && toks.length > 2)
          raw.push({ tokens: toks.slice(2), entry, familyDropped: true });
      }
    }
  }
  // A model's own name beats another model's name without its family word (`12` is Xiaomi 12, not Redmi 12).
  raw.sort((a, b) => Number(a.familyDropped) - Number(b.familyDropped));
  return raw;
}

/** Match keys (one per brand and token sequence) grouped by their first token, longest first. */
function matchKeysByFirstToken(raw: readonly RawKey[]): Map<string, MatchKey[]> {
  const brandsByKey = new Map<string, Set<string>>();
  for (const r of raw) {
    const k = r.tokens.join(" ");
    let set = brandsByKey.get(k);
    if (!set) brandsByKey.set(k, (set = new Set()));
    set.add(r.entry.brand);
  }
  const index = new Map<string, MatchKey[]>();
  const seen = new Set<string>();
  for (const r of raw) {
    const k = r.entry.brand + ":" + r.tokens.join(" ");
    if (seen.has(k)) continue;
    seen.add(k);
    const key = matchKey(r, (brandsByKey.get(r.tokens.join(" "))?.size ?? 0) > 1);
    const list = index.get(r.tokens[0]);
    if (list) list.push(key);
    else index.set(r.tokens[0], [key]);
  }
  for (const list of index.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  return index;
}

/** A raw key with its brand evidence; `shared` when another brand has the same token sequence. */
function matchKey(r: RawKey, shared: boolean): MatchKey {
  const implied = r.tokens.some((t) => BRAND_WORDS.get(t) === r.entry.brand);
  const distinctive = r.tokens.some((t) => /^[a-z]{2,}$/.test(t) && t !== "plus" && !VARIANT_WORDS.has(t));
  const needsBrand = !implied && (r.familyDropped || shared || !distinctive || r.tokens[0] === "phone");
  return {
    tokens: r.tokens,
    entry: r.entry,
    implied,
    needsBrand,
    brandBit: BRAND_BITS.get(r.entry.brand) ?? 0,
    brandRank: BRAND_PRIOR.indexOf(r.entry.brand),
  };
}

function buildTrie(index: ReadonlyMap<string, MatchKey[]>): KeyTrie {
  const trie: KeyTrie = { next: null, keys: null };
  for (const list of index.values()) {
    for (const key of list) {
      let node = trie;
      for (const t of key.tokens) {
        if (!node.next) node.next = new Map();
        let child = node.next.get(t);
        if (!child) node.next.set(t, (child = { next: null, keys: null }));
        node = child;
      }
      (node.keys ??= []).push(key);
    }
  }
  return trie;
}

/** The words of catalog keys and brand words, which typo correction may correct towards. */
function buildVocabulary(raw: readonly RawKey[]): Vocabulary {
  const words = new Set<string>();
  for (const r of raw) for (const t of r.tokens) if (/^[a-z]{2,}$/.test(t)) words.add(t);
  for (const b of BRAND_WORDS.keys()) words.add(b);
  const byLen = new Map<number, string[]>();
  for (const w of words) {
    const list = byLen.get(w.length);
    if (list) list.push(w);
    else byLen.set(w.length, [w]);
  }
  return {
    has: (w) => words.has(w),
    byLength: (n) => byLen.get(n) ?? [],
  };
}

function seriesWords(raw: readonly RawKey[]): Map<string, Set<string>> {
  const seriesByBrand = new Map<string, Set<string>>();
  for (const r of raw) {
    let set = seriesByBrand.get(r.entry.brand);
    if (!set) seriesByBrand.set(r.entry.brand, (set = new Set()));
    for (const t of r.tokens) if (/^[a-z]{2,}$/.test(t)) set.add(t);
  }
  return seriesByBrand;
}

/** Model words that never identify a series by themselves. */
export const VARIANT_WORDS: ReadonlySet<string> = new Set([
  "pro",
  "max",
  "plus",
  "ultra",
  "mini",
  "lite",
  "fe",
  "neo",
  "prime",
  "se",
  "edge",
  "play",
  "core",
  "turbo",
  "fusion",
  "xl",
  "go",
]);

export const CATALOG: Catalog = buildCatalog();
