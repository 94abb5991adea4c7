// KDE bounds (Kolchinsky & Tracey; artemyk/ibsgd kde.py): closed forms,
// lower ≤ upper, the class-conditional terms, and native GEMM = reference.
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/backend/native/addon.ts';
import { DEFAULT_NOISE_VARIANCE, kdeConditionalEntropy, kdeEntropy, kdeInformationPlane, kdeRows } from '../../src/mi/kde.ts';
import { randomLabels, randomTanh } from './engines.ts';

const hasNative = !!loadNativeAddon().addon;
const kdeEngines: ['reference' | 'native'][] = [['reference'], ...(hasNative ? [['native'] as ['native']] : [])];

describe('kdeConditionalEntropy', () => {
  it('is the entropy of N(0, σ²I_d): (d/2)(log(2πσ²) + 1) nats', () => {
    expect(kdeConditionalEntropy(1, 1)).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E), 15);
    expect(kdeConditionalEntropy(20, 0.1)).toBeCloseTo(10 * (Math.log(0.2 * Math.PI) + 1), 12);
  });
});

describe.each(kdeEngines)('KDE bounds (%s)', (engine) => {
  it('all points identical ⇒ both bounds equal the noise entropy, I(X;T) = I(T;Y) = 0', () => {
    // dists = 0 ⇒ logsumexp_j(0) = log N ⇒ lprobs_i = −(d/2)·log(2πσ²)
    //   upper = d/2 + (d/2)·log(2πσ²) = kde_condentropy(d, σ²)
    //   lower = [d/2 + (d/2)·log(2π·4σ²)] + (d/2)·log(1/4) = the same
    const n = 50;
    const d = 7;
    const t = new Float32Array(n * d).fill(0.3);
    const noise = kdeConditionalEntropy(d, DEFAULT_NOISE_VARIANCE);
    const h = kdeEntropy(t, n, d, DEFAULT_NOISE_VARIANCE, engine);
    expect(Math.abs(h.upper - noise)).toBeLessThan(1e-12);
    expect(Math.abs(h.lower - noise)).toBeLessThan(1e-12);
    const [p] = kdeInformationPlane([{ activations: t, width: d }], randomLabels(1, n, 2), { engine });
    for (const k of ['ixtUpper', 'ixtLower', 'ityFromUpper', 'ityFromLower'] as const) expect(Math.abs(p[k])).toBeLessThan(1e-12);
    expect(p.htGivenX).toBeCloseTo(noise / Math.log(2), 14);
  });

  it('two far-apart equal clusters ⇒ one bit above the noise; labels = cluster ⇒ I(T;Y) = 1 bit', () => {
    // Cross-cluster distances D = d·20² = 1200 ≫ 8σ², so exp(−D/(2σ²)) and exp(−D/(8σ²)) = e^−1500 vanish:
    //   logsumexp_j = log(N/2) for every row ⇒ H = noise + log 2 (both bounds), and H(T|Y=y) = noise.
    const n = 40;
    const d = 3;
    const t = Float32Array.from({ length: n * d }, (_, k) => (Math.floor(k / d) % 2 === 0 ? -10 : 10));
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const [p] = kdeInformationPlane([{ activations: t, width: d }], labels, { engine });
    for (const k of ['ixtUpper', 'ixtLower', 'ityFromUpper', 'ityFromLower'] as const) expect(Math.abs(p[k] - 1)).toBeLessThan(1e-12);
  });

  it('lower ≤ upper, 0 ≤ I(T;Y) ≤ H(Y) for random tanh layers', () => {
    const n = 300;
    const labels = randomLabels(3, n, 2);
    for (const [d, gain] of [
      [2, 0.3],
      [5, 1],
      [20, 3],
    ] as const) {
      const [p] = kdeInformationPlane([{ activations: randomTanh(d, n, d, gain), width: d }], labels, { engine });
      expect(p.htLower).toBeLessThanOrEqual(p.htUpper);
      expect(p.ixtLower).toBeLessThanOrEqual(p.ixtUpper);
      expect(p.ixtUpper).toBeLessThanOrEqual(Math.log2(n) + 1e-9); // a mixture of N Gaussians: H ≤ noise + log N
      expect(p.ityFromUpper).toBeGreaterThan(-1e-9);
      expect(p.ityFromUpper).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('names the estimator and can subsample (seeded, deterministic)', () => {
    const n = 400;
    const t = randomTanh(7, n, 4, 1);
    const labels = randomLabels(8, n, 3);
    const a = kdeInformationPlane([{ name: 'h', activations: t, width: 4 }], labels, { engine, subsample: 100, seed: 5 });
    expect(a[0]).toMatchObject({ name: 'h', engine, estimator: { scheme: 'kde', noiseVariance: 0.1, samples: 100, subsampled: true } });
    expect(kdeInformationPlane([{ name: 'h', activations: t, width: 4 }], labels, { engine, subsample: 100, seed: 5 })).toEqual(a);
    expect(kdeInformationPlane([{ activations: t, width: 4 }], labels, { engine, noiseVariance: 0.5 })[0].estimator).toEqual({
      scheme: 'kde',
      noiseVariance: 0.5,
      samples: n,
      subsampled: false,
    });
  });

  it('rejects bad inputs naming the field', () => {
    const t = randomTanh(1, 10, 2);
    const labels = randomLabels(1, 10, 2);
    expect(() => kdeInformationPlane([{ activations: t, width: 2 }], labels, { engine, noiseVariance: 0 })).toThrow(/^noiseVariance: /);
    expect(() => kdeInformationPlane([{ activations: t, width: 3 }], labels, { engine })).toThrow(/^layers\[0\]\.activations: has 20 elements/);
    expect(() => kdeInformationPlane([{ activations: t, width: 2 }], labels, { engine, subsample: 0 })).toThrow(/^subsample: /);
    const bad = Float32Array.from(t);
    bad[3] = Infinity;
    expect(() => kdeInformationPlane([{ activations: bad, width: 2 }], labels, { engine })).toThrow(/element 3 \(row 1, unit 1\) is Infinity/);
  });
});

describe('kdeRows', () => {
  it('all rows, or a sorted seeded subsample without repeats', () => {
    expect([...kdeRows(5, undefined)]).toEqual([0, 1, 2, 3, 4]);
    const rows = kdeRows(1000, 50, 3);
    expect(rows.length).toBe(50);
    expect(new Set(rows).size).toBe(50);
    expect([...rows]).toEqual([...rows].sort((a, b) => a - b));
    expect(kdeRows(1000, 50, 3)).toEqual(rows);
    expect(kdeRows(1000, 50, 4)).not.toEqual(rows);
  });
});

describe.runIf(hasNative)('native GEMM distances = float64 reference', () => {
  it('agree to float32 rounding of the dot products', () => {
    const n = 600;
    const labels = randomLabels(11, n, 10);
    for (const [d, gain] of [
      [2, 1],
      [20, 2],
      [100, 0.3],
    ] as const) {
      const layer = [{ activations: randomTanh(20 + d, n, d, gain), width: d }];
      const [a] = kdeInformationPlane(layer, labels, { engine: 'native' });
      const [b] = kdeInformationPlane(layer, labels, { engine: 'reference' });
      for (const k of ['ixtUpper', 'ixtLower', 'ityFromUpper', 'ityFromLower', 'htUpper', 'htLower'] as const) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-4);
      expect(a.htGivenX).toBe(b.htGivenX);
    }
  });
});
