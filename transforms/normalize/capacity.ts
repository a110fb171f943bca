/** Storage capacities phones are sold in, and snapping a stated size (possibly a typo) to one of them. */

export const STORAGE_CAPACITIES: readonly number[] = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

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
