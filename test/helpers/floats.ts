// Float32 test utilities: seeded random arrays, guarded buffers, bitwise and
// ulp comparisons. Comparisons return a description of the first mismatch (or
// undefined), so a failing expectation says where and by how much.
import { Rng } from '../../src/core/rng.ts';

/** Uniform values in [−scale, scale), from a named stream so each case is reproducible on its own. */
export function randomF32(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * rng.nextFloat() - 1) * scale;
  return a;
}

/** A generator for one named test case: the case string is the stream name. */
export function caseRng(name: string, seed = 1): Rng {
  return Rng.stream(seed, name);
}

const FRONT = 3;
const TAIL = 5;

/**
 * `len` elements as a view into a larger buffer: FRONT guard elements before
 * the view's start (a non-zero byteOffset) and TAIL guard elements at its end,
 * inside the view (kernel buffers may be longer than the shape needs).
 */
export function guarded(values: Float32Array | number, guard: number): Float32Array {
  const len = typeof values === 'number' ? values : values.length;
  const whole = new Float32Array(FRONT + len + TAIL).fill(guard);
  const view = whole.subarray(FRONT, FRONT + len + TAIL);
  if (typeof values !== 'number') view.set(values);
  return view;
}

/** Undefined when the guards around the first `len` elements of a guarded() view still hold `guard`. */
export function brokenGuard(view: Float32Array, len: number, guard: number): string | undefined {
  const whole = new Float32Array(view.buffer);
  const start = view.byteOffset / 4;
  for (let i = 0; i < whole.length; i++) {
    if (i >= start && i < start + len) continue;
    if (!Object.is(whole[i], guard)) return `guard at ${i - start} (relative to the view) changed to ${whole[i]}`;
  }
  return undefined;
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Undefined when the first n elements are the same bit patterns (so −0 ≠ +0, NaN = NaN). */
export function bitDifference(actual: Float32Array, expected: Float32Array, n = expected.length): string | undefined {
  const [x, y] = [bits(actual), bits(expected)];
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return `[${i}]: ${actual[i]} (0x${x[i].toString(16)}) vs ${expected[i]} (0x${y[i].toString(16)})`;
  }
  return undefined;
}

/** Distance in units in the last place between two float32 values (adjacent floats: 1; +0 and −0: 0). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const ordered = (x: number): number => {
    const i = new Int32Array(new Float32Array([x]).buffer)[0];
    return i < 0 ? -(i & 0x7fffffff) : i; // sign-magnitude to a monotone integer line
  };
  return Math.abs(ordered(a) - ordered(b));
}

/**
 * Undefined when |actual[i] − expected[i]| ≤ bound(i) for every i < n;
 * otherwise the worst violation relative to its bound.
 */
export function boundViolation(actual: ArrayLike<number>, expected: ArrayLike<number>, n: number, bound: (i: number) => number): string | undefined {
  let worst: { i: number; ratio: number } | undefined;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    const b = bound(i);
    const ratio = d / b;
    if (!(d <= b) && (!worst || !(ratio <= worst.ratio))) worst = { i, ratio };
  }
  if (!worst) return undefined;
  const { i } = worst;
  return `[${i}]: ${actual[i]} vs ${expected[i]}, |Δ| = ${Math.abs(actual[i] - expected[i])} > bound ${bound(i)}`;
}

/** The largest |a[i] − b[i]| over the first n elements. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The unit roundoff of float32, 2⁻²⁴. */
export const U32 = 2 ** -24;
