/**
 * Storage and RAM from title tokens. RAM is never taken for storage: a marker (`RAM`, `رامات`,
 * `ROM`, `مساحة`) binds the number next to it; in a pair (`8/256`, `8GB+256GB`) or two unlabelled
 * sizes the larger is storage and the smaller RAM. Storage typos snap to a real capacity.
 */
import { snapStorage, STORAGE_CAPACITIES } from "./capacity";
import { LexToken } from "./lexical";
import { F_SPEC_MARKER } from "./text";

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

/** Unlabelled sizes of step 3 (readUnlabelledSizes), reused across titles (parallel arrays, `sizeCount` used). */
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
  const specs: Specs = { storage_gb: null, ram_gb: null };
  readPairs(toks, use, specs);
  readMarkers(toks, use, specs);
  readUnlabelledSizes(toks, use, specs);
  const ram = specs.ram_gb;
  const storage = specs.storage_gb;
  if (ram !== null && storage !== null && ram > storage) {
    specs.ram_gb = storage;
    specs.storage_gb = ram;
  }
  return specs;
}

/** Step 1, pairs: `8/256`, `8+256`, `8GB+256GB`, `256/8`. The first number must stand alone (not `s8+`). */
function readPairs(toks: readonly LexToken[], use: Uint8Array, specs: Specs): void {
  const n = toks.length;
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
    if (specs.ram_gb === null) specs.ram_gb = r;
    if (s !== null && specs.storage_gb === null) specs.storage_gb = s;
    for (let k = i; k <= end; k++) use[k] = USE_SPEC;
    if (s === null && end + 1 < n && toks[end + 1].t === "ram") use[end + 1] = USE_SPEC;
    i = end;
  }
}

/** Step 2, markers: `8GB RAM`, `RAM 8GB`, `رامات 6 جيجابايت`, `رام ٨`, `8 رام`, `مساحه ١٢٨`, `ROM 256GB`. */
function readMarkers(toks: readonly LexToken[], use: Uint8Array, specs: Specs): void {
  for (let p = 0; p < toks.length; p++) {
    if ((toks[p].f & F_SPEC_MARKER) === 0) continue;
    const m = toks[p].t;
    const isRam = RAM_MARKERS.has(m);
    if ((!isRam && !STORAGE_MARKERS.has(m)) || use[p] !== USE_FREE) continue;
    readMarker(toks, use, specs, p, isRam);
  }
}

/**
 * The size marker p labels. Candidate before (`<n> <unit> RAM`, `<n> RAM`) and after (`RAM <n> [unit]`);
 * one with a unit wins, then the one before (`12GB RAM 512GB`).
 */
function readMarker(
  toks: readonly LexToken[],
  use: Uint8Array,
  specs: Specs,
  p: number,
  isRam: boolean,
): void {
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
  if (hasBefore && (beforeSized || !hasAfter || !afterSized)) {
    takeMarked(use, specs, p, isRam, beforeValue, beforeFrom, p - 1);
  } else if (hasAfter) takeMarked(use, specs, p, isRam, afterValue, p + 1, afterTo);
}

/** Records the size marker p labels (tokens from..to) and marks them and the marker as used. */
function takeMarked(
  use: Uint8Array,
  specs: Specs,
  p: number,
  isRam: boolean,
  value: number,
  from: number,
  to: number,
): void {
  if (isRam) {
    if (specs.ram_gb === null) specs.ram_gb = value;
  } else if (specs.storage_gb === null) specs.storage_gb = snapStorage(value);
  for (let k = from; k <= to; k++) use[k] = USE_SPEC;
  use[p] = USE_SPEC;
}

/** Step 3, remaining sizes with a unit: the largest is storage, a smaller one RAM. */
function readUnlabelledSizes(toks: readonly LexToken[], use: Uint8Array, specs: Specs): void {
  sizeCount = 0;
  for (let i = 0; i < toks.length; i++) {
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
    const storage = specs.storage_gb;
    if (storage === null && snapped !== null && (value >= 16 || specs.ram_gb !== null))
      specs.storage_gb = snapped;
    else if (specs.ram_gb === null && isRamSize(value) && (storage === null || value < storage))
      specs.ram_gb = value;
    else continue;
    use[sizeFrom[k]] = USE_SPEC;
    use[sizeFrom[k] + 1] = USE_SPEC;
  }
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
