/**
 * Storage and RAM from title tokens. RAM is never taken for storage: a marker (`RAM`, `رامات`,
 * `ROM`, `مساحة`) binds the number next to it; in a pair (`8/256`, `8GB+256GB`) or two unlabelled
 * sizes the larger is storage and the smaller RAM. Storage typos snap to a real capacity.
 */
import { LexToken } from "./lexical";
import { F_SPEC_MARKER } from "./text";

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
export const RAM_MARKERS: ReadonlySet<string> = new Set(["ram"]);
export const STORAGE_MARKERS: ReadonlySet<string> = new Set(["storage", "rom", "memory", "internal"]);
const NETWORK_GENERATIONS: ReadonlySet<string> = new Set(["2", "3", "4", "5"]);

/** How each token was used, so the model matcher skips spec tokens. */
export const USE_FREE = 0;
export const USE_SPEC = 1;
export const USE_NETWORK = 2;
export const USE_MODEL = 3;

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
  if (Number.isInteger(value) && value >= 10 && value < 10000) {
    // A digit transposition: same multiset of digits as a capacity (a 5+ character number cannot be one).
    const sig = digitSignature(value);
    for (let k = 0; k < TRANSPOSABLE.length; k++) if (TRANSPOSABLE_SIGS[k] === sig) return TRANSPOSABLE[k];
  }
  return null;
}

