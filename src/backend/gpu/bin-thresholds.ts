// Bin codes as counts of float32 thresholds, so that a float32 device (GLSL,
// WebAssembly f32) reproduces the float64 formulas of src/mi/reference.ts bit
// for bit.
//
// Every bounded scheme's code is a nondecreasing step function of h (each
// float64 operation in its formula is monotone), so for float32 inputs
//   code(h) = #{ k : t_k ≤ h },
// where t_k is the least float32 at which the code reaches its k-th step.
// Comparing two float32 values is exact on any device, so a kernel that
// counts thresholds ≤ h (a binary search over the sorted t_k) is exact.
//
//   fixed, adaptive   code = clamp(floor(((h − lo)/(hi − lo))·m), 0, m − 1):
//                     t_k = least float32 with ((t − lo)/span)·m ≥ k, k = 1..m−1.
//   idnns             code = #{edges e_k ≤ h} (np.digitize): t_k = the least
//                     float32 ≥ e_k (e_k = np.linspace cast to float32, so
//                     t_k = e_k).
//
// Steps no finite float32 reaches are left out; steps every finite float32
// has reached become −FLT_MAX. Width binning is unbounded and handled apart
// (binning.ts).
import type { BinningParams } from '../mi-kernels.ts';
import { idnnsEdges } from '../reference/mi.ts';

export const FLT_MAX = 3.4028234663852886e38;

const scratch = new Float32Array(1);
const scratchBits = new Int32Array(scratch.buffer);
const MAX_KEY = 0x7f7fffff; // FLT_MAX's bits

/** float32 values on a monotone integer line (−0 and +0 share 0; adjacent floats differ by 1). */
export function float32Key(f: number): number {
  scratch[0] = f;
  const i = scratchBits[0];
  return i < 0 ? -(i & 0x7fffffff) : i;
}

export function float32FromKey(key: number): number {
  scratchBits[0] = key >= 0 ? key : -key | 0x80000000;
  return scratch[0];
}

/** The least key in [−MAX_KEY, MAX_KEY] where `reached` holds (it is monotone), or undefined if none. */
function leastKey(reached: (key: number) => boolean, guess: number): number | undefined {
  if (!reached(MAX_KEY)) return undefined;
  if (reached(-MAX_KEY)) return -MAX_KEY;
  const g = Math.min(MAX_KEY, Math.max(-MAX_KEY, guess));
  // Bracket [no, yes] around the guess with doubling steps, then bisect.
  let no: number;
  let yes: number;
  if (reached(g)) {
    yes = g;
    let step = 1;
    no = Math.max(-MAX_KEY, g - step);
    while (reached(no)) {
      yes = no;
      step *= 2;
      no = Math.max(-MAX_KEY, g - step);
    }
  } else {
    no = g;
    let step = 1;
    yes = Math.min(MAX_KEY, g + step);
    while (!reached(yes)) {
      no = yes;
      step *= 2;
      yes = Math.min(MAX_KEY, g + step);
    }
  }
  while (yes - no > 1) {
    const mid = no + Math.floor((yes - no) / 2);
    if (reached(mid)) yes = mid;
    else no = mid;
  }
  return yes;
}

/** The least float32 ≥ x (x finite), or Infinity when x > FLT_MAX. */
function ceilFloat32(x: number): number {
  if (x > FLT_MAX) return Infinity;
  if (x <= -FLT_MAX) return -FLT_MAX;
  const f = Math.fround(x);
  if (f >= x) return f;
  return float32FromKey(float32Key(f) + 1);
}

/**
 * Sorted float32 thresholds t with code(h) = #{t ≤ h} for every finite
 * float32 h, for a bounded scheme over the resolved range [lo, hi].
 */
export function binThresholds(p: BinningParams, lo: number, hi: number): Float32Array {
  if (p.scheme === 'width') throw new RangeError('binThresholds: width binning is unbounded and has no thresholds');
  if (p.scheme === 'idnns') {
    const edges = idnnsEdges(lo, hi, p.bins);
    const t = Array.from(edges, ceilFloat32).filter((v) => v !== Infinity);
    return Float32Array.from(t).sort();
  }
  // fixed / adaptive: the reference's expression, in its order.
  const span = hi - lo;
  const m = p.bins;
  if (!(span > 0)) return new Float32Array(0); // a constant layer under adaptive binning: all in bin 0
  const t: number[] = [];
  for (let k = 1; k < m; k++) {
    const reached = (key: number) => Math.floor(((float32FromKey(key) - lo) / span) * m) >= k;
    const guess = float32Key(Math.max(-FLT_MAX, Math.min(FLT_MAX, lo + (span * k) / m)));
    const key = leastKey(reached, guess);
    if (key === undefined) break; // no finite float32 reaches step k, nor any later step
    t.push(float32FromKey(key));
  }
  return Float32Array.from(t);
}

/** code(h) from thresholds, on the host: the number of t ≤ h (the kernel's binary search, for tests). */
export function codeFromThresholds(thresholds: Float32Array, h: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (thresholds[mid] <= h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
