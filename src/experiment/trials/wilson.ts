// The Wilson score interval for a binomial proportion (Wilson 1927): unlike
// the normal approximation p ± z·√(p(1−p)/n) it stays inside [0, 1] and is
// not empty at 0/n or n/n, which matters for rare outcomes.
//
//   centre = (p + z²/2n) / (1 + z²/n)
//   half   = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)
//
// z = Φ⁻¹(0.975) = 1.959963984540054 for 95%.

export const Z95 = 1.959963984540054;

export interface Proportion {
  count: number;
  total: number;
  /** count / total; null when total = 0. */
  fraction: number | null;
  /** 95% Wilson interval; [0, 1] when total = 0 (nothing is known). */
  wilson95: [number, number];
}

export function wilsonInterval(count: number, total: number, z = Z95): [number, number] {
  if (!(Number.isInteger(count) && Number.isInteger(total) && count >= 0 && count <= total)) {
    throw new RangeError(`wilsonInterval: need integers 0 ≤ count ≤ total, got ${count}/${total}`);
  }
  if (total === 0) return [0, 1];
  const p = count / total;
  const z2n = (z * z) / total;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / total + z2n / (4 * total));
  // At 0/n (n/n) the lower (upper) bound is exactly 0 (1) in reals: pin it, rounding would leave 1e-17.
  return [count === 0 ? 0 : Math.max(0, centre - half), count === total ? 1 : Math.min(1, centre + half)];
}

export function proportion(count: number, total: number): Proportion {
  return { count, total, fraction: total ? count / total : null, wilson95: wilsonInterval(count, total) };
}