/** Σ 10^digit over the digits of a positive integer below 10,000 (equal for digit permutations only). */
function digitSignature(value: number): number {
  let sig = 0;
  for (let v = value; v > 0; v = Math.floor(v / 10)) sig += DIGIT_WEIGHT[v % 10];
  return sig;
}
const DIGIT_WEIGHT: readonly number[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** Capacities a transposed number can snap to (16 GB and up), in STORAGE_CAPACITIES order. */
const TRANSPOSABLE: readonly number[] = STORAGE_CAPACITIES.filter((c) => c >= 16);
const TRANSPOSABLE_SIGS: readonly number[] = TRANSPOSABLE.map(digitSignature);

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

/**
 * A size in GB when token i is a number followed by a unit (the unit is token i + 1), or NO_SIZE.
 * Returned as a bare number so the hot loops allocate nothing.
 */
const NO_SIZE = -1;
function sizedAt(toks: readonly LexToken[], i: number): number {
  if (i < 0 || i + 1 >= toks.length) return NO_SIZE;
  const t = toks[i];
  if (t.k !== "n") return NO_SIZE;
  const u = toks[i + 1];
  if (u.k !== "w") return NO_SIZE;
  if (GB_UNITS.has(u.t)) return Number(t.t);
  if (TB_UNITS.has(u.t)) return Number(t.t) * 1024;
  return NO_SIZE;
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

/** Unlabelled sizes of step 3 of extractSpecs, reused across titles (parallel arrays, `sizeCount` used). */
let sizeValue = new Float64Array(16);
let sizeFrom = new Int32Array(16);
let sizeCount = 0;

/** Appends a size, keeping the list sorted by value, largest first, stably (as Array.sort would). */
function addSize(value: number, from: number): void {
  if (sizeCount === sizeValue.length) {
    const v = new Float64Array(sizeCount * 2);
    const f = new Int32Array(sizeCount * 2);
    v.set(sizeValue);
    f.set(sizeFrom);
    sizeValue = v;
    sizeFrom = f;
  }
  let k = sizeCount++;
  while (k > 0 && sizeValue[k - 1] < value) {
    sizeValue[k] = sizeValue[k - 1];
    sizeFrom[k] = sizeFrom[k - 1];
    k--;
  }
  sizeValue[k] = value;
  sizeFrom[k] = from;
}

/** Reads storage and RAM, marking the tokens it used in `use`. Call after markNetwork. */
export function extractSpecs(toks: readonly LexToken[], use: Uint8Array): Specs {
  let storage: number | null = null;
  let ram: number | null = null;
  const n = toks.length;

  // 1. Pairs: `8/256`, `8+256`, `8GB+256GB`, `256/8`. The first number must stand alone (not `s8+`).
  for (let i = 0; i < n; i++) {
    const a = toks[i];
    if (a.k !== "n" || use[i] !== USE_FREE || (a.g && i > 0 && toks[i - 1].k === "w")) continue;
    const aSized = sizedAt(toks, i);
    const j = aSized !== NO_SIZE ? i + 2 : i + 1;
    if (j >= n) continue;
    const sep = toks[j];
    if (sep.k !== "s" || (sep.t !== "/" && sep.t !== "+")) continue;
    if (j + 1 >= n) continue;
    const b = toks[j + 1];
    if (b.k !== "n" || use[j + 1] !== USE_FREE) continue;
    const bSized = sizedAt(toks, j + 1);
    const av = aSized !== NO_SIZE ? aSized : Number(a.t);
    const bv = bSized !== NO_SIZE ? bSized : Number(b.t);
    const end = bSized !== NO_SIZE ? j + 2 : j + 1;
    let r: number | null = null;
    let s: number | null = null;
    if (isRamSize(av) && bv >= 16 && snapStorage(bv) !== null) {
      r = av;
      s = snapStorage(bv);
    } else if (isRamSize(bv) && av >= 16 && snapStorage(av) !== null) {
      r = bv;
      s = snapStorage(av);
    } else if (isRamSize(av) && isRamSize(bv) && end + 1 < n && toks[end + 1].t === "ram") r = av; // `8+8 RAM` (virtual RAM)
    if (r === null) continue;
    if (ram === null) ram = r;
    if (s !== null && storage === null) storage = s;
    for (let k = i; k <= end; k++) use[k] = USE_SPEC;
    if (s === null && end + 1 < n && toks[end + 1].t === "ram") use[end + 1] = USE_SPEC;
    i = end;
  }

  // 2. Markers: `8GB RAM`, `RAM 8GB`, `رامات 6 جيجابايت`, `رام ٨`, `8 رام`, `مساحه ١٢٨`, `ROM 256GB`.
  for (let p = 0; p < n; p++) {
    if ((toks[p].f & F_SPEC_MARKER) === 0) continue;
    const m = toks[p].t;
    const isRam = RAM_MARKERS.has(m);
    if ((!isRam && !STORAGE_MARKERS.has(m)) || use[p] !== USE_FREE) continue;
    // Candidate before (`<n> <unit> RAM`, `<n> RAM`) and after (`RAM <n> [unit]`); one with a unit wins,
    // then the one before (`12GB RAM 512GB`).
    let hasBefore = false;
    let beforeValue = 0;
    let beforeFrom = 0;
    let beforeSized = false;
    if (
      isFree(use, p - 1) &&
      toks[p - 1].k === "w" &&
      p >= 2 &&
      toks[p - 2].k === "n" &&
      use[p - 2] === USE_FREE
    ) {
      const v = sizedAt(toks, p - 2);
      if (v !== NO_SIZE) {
        hasBefore = true;
        beforeValue = v;
        beforeFrom = p - 2;
        beforeSized = true;
      }
    } else if (
      isFree(use, p - 1) &&
      toks[p - 1].k === "n" &&
      !(toks[p - 1].g && p >= 2 && toks[p - 2].k === "w")
    ) {
      hasBefore = true;
      beforeValue = Number(toks[p - 1].t);
      beforeFrom = p - 1;
    }
    let hasAfter = false;
    let afterValue = 0;
    let afterTo = 0;
    let afterSized = false;
    if (isFree(use, p + 1) && toks[p + 1].k === "n") {
      const v = sizedAt(toks, p + 1);
      hasAfter = true;
      afterSized = v !== NO_SIZE;
      afterValue = afterSized ? v : Number(toks[p + 1].t);
      afterTo = afterSized ? p + 2 : p + 1;
    }
    if (hasBefore && !fitsMarker(isRam, beforeValue)) hasBefore = false;
    if (hasAfter && !fitsMarker(isRam, afterValue)) hasAfter = false;
    let value: number;
    let from: number;
    let to: number;
    if (hasBefore && (beforeSized || !hasAfter || !afterSized)) {
      value = beforeValue;
      from = beforeFrom;
      to = p - 1;
    } else if (hasAfter) {
      value = afterValue;
      from = p + 1;
      to = afterTo;
    } else continue;
    if (isRam) {
      if (ram === null) ram = value;
    } else if (storage === null) storage = snapStorage(value);
    for (let k = from; k <= to; k++) use[k] = USE_SPEC;
    use[p] = USE_SPEC;
  }

  // 3. Remaining sizes with a unit: the largest is storage, a smaller one RAM.
  sizeCount = 0;
  for (let i = 0; i < n; i++) {
    if (use[i] !== USE_FREE) continue;
    const v = sizedAt(toks, i);
    if (v !== NO_SIZE && use[i + 1] === USE_FREE && !(toks[i].g && i > 0 && toks[i - 1].k === "w")) {
      if (snapStorage(v) !== null || isRamSize(v)) addSize(v, i);
      i = i + 1;
    }
  }
  for (let k = 0; k < sizeCount; k++) {
    const value = sizeValue[k];
    const snapped = snapStorage(value);
    if (storage === null && snapped !== null && (value >= 16 || ram !== null)) storage = snapped;
    else if (ram === null && isRamSize(value) && (storage === null || value < storage)) ram = value;
    else continue;
    use[sizeFrom[k]] = USE_SPEC;
    use[sizeFrom[k] + 1] = USE_SPEC;
  }
  if (ram !== null && storage !== null && ram > storage) {
    const t = ram;
    ram = storage;
    storage = t;
  }
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
