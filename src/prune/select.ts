// The one ranking rule shared by every mask builder: among candidate
// positions, pick the k with the smallest score; among equal scores the
// lowest index goes first. torch uses `torch.topk`, whose order among ties is
// unspecified, so this rule is ours; it makes masks reproducible.

/**
 * Indices (ascending) of the k smallest `scores[i]` over positions with
 * `candidate[i] === 1` (every position when `candidate` is null). Requires
 * 0 <= k <= number of candidates and no NaN scores (callers validate both).
 */
export function smallestK(scores: Float32Array | Float64Array, candidate: Uint8Array | null, k: number): Int32Array {
  if (candidate === null) return smallestKOfAll(scores, k);
  const picked = new Int32Array(k);
  if (k === 0) return picked;
  let n = 0;
  for (let i = 0; i < candidate.length; i++) n += candidate[i];
  // Find the k-th smallest candidate score (selection, not a sort: iterative
  // pruning ranks hundreds of thousands of scores a hundred times), then walk
  // positions in index order: everything below the threshold goes, plus the
  // first `ties` positions equal to it.
  const values = scores instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0, m = 0; i < candidate.length; i++) if (candidate[i]) values[m++] = scores[i];
  const threshold = kthSmallest(values, k - 1);
  let ties = k - countBelow(values, threshold);
  for (let i = 0, m = 0; m < k && i < candidate.length; i++) {
    if (!candidate[i]) continue;
    const s = scores[i];
    if (s < threshold || (s === threshold && ties-- > 0)) picked[m++] = i;
  }
  return picked;
}

/**
 * smallestK over every position, selecting in `work` (scores.length entries,
 * overwritten): iterative pruning passes one buffer for all its rounds, as a
 * fresh copy of a million scores per round costs more than the selection.
 */
export function smallestKOfAll(scores: Float32Array | Float64Array, k: number, work?: Float32Array | Float64Array): Int32Array {
  const picked = new Int32Array(k);
  if (k === 0) return picked;
  const values = work === undefined ? scores.slice() : work.subarray(0, scores.length);
  const candidates = smallCandidates(scores, k, values);
  if (candidates === null) values.set(scores);
  const pool = candidates ?? values;
  const threshold = kthSmallest(pool, k - 1);
  return pickUpTo(scores, threshold, k - countBelow(pool, threshold), picked);
}

/**
 * For k well below n (a round of iterative pruning): the scores at or below
 * a bound taken from a strided sample, gathered into `work`, when they are
 * at least k. Every score below the k-th smallest is then among them, so
 * selecting there gives the same threshold and count below as selecting in
 * all n, in one read pass instead of a quickselect over everything. Null
 * when k is not small or the bound falls short.
 */
function smallCandidates(scores: Float32Array | Float64Array, k: number, work: Float32Array | Float64Array): Float32Array | Float64Array | null {
  const n = scores.length;
  if (k * 8 > n) return null;
  const m = Math.min(n, 2048);
  for (let i = 0; i < m; i++) work[i] = scores[Math.floor((i * n) / m)];
  // Twice the sample's expected rank of the k-th smallest, plus slack for small samples.
  const bound = kthSmallest(work.subarray(0, m), Math.min(m - 1, Math.ceil((2 * k * m) / n) + 16));
  const c = gatherAtMost(scores, bound, work);
  return c >= k ? work.subarray(0, c) : null;
}

function gatherAtMost(scores: Float32Array | Float64Array, bound: number, work: Float32Array | Float64Array): number {
  let c = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] <= bound) work[c++] = scores[i];
  return c;
}

// The passes are functions of their own: V8 then optimizes each loop with
// its feedback, rather than re-entering stale on-stack-replaced code that
// falls back to the interpreter at the next statement on every call.

function countBelow(values: Float32Array | Float64Array, threshold: number): number {
  let below = 0;
  for (let i = 0; i < values.length; i++) if (values[i] < threshold) below++;
  return below;
}

/** Fills `picked` with the positions below `threshold` and the first `ties` equal to it, in index order. */
function pickUpTo(scores: Float32Array | Float64Array, threshold: number, ties: number, picked: Int32Array): Int32Array {
  for (let i = 0, m = 0; m < picked.length && i < scores.length; i++) {
    const s = scores[i];
    if (s < threshold || (s === threshold && ties-- > 0)) picked[m++] = i;
  }
  return picked;
}

/**
 * The value of rank `rank` (0-based) in ascending order; reorders `values`.
 * Quickselect with a median-of-three pivot and a three-way partition, so
 * runs of equal scores (pruned zeros, ties) cost one pass.
 */
export function kthSmallest(values: Float32Array | Float64Array, rank: number): number {
  let lo = 0;
  let hi = values.length - 1;
  for (;;) {
    if (lo === hi) return values[lo];
    const mid = lo + ((hi - lo) >> 1);
    const [a, b, c] = [values[lo], values[mid], values[hi]];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Dutch national flag: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = values[i];
      if (v < pivot) {
        values[i++] = values[lt];
        values[lt++] = v;
      } else if (v > pivot) {
        values[i] = values[gt];
        values[gt--] = v;
      } else i++;
    }
    if (rank < lt) hi = lt - 1;
    else if (rank > gt) lo = gt + 1;
    else return pivot;
  }
}
