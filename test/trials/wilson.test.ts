import { describe, expect, it } from 'vitest';
import { proportion, wilsonInterval, Z95 } from '../../src/experiment/trials/wilson.ts';

// Known values, computed by hand from the formula with z = 1.959964 (z² = 3.841459):
//   n = 10: z²/n = 0.3841459, 1 + z²/n = 1.3841459, z/(1 + z²/n) = 1.416009.
//   0/10:  centre = (0 + 0.1920730)/1.3841459 = 0.138767;
//          half = 1.416009·√(0 + 3.841459/400) = 1.416009·0.0979982 = 0.138766 → [0, 0.277533]
//   5/10:  centre = (0.5 + 0.1920730)/1.3841459 = 0.5;
//          half = 1.416009·√(0.025 + 0.0096036) = 1.416009·0.1860203 = 0.263407 → [0.236593, 0.763407]
//   10/10: mirror of 0/10 → [0.722467, 1]
//   1/20:  (same steps, n = 20) → [0.008881, 0.236131]
describe('Wilson score interval (95%)', () => {
  it.each([
    [0, 10, 0, 0.277533],
    [5, 10, 0.236593, 0.763407],
    [10, 10, 0.722467, 1],
    [1, 20, 0.008881, 0.236131],
  ])('%i/%i → [%f, %f]', (k, n, lo, hi) => {
    const [a, b] = wilsonInterval(k, n);
    expect(a).toBeCloseTo(lo, 5);
    expect(b).toBeCloseTo(hi, 5);
  });

  it('uses z = Φ⁻¹(0.975), is symmetric under k → n − k, and contains the fraction', () => {
    expect(Z95).toBeCloseTo(1.959964, 6);
    for (const n of [1, 7, 100]) {
      for (let k = 0; k <= n; k++) {
        const [lo, hi] = wilsonInterval(k, n);
        const [lo2, hi2] = wilsonInterval(n - k, n);
        expect(lo).toBeCloseTo(1 - hi2, 12);
        expect(hi).toBeCloseTo(1 - lo2, 12);
        expect(lo).toBeLessThanOrEqual(k / n);
        expect(hi).toBeGreaterThanOrEqual(k / n);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
      }
    }
  });

  it('knows nothing from no runs, and refuses impossible counts', () => {
    expect(proportion(0, 0)).toEqual({ count: 0, total: 0, fraction: null, wilson95: [0, 1] });
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0.5, 2)).toThrow(RangeError);
  });
});
