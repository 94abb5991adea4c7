// Bin codes and out-of-range counts on and next to every edge, in layers large
// enough for the native engine's vector path (a float guess of the code that
// defers to the exact formula within a few ulps of an edge): the codes must
// equal the reference's bit for bit, whatever the range and the bin count.
import { describe, expect, it } from 'vitest';
import type { BinningParams } from '../../src/backend/mi-kernels.ts';
import { countOutside, idnnsEdges, referenceMiEngine } from '../../src/backend/reference/mi.ts';
import { Rng } from '../../src/core/rng.ts';
import { nativeEngine, randomTanh } from './engines.ts';

const WIDTH = 37; // four 8-wide vectors and a tail of 5

/** x and its `ulps` float32 neighbours on each side. */
function around(x: number, ulps: number): number[] {
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  const out: number[] = [];
  for (let d = -ulps; d <= ulps; d++) {
    const v = new Float32Array(1);
    const b = new Int32Array(v.buffer);
    // Finite floats ordered as integers: step the magnitude away from or towards zero.
    const key = bits[0] >= 0 ? bits[0] + d : -(bits[0] & 0x7fffffff) + d;
    b[0] = key >= 0 ? key : -key | 0x80000000;
    if (Number.isFinite(v[0])) out.push(v[0]);
  }
  return out;
}

/** Every edge of the binning (±3 ulps), far values, and tanh-like filler up to `values`. */
function edgeLayer(p: BinningParams, lo: number, hi: number, values: number): Float32Array {
  const edges = p.scheme === 'idnns' ? [...idnnsEdges(lo, hi, p.bins)] : Array.from({ length: p.bins + 1 }, (_, k) => lo + (k * (hi - lo)) / p.bins);
  const planted = [...edges.flatMap((e) => around(e, 3)), 0, -0, 1e30, -1e30, 3.4e38, -3.4e38, lo, hi];
  const n = Math.ceil(Math.max(values, planted.length) / WIDTH);
  const t = randomTanh(7, n, WIDTH, 2).map((v) => lo + ((v + 1) / 2) * (hi - lo));
  t.set(planted);
  return t;
}

const cases: [string, BinningParams, number][] = [
  ['fixed:30 over [-1, 1]', { scheme: 'fixed', bins: 30, lo: -1, hi: 1, binWidth: 0 }, 4096],
  ['fixed:7 over [0, 1]', { scheme: 'fixed', bins: 7, lo: 0, hi: 1, binWidth: 0 }, 4096],
  ['fixed:1 over [-1, 1]', { scheme: 'fixed', bins: 1, lo: -1, hi: 1, binWidth: 0 }, 4096],
  ['fixed:30 over [0.1, 0.7] (bounds not float32)', { scheme: 'fixed', bins: 30, lo: 0.1, hi: 0.7, binWidth: 0 }, 4096],
  ['fixed:30 over [1000, 1000.001] (too narrow for a float guess)', { scheme: 'fixed', bins: 30, lo: 1000, hi: 1000.001, binWidth: 0 }, 4096],
  ['fixed:30 over [-1e-30, 1e-30]', { scheme: 'fixed', bins: 30, lo: -1e-30, hi: 1e-30, binWidth: 0 }, 4096],
  ['fixed:4096 over [-1, 1] (the most guessed levels)', { scheme: 'fixed', bins: 4096, lo: -1, hi: 1, binWidth: 0 }, 64 * 4096],
  ['fixed:4097 over [-1, 1] (exact formula only)', { scheme: 'fixed', bins: 4097, lo: -1, hi: 1, binWidth: 0 }, 64 * 4097],
  ['idnns:30 over [-1, 1]', { scheme: 'idnns', bins: 30, lo: -1, hi: 1, binWidth: 0 }, 4096],
  ['idnns:2 over [-1, 1]', { scheme: 'idnns', bins: 2, lo: -1, hi: 1, binWidth: 0 }, 4096],
  ['idnns:13 over [0, 5]', { scheme: 'idnns', bins: 13, lo: 0, hi: 5, binWidth: 0 }, 4096],
  ['adaptive:30 over [-0.3, 0.9]', { scheme: 'adaptive', bins: 30, lo: -0.3, hi: 0.9, binWidth: 0 }, 4096],
];

/** 'none', or the first value whose native code differs from the reference's. */
function firstCodeMismatch(t: Float32Array, p: BinningParams): string {
  const n = t.length / WIDTH;
  const expected = new Int32Array(t.length);
  const actual = new Int32Array(t.length);
  referenceMiEngine.binCodes(expected, t, n, WIDTH, p);
  nativeEngine!.binCodes(actual, t, n, WIDTH, p);
  const k = actual.findIndex((c, i) => c !== expected[i]);
  return k === -1 ? 'none' : `${p.scheme}:${p.bins}:${p.lo}:${p.hi} t[${k}] = ${t[k]}: ${actual[k]} vs ${expected[k]}`;
}

describe.skipIf(!nativeEngine)('native bin codes on and next to every edge', () => {
  it.each(cases)('%s: codes equal the reference’s', (_name, p, values) => {
    expect(firstCodeMismatch(edgeLayer(p, p.lo as number, p.hi as number, values), p)).toBe('none');
  });

  it.each(cases)('%s: row symbols and the values outside the range equal the reference’s', (_name, p, values) => {
    const t = edgeLayer(p, p.lo as number, p.hi as number, values);
    const n = t.length / WIDTH;
    const labels = new Int32Array(n).map((_, r) => r % 3);
    const layers = [{ activations: t, width: WIDTH }];
    const [expected] = referenceMiEngine.informationPlane(layers, labels, n, 3, p, null);
    const [actual] = nativeEngine!.informationPlane(layers, labels, n, 3, p, null);
    expect(actual).toEqual(expected);
    expect(actual.outside).toBe(countOutside(t, p.lo, p.hi));
    expect(actual.outside).toBeGreaterThan(0);
  });

  it('40 seeded random fixed/idnns binnings (bins, lo, span): codes equal the reference’s', () => {
    const rng = new Rng(2024);
    for (let i = 0; i < 40; i++) {
      const scheme = i % 2 === 0 ? 'fixed' : 'idnns';
      const bins = 2 + rng.nextInt(200);
      const lo = (rng.nextFloat() - 0.5) * 20;
      const hi = lo + 10 ** (rng.nextFloat() * 4 - 3);
      const p: BinningParams = { scheme, bins, lo, hi, binWidth: 0 };
      expect(firstCodeMismatch(edgeLayer(p, lo, hi, 64 * bins), p)).toBe('none');
    }
  });

  it('adaptive binning over the layer’s own range counts nothing outside it', () => {
    const t = randomTanh(3, 512, WIDTH);
    const p: BinningParams = { scheme: 'adaptive', bins: 30, lo: null, hi: null, binWidth: 0 };
    const [r] = nativeEngine!.informationPlane([{ activations: t, width: WIDTH }], new Int32Array(512), 512, 1, p, null);
    expect(r.outside).toBe(0);
  });
});
