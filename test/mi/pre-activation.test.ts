// Pre-activation binning: binning t = f(z) on edges f(e_k) is binning z on the
// uniform edges e_k, for tanh and ReLU, checked against a direct digitize of
// t by the mapped edges.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { binningParams, parseBinning } from '../../src/mi/binning.ts';
import { TANH_SATURATION, preActivations } from '../../src/mi/pre-activation.ts';
import { engines } from './engines.ts';

/** The bin of t among mapped edges f(e_0) < … (half-open [f(e_k), f(e_{k+1})), clamped to the end bins). */
function mappedEdgeBin(t: number, edges: number[], f: (z: number) => number): number {
  let bin = 0;
  for (let k = 1; k < edges.length - 1; k++) if (t >= Math.fround(f(edges[k]))) bin = k;
  return bin;
}

describe.each(engines)('bin-space pre (%s)', (_, engine) => {
  const n = 2000;
  const rng = new Rng(4);
  const z = Float32Array.from({ length: n }, () => 3 * rng.nextNormal());
  const bins = 12;
  const [lo, hi] = [-6, 6];
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
  const params = binningParams(parseBinning(`fixed:${bins}:${lo}:${hi}`), 'linear');

  it.each([
    ['tanh', (v: number) => Math.tanh(v)],
    ['relu', (v: number) => Math.max(0, v)],
  ] as const)('%s: bin codes of f⁻¹(t) on uniform edges = t on the mapped edges f(e_k)', (activation, f) => {
    const t = z.map(f);
    const codes = new Int32Array(n);
    engine.binCodes(codes, preActivations(t, activation), n, 1, params);
    const want = Int32Array.from(t, (v) => mappedEdgeBin(v, edges, f));
    // Values within a float32 rounding of a mapped edge may sit on either side; everything else must agree.
    const near = (i: number) => edges.some((e) => Math.abs(t[i] - f(e)) < 1e-6);
    const mismatches = [...codes.keys()].filter((i) => codes[i] !== want[i] && !near(i));
    expect(mismatches).toEqual([]);
    if (activation === 'relu') expect(new Set(Array.from(codes).filter((_, i) => z[i] <= 0)).size).toBe(1); // every z ≤ 0 in one bin
  });
});

describe('preActivations', () => {
  it('maps saturated tanh ±1 to ±atanh(1 − 2⁻²⁴), finite', () => {
    const out = preActivations(Float32Array.of(1, -1, 0.5), 'tanh');
    expect([...out]).toEqual([Math.fround(TANH_SATURATION), Math.fround(-TANH_SATURATION), Math.fround(Math.atanh(0.5))]);
    expect(Number.isFinite(out[0])).toBe(true);
  });
  it('refuses a softmax layer, naming binSpace', () => {
    expect(() => preActivations(new Float32Array(2), 'softmax')).toThrow(/^binSpace: pre-activation binning needs a tanh, relu or linear layer, got softmax/);
  });
});
