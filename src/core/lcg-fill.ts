// Reproducible filler values for timing and autotuning, where the values only
// have to be plausible and the same every time: a 32-bit LCG (Numerical
// Recipes' constants), much cheaper than the seeded streams of rng.ts, and it
// touches every page of the buffer up front.

/** Fills `a` with values in [-scale, scale); returns `a`. */
export function fillLcg(a: Float32Array, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (((s >>> 8) / 16777216) * 2 - 1) * scale;
  }
  return a;
}
