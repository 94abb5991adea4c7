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
  const picked = new Int32Array(k);
  if (k === 0) return picked;
  if (candidate === null) return smallestKOfAll(scores, k, picked);
  let n = 0;
  for (let i = 0; i < candidate.length; i++) n += candidate[i];
  // Find the k-th smallest candidate score (selection, not a sort: iterative
  // pruning ranks hundreds of thousands of scores a hundred times), then walk
  // positions in index order: everything below the threshold goes, plus the
  // first `ties` positions equal to it.
  const values = scores instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0, m = 0; i < candidate.length; i++) if (candidate[i]) values[m++] = scores[i];
  const threshold = kthSmallest(values, k - 1);
  let below = 0;
  for (let i = 0; i < n; i++) if (values[i] < threshold) below++;
  let ties = k - below;
  for (let i = 0, m = 0; m < k && i < candidate.length; i++) {
    if (!candidate[i]) continue;
    const s = scores[i];
    if (s < threshold || (s === threshold && ties-- > 0)) picked[m++] = i;
  }
  return picked;
}

function smallestKOfAll(scores: Float32Array | Float64Array, k: number, picked: Int32Array): Int32Array {
  const threshold = kthSmallest(scores.slice(), k - 1);
  let below = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] < threshold) below++;
  let ties = k - below;
  for (let i = 0, m = 0; m < k && i < scores.length; i++) {
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
