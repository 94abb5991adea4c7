// The one ranking rule shared by every mask builder: among candidate
// positions, pick the k with the smallest score; among equal scores the
// lowest index goes first. torch uses `torch.topk`, whose order among ties is
// unspecified, so this rule is ours; it makes masks reproducible.

/**
 * Indices (ascending) of the k smallest `scores[i]` over positions with
 * `candidate[i] === 1`. Requires 0 <= k <= number of candidates and no NaN
 * scores (callers validate both).
 */
export function smallestK(scores: Float32Array | Float64Array, candidate: Uint8Array, k: number): Int32Array {
  const picked = new Int32Array(k);
  if (k === 0) return picked;
  let n = 0;
  for (let i = 0; i < candidate.length; i++) n += candidate[i];
  // Sort the candidate scores (typed-array sort is numeric) to find the k-th
  // smallest value, then walk positions in index order: everything below the
  // threshold goes, plus the first `ties` positions equal to it.
  const values = scores instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0, m = 0; i < candidate.length; i++) if (candidate[i]) values[m++] = scores[i];
  values.sort();
  const threshold = values[k - 1];
  let below = 0;
  while (values[below] < threshold) below++;
  let ties = k - below;
  for (let i = 0, m = 0; m < k && i < candidate.length; i++) {
    if (!candidate[i]) continue;
    const s = scores[i];
    if (s < threshold || (s === threshold && ties-- > 0)) picked[m++] = i;
  }
  return picked;
}
