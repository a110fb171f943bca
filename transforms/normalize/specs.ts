/**
 * Storage and RAM from title tokens. RAM is never taken for storage: a marker (`RAM`, `رامات`,
 * `ROM`, `مساحة`) binds the number next to it; in a pair (`8/256`, `8GB+256GB`) or two unlabelled
 * sizes the larger is storage and the smaller RAM. Storage typos snap to a real capacity.
 */
import { LexToken } from "./lexical";

export const STORAGE_CAPACITIES: readonly number[] = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
const RAM_SIZES: ReadonlySet<number> = new Set([0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 12, 16, 18, 20, 24]);
const GB_UNITS: ReadonlySet<string> = new Set([
  "gb",
  "g",
  "gig",
  "giga",
  "gega",
  "gigabyte",
  "gigabytes",
  "gbs",
]);
const TB_UNITS: ReadonlySet<string> = new Set(["tb", "tera", "terabyte", "tbs"]);
const RAM_MARKERS: ReadonlySet<string> = new Set(["ram"]);
const STORAGE_MARKERS: ReadonlySet<string> = new Set(["storage", "rom", "memory", "internal"]);
const NETWORK_GENERATIONS: ReadonlySet<string> = new Set(["2", "3", "4", "5"]);

/** How each token was used, so the model matcher skips spec tokens. */
export const USE_FREE = 0;
export const USE_SPEC = 1;
export const USE_NETWORK = 2;
export const USE_MODEL = 3;

/** A number (with its unit when `sized`) spanning tokens from..to. */
interface Span {
  value: number;
  from: number;
  to: number;
  sized: boolean;
}

function byValueDescending(a: Span, b: Span): number {
  return b.value - a.value;
}

export interface Specs {
  storage_gb: number | null;
  ram_gb: number | null;
}

/**
 * Snaps a stated storage size to a real capacity: exact, within 10 % (`265` → 256, `1000` → 1024),
 * or a digit transposition of one (`652` → 256); null when it is no plausible storage.
 */
export function snapStorage(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  let best = 0;
  let bestDiff = Infinity;
  for (const c of STORAGE_CAPACITIES) {
    const diff = Math.abs(c - value);
    if (diff < bestDiff) {
      bestDiff = diff;
      best = c;
    }
  }
  if (bestDiff === 0) return best;
  if (value >= 16 && bestDiff / best <= 0.1) return best;
  if (Number.isInteger(value) && value >= 10) {
    const sorted = String(value).split("").sort().join("");
    for (const c of STORAGE_CAPACITIES) {
      if (c >= 16 && String(c).split("").sort().join("") === sorted) return c;
    }
  }
  return null;
}

function isFree(use: Uint8Array, i: number): boolean {
  return i >= 0 && i < use.length && use[i] === USE_FREE;
}

/** Whether a number next to a RAM (or storage) marker can be what the marker labels. */
function fitsMarker(isRam: boolean, v: number): boolean {
  return isRam ? isRamSize(v) : snapStorage(v) !== null && v >= 8;
}

function isRamSize(v: number): boolean {
  return RAM_SIZES.has(v);
}

/** A size in GB when token i is a number followed by a unit; [value, index of the unit] or null. */
function sizedAt(toks: readonly LexToken[], i: number): [number, number] | null {
  const t = toks[i];
  if (!t || t.k !== "n") return null;
  const u = toks[i + 1];
  if (!u || u.k !== "w") return null;
  const v = Number(t.t);
  if (GB_UNITS.has(u.t)) return [v, i + 1];
  if (TB_UNITS.has(u.t)) return [v * 1024, i + 1];
  return null;
}

/** Marks network suffixes (`5G`, `4G`, `LTE`) so they are read neither as sizes nor as model words. */
export function markNetwork(toks: readonly LexToken[], use: Uint8Array): void {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.k === "w" && (t.t === "lte" || t.t === "volte")) use[i] = USE_NETWORK;
    if (t.k !== "n" || !NETWORK_GENERATIONS.has(t.t)) continue;
    const u = toks[i + 1];
    if (!u || u.t !== "g" || !u.g) continue;
    const after = toks[i + 2];
    const before = toks[i - 1];
    // `4G RAM` and `4G+64G` are sizes; in `4G رامات 8 جيجابايت` the marker belongs to the next number.
    const ramAfter = after && after.t === "ram" && toks[i + 3]?.k !== "n";
    const sizeContext =
      ramAfter ||
      (after && (after.t === "+" || after.t === "/")) ||
      (before && (before.t === "ram" || before.t === "+" || before.t === "/"));
    if (!sizeContext) use[i] = use[i + 1] = USE_NETWORK;
  }
}

/** Reads storage and RAM, marking the tokens it used in `use`. Call after markNetwork. */
export function extractSpecs(toks: readonly LexToken[], use: Uint8Array): Specs {
  let storage: number | null = null;
  let ram: number | null = null;

  // 1. Pairs: `8/256`, `8+256`, `8GB+256GB`, `256/8`. The first number must stand alone (not `s8+`).
  for (let i = 0; i < toks.length; i++) {
    const a = toks[i];
    if (a.k !== "n" || !isFree(use, i) || (a.g && toks[i - 1]?.k === "w")) continue;
    let j = i + 1;
    const aSized = sizedAt(toks, i);
    if (aSized) j = aSized[1] + 1;
    const sep = toks[j];
    if (!sep || sep.k !== "s" || (sep.t !== "/" && sep.t !== "+")) continue;
    const b = toks[j + 1];
    if (!b || b.k !== "n" || !isFree(use, j + 1)) continue;
    const bSized = sizedAt(toks, j + 1);
    const av = aSized ? aSized[0] : Number(a.t);
    const bv = bSized ? bSized[0] : Number(b.t);
    const end = bSized ? bSized[1] : j + 1;
    let r: number | null = null;
    let s: number | null = null;
    if (isRamSize(av) && snapStorage(bv) !== null && bv >= 16) [r, s] = [av, snapStorage(bv)];
    else if (isRamSize(bv) && snapStorage(av) !== null && av >= 16) [r, s] = [bv, snapStorage(av)];
    else if (isRamSize(av) && isRamSize(bv) && toks[end + 1]?.t === "ram") r = av; // `8+8 RAM` (virtual RAM)
    if (r === null) continue;
    if (ram === null) ram = r;
    if (s !== null && storage === null) storage = s;
    for (let k = i; k <= end; k++) use[k] = USE_SPEC;
    if (s === null && toks[end + 1]?.t === "ram") use[end + 1] = USE_SPEC;
    i = end;
  }

  // 2. Markers: `8GB RAM`, `RAM 8GB`, `رامات 6 جيجابايت`, `رام ٨`, `8 رام`, `مساحه ١٢٨`, `ROM 256GB`.
  for (let p = 0; p < toks.length; p++) {
    const m = toks[p].t;
    const isRam = RAM_MARKERS.has(m);
    if ((!isRam && !STORAGE_MARKERS.has(m)) || !isFree(use, p)) continue;
    // Candidate before (`<n> <unit> RAM`, `<n> RAM`) and after (`RAM <n> [unit]`); one with a unit wins,
    // then the one before (`12GB RAM 512GB`).
    let before: Span | null = null;
    if (isFree(use, p - 1) && toks[p - 1].k === "w" && toks[p - 2]?.k === "n" && isFree(use, p - 2)) {
      const s = sizedAt(toks, p - 2);
      if (s) before = { value: s[0], from: p - 2, to: p - 1, sized: true };
    } else if (isFree(use, p - 1) && toks[p - 1].k === "n" && !(toks[p - 1].g && toks[p - 2]?.k === "w")) {
      before = { value: Number(toks[p - 1].t), from: p - 1, to: p - 1, sized: false };
    }
    let after: Span | null = null;
    if (isFree(use, p + 1) && toks[p + 1].k === "n") {
      const s = sizedAt(toks, p + 1);
      after = { value: s ? s[0] : Number(toks[p + 1].t), from: p + 1, to: s ? s[1] : p + 1, sized: !!s };
    }
    if (before && !fitsMarker(isRam, before.value)) before = null;
    if (after && !fitsMarker(isRam, after.value)) after = null;
    const c = before && (before.sized || !after || !after.sized) ? before : after;
    if (!c) continue;
    if (isRam) {
      if (ram === null) ram = c.value;
    } else if (storage === null) storage = snapStorage(c.value);
    for (let k = c.from; k <= c.to; k++) use[k] = USE_SPEC;
    use[p] = USE_SPEC;
  }

  // 3. Remaining sizes with a unit: the largest is storage, a smaller one RAM.
  const sizes: Span[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!isFree(use, i)) continue;
    const s = sizedAt(toks, i);
    if (s && isFree(use, s[1]) && !(toks[i].g && toks[i - 1]?.k === "w")) {
      if (snapStorage(s[0]) !== null || isRamSize(s[0]))
        sizes.push({ value: s[0], from: i, to: s[1], sized: true });
      i = s[1];
    }
  }
  if (sizes.length > 1) sizes.sort(byValueDescending);
  for (const s of sizes) {
    const snapped = snapStorage(s.value);
    if (storage === null && snapped !== null && (s.value >= 16 || ram !== null)) storage = snapped;
    else if (ram === null && isRamSize(s.value) && (storage === null || s.value < storage)) ram = s.value;
    else continue;
    for (let k = s.from; k <= s.to; k++) use[k] = USE_SPEC;
  }
  if (ram !== null && storage !== null && ram > storage) [ram, storage] = [storage, ram];
  return { storage_gb: storage, ram_gb: ram };
}

/**
 * Storage from a bare number once the model is known (`iphone 13 pro max 256`): a standalone number
 * that is a real capacity of 32 GB or more, optionally preceded by a bare RAM size (`8 256`).
 */
export function bareStorage(toks: readonly LexToken[], use: Uint8Array, specs: Specs): void {
  if (specs.storage_gb !== null) return;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (use[i] !== USE_FREE || t.k !== "n" || t.g) continue;
    const next = toks[i + 1];
    if (next && next.g && next.k !== "s") continue; // part of a word like `256x`
    const v = Number(t.t);
    if (v < 32 || !STORAGE_CAPACITIES.includes(v)) continue;
    specs.storage_gb = v;
    use[i] = USE_SPEC;
    const prev = toks[i - 1];
    if (specs.ram_gb === null && prev && prev.k === "n" && use[i - 1] === USE_FREE && !prev.g) {
      const pv = Number(prev.t);
      if (isRamSize(pv)) {
        specs.ram_gb = pv;
        use[i - 1] = USE_SPEC;
      }
    }
    return;
  }
}
