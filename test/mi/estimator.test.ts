// The binning estimator, on every engine: hand-computed cases, a sort-based
// brute-force oracle, numpy's digitize conventions, exact edge cases, forced
// hash collisions, and native = reference (codes and counts exactly,
// entropies within 1e-12).
import { describe, expect, it } from 'vitest';
import type { BinningParams } from '../../src/mi/binning.ts';
import type { MiEngine } from '../../src/backend/mi-kernels.ts';
import { numpyLinspace, referenceMiEngine } from '../../src/backend/reference/mi.ts';
import { engines, nativeEngine, randomLabels, randomTanh, sortOracle } from './engines.ts';

const fixed = (bins: number, lo = -1, hi = 1): BinningParams => ({ scheme: 'fixed', bins, lo, hi, binWidth: 0 });
const idnns = (bins: number, lo = -1, hi = 1): BinningParams => ({ scheme: 'idnns', bins, lo, hi, binWidth: 0 });
const width = (w: number): BinningParams => ({ scheme: 'width', bins: 0, lo: null, hi: null, binWidth: w });
const adaptive = (bins: number, lo: number | null = null, hi: number | null = null): BinningParams => ({ scheme: 'adaptive', bins, lo, hi, binWidth: 0 });
const EPS = 1e-12;

function codesOf(engine: MiEngine, values: number[], p: BinningParams): number[] {
  const t = Float32Array.from(values);
  const codes = new Int32Array(t.length);
  engine.binCodes(codes, t, t.length, 1, p);
  return [...codes];
}

function one(engine: MiEngine, t: Float32Array, w: number, labels: Int32Array, p: BinningParams, classes = 2) {
  return engine.informationPlane([{ activations: t, width: w }], labels, labels.length, classes, p, null)[0];
}

describe('numpyLinspace', () => {
  it('reproduces np.linspace(-1, 1, 30) in float64', () => {
    // numpy 2.4: np.linspace(-1,1,30)[[0,1,14,15,28,29]]
    const e = numpyLinspace(-1, 1, 30);
    expect([e[0], e[1], e[14], e[15], e[28], e[29]]).toEqual([-1, -0.9310344827586207, -0.034482758620689724, 0.034482758620689724, 0.9310344827586206, 1]);
  });
});

describe.each(engines)('binning codes (%s)', (_, engine) => {
  it('fixed: clamp(floor((h − lo)/(hi − lo)·m), 0, m − 1)', () => {
    // m = 30 over [−1, 1]: −1 → 0; −1e-8 → floor(14.99999985) = 14; 0 → 15; 1 → floor(30) clamped to 29; ±1.5 clamp.
    expect(codesOf(engine, [-1.5, -1, -1e-8, 0, 0.5, 1, 1.5], fixed(30))).toEqual([0, 0, 14, 15, 22, 29, 29]);
    // softmax range [0, 1] with m = 4: 0.25 → 1, 0.74 → 2, 1 → 3
    expect(codesOf(engine, [0, 0.25, 0.74, 1], fixed(4, 0, 1))).toEqual([0, 1, 2, 3]);
  });

  it('idnns: np.digitize(h, float32 edges) incl. ±1 and values next to edges', () => {
    // numpy 2.4, float32 inputs and IDNNs' float32 edges:
    // np.digitize(np.float32([-1.5, -1, nextafter(-1, 0), -0.9310345, -0.93103445, -0.9310344, -0.5, 0, -0, 0.03448276,
    //                         0.5, 0.9310345, 0.99999994, 1, 1.5]), np.linspace(-1, 1, 30).astype(np.float32))
    const values = [
      -1.5, -1, -0.9999999403953552, -0.931034505367279, -0.9310344457626343, -0.9310343861579895, -0.5, 0, -0, 0.03448275849223137, 0.5, 0.931034505367279,
      0.9999999403953552, 1, 1.5,
    ];
    expect(codesOf(engine, values, idnns(30))).toEqual([0, 1, 1, 2, 2, 2, 8, 15, 15, 16, 22, 29, 29, 30, 30]);
  });

  it('idnns: a value exactly on a float32 edge opens that edge’s bin (golden codes from numpy)', () => {
    // Golden values made with numpy 2.4 (not committed as a script; the project does not depend on Python):
    //   e = np.linspace(-1, 1, 30).astype(np.float32)
    //   v = [np.nextafter(x, -inf), x, np.nextafter(x, inf)] for x in e   (float32)
    //   np.digitize(v, e)
    // Float64 edges (the old rule) give a different code for 14 of these 90 values.
    const e32 = [...Float32Array.from(numpyLinspace(-1, 1, 30))];
    const below = (x: number) => {
      const f = new Float32Array([x]);
      const u = new Uint32Array(f.buffer);
      u[0] += x > 0 ? -1 : x < 0 ? 1 : 0x80000001;
      return f[0];
    };
    const above = (x: number) => -below(-x);
    const values = e32.flatMap((x) => [below(x), x, above(x)]);
    const golden = e32.flatMap((_, k) => [k, k + 1, k + 1]);
    expect(codesOf(engine, values, idnns(30))).toEqual(golden);
    expect(codesOf(engine, e32, idnns(30))).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
  });

  it('idnns m = 2: edges [−1, 1], one interval: [−1, 1) → 1, below → 0, exactly +1 → 2', () => {
    // np.digitize(np.float32([-1, -0.5, 0.99999994, 1, -1.5]), np.linspace(-1, 1, 2)) == [1, 1, 1, 2, 0]
    expect(codesOf(engine, [-1, -0.5, 0.9999999403953552, 1, -1.5], idnns(2))).toEqual([1, 1, 1, 2, 0]);
  });

  it('width: floor(h / w), unbounded and negative', () => {
    expect(codesOf(engine, [-1, -0.5, -0.25, 0, 0.49, 0.5, 1, 7.3], width(0.5))).toEqual([-2, -1, -1, 0, 0, 1, 2, 14]);
  });

  it('adaptive: m bins over the layer min..max, or a given global range', () => {
    // min −2, max 2, m = 4: (h + 2)/4·4 = h + 2 → floor, the max clamped into bin 3
    expect(codesOf(engine, [-2, -1.5, 0, 1.99, 2], adaptive(4))).toEqual([0, 0, 2, 3, 3]);
    expect(codesOf(engine, [-2, -1.5, 0, 1.99, 2], adaptive(2, -1, 1))).toEqual([0, 0, 1, 1, 1]);
    const t = Float32Array.of(-2, 2);
    expect(engine.binCodes(new Int32Array(2), t, 2, 1, adaptive(4))).toEqual({ lo: -2, hi: 2 });
  });

  it('a constant layer under adaptive binning is bin 0', () => {
    expect(codesOf(engine, [0.3, 0.3, 0.3], adaptive(30))).toEqual([0, 0, 0]);
  });
});

describe.each(engines)('entropies and MI (%s)', (_, engine) => {
  // Four symbols A, B, C, D (width 2, fixed:4 over [−1, 1], code = floor(2(h + 1))):
  //   A = (0, 2) four times (different values, same bins), B = (3, 3) twice, C = (1, 0), D = (2, 0) — D is A's
  //   codes swapped, a different symbol.
  const rows = [
    [-0.9, 0.1],
    [-0.8, 0.2],
    [-0.76, 0.4],
    [-0.99, 0.01], // A
    [0.6, 0.6],
    [0.7, 0.9], // B
    [-0.2, -0.7], // C
    [0.1, -0.9], // D
  ];
  const t = Float32Array.from(rows.flat());

  it('H(T) of counts {4, 2, 1, 1}/8 = 1.75 bits, I(T;Y) = H(Y) when T determines Y', () => {
    // H(T) = ½·1 + ¼·2 + 2·⅛·3 = 1.75.
    // Labels A→0, B→1, C→1, D→0: N_0 = 5 (A×4, D), N_1 = 3 (B×2, C).
    //   H(T|Y=0) = H(4/5, 1/5) = log2 5 − 8/5;  H(T|Y=1) = H(2/3, 1/3) = log2 3 − 2/3
    //   H(T|Y) = 5/8·(log2 5 − 1.6) + 3/8·(log2 3 − 2/3) = 5/8·log2 5 + 3/8·log2 3 − 1.25
    //   I(T;Y) = 3 − 5/8·log2 5 − 3/8·log2 3 = H(5/8, 3/8) = H(Y) ≈ 0.9544340029249649
    const labels = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 0);
    const r = one(engine, t, 2, labels, fixed(4));
    expect(r.distinct).toBe(4);
    expect(r.ht).toBe(1.75);
    expect(r.ixt).toBe(1.75);
    const hy = 3 - (5 / 8) * Math.log2(5) - (3 / 8) * Math.log2(3);
    expect(r.htGivenY).toBeCloseTo((5 / 8) * Math.log2(5) + (3 / 8) * Math.log2(3) - 1.25, 12);
    expect(Math.abs(r.hy - hy)).toBeLessThan(EPS);
    expect(Math.abs(r.ity - hy)).toBeLessThan(EPS);
    expect(Math.abs(hy - 0.9544340029249649)).toBeLessThan(EPS);
  });

  it('labels independent of T ⇒ I(T;Y) = 0 exactly', () => {
    // Four symbols, each seen once with y = 0 and once with y = 1: H(T|Y=y) = log2 4 = H(T) = 2.
    const u = Float32Array.from([-0.9, -0.3, 0.3, 0.9, -0.9, -0.3, 0.3, 0.9]);
    const r = one(engine, u, 1, Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1), fixed(4));
    expect([r.ht, r.htGivenY, r.ity, r.hy]).toEqual([2, 2, 0, 1]);
  });

  it('N distinct rows ⇒ I(X;T) = H(T) = log2 N exactly, and saturation', () => {
    const n = 4096; // the IDNNs data set size: log2 N = 12
    const u = Float32Array.from({ length: n }, (_, i) => i);
    const r = one(engine, u, 1, randomLabels(1, n, 2), width(1));
    expect(r.distinct).toBe(n);
    expect(r.ht).toBe(12);
    expect(r.ixt).toBe(12);
    const m = 1000; // not a power of two: H(T) is the engine's own log2 N, bit for bit
    const v = Float32Array.from({ length: m }, (_, i) => i);
    const s = one(engine, v, 1, randomLabels(2, m, 2), width(1));
    expect(s.ixt).toBe(s.hx);
    expect(Math.abs(s.ixt - Math.log2(1000))).toBeLessThan(EPS);
  });

  it.each([
    ['fixed', fixed(30)],
    ['idnns', idnns(30)],
    ['width', width(0.5)],
    ['adaptive', adaptive(30)],
  ] as const)('a constant layer ⇒ H(T) = I(X;T) = I(T;Y) = 0 (%s)', (_s, p) => {
    const n = 100;
    const u = new Float32Array(n * 3).fill(0.42);
    const r = one(engine, u, 3, randomLabels(3, n, 2), p);
    expect([r.distinct, r.ht, r.ixt, r.ity, r.htGivenY]).toEqual([1, 0, 0, 0, 0]);
  });

  it('idnns m = 2 on data inside [−1, 1) ⇒ every row the same symbol ⇒ MI 0; +1 makes a second symbol', () => {
    const u = randomTanh(4, 200, 3).map((v) => Math.min(v, 0.99));
    u[0] = -1;
    const labels = randomLabels(5, 200, 2);
    const r = one(engine, u, 3, labels, idnns(2));
    expect([r.distinct, r.ht, r.ity]).toEqual([1, 0, 0]);
    u[7] = 1; // tanh saturated at exactly +1 lands on a level of its own (np.digitize's ±1 asymmetry)
    expect(one(engine, u, 3, labels, idnns(2)).distinct).toBe(2);
  });

  it.each([
    ['fixed:30', fixed(30), 3],
    ['fixed:2', fixed(2), 8],
    ['idnns:30', idnns(30), 4],
    ['idnns:5', idnns(5), 12],
    ['width:0.5', width(0.5), 20],
    ['adaptive:10', adaptive(10), 2],
    ['adaptive:3', adaptive(3), 10],
  ] as const)('matches the sort-based brute force: %s, width %i', (_s, p, w) => {
    const n = 1500;
    const u = randomTanh(11 + w, n, w, 1.5);
    const classes = 3;
    const labels = randomLabels(12 + w, n, classes);
    const codes = new Int32Array(n * w);
    referenceMiEngine.binCodes(codes, u, n, w, p);
    const oracle = sortOracle(codes, n, w, labels, classes);
    const r = one(engine, u, w, labels, p, classes);
    expect(r.distinct).toBe(oracle.distinct);
    expect(Math.abs(r.ht - oracle.ht)).toBeLessThan(EPS);
    expect(Math.abs(r.htGivenY - oracle.htGivenY)).toBeLessThan(EPS);
    expect(Math.abs(r.ity - oracle.ity)).toBeLessThan(EPS);
    expect(Math.abs(r.hy - oracle.hy)).toBeLessThan(EPS);
    expect(r.ixt).toBe(r.ht);
    // row symbols: ids in order of first appearance, counts = the oracle's multiset
    const ids = new Int32Array(n);
    expect(engine.rowSymbols(ids, u, n, w, p).distinct).toBe(oracle.distinct);
    const counts = new Array<number>(oracle.distinct).fill(0);
    let next = 0;
    for (const id of ids) {
      expect(id).toBeLessThanOrEqual(next); // a new id is always the next number
      if (id === next) next++;
      counts[id]++;
    }
    expect(counts.sort((a, b) => a - b)).toEqual(oracle.counts);
  });

  it('forced hash collisions (collide-all) give identical ids, counts and entropies', () => {
    const n = 600;
    const w = 4;
    const u = randomTanh(21, n, w, 1);
    const labels = randomLabels(22, n, 2);
    for (const p of [fixed(3), width(0.5), idnns(4)]) {
      const a = engine.informationPlane([{ activations: u, width: w }], labels, n, 2, p, null, 'normal')[0];
      const b = engine.informationPlane([{ activations: u, width: w }], labels, n, 2, p, null, 'collide-all')[0];
      expect(b).toEqual(a);
      expect(a.distinct).toBeGreaterThan(10);
      expect(a.distinct).toBeLessThan(n); // there are duplicates to find through the collisions
      const ia = new Int32Array(n);
      const ib = new Int32Array(n);
      engine.rowSymbols(ia, u, n, w, p, 'normal');
      engine.rowSymbols(ib, u, n, w, p, 'collide-all');
      expect(ib).toEqual(ia);
    }
  });

  it('wide layers with many distinct rows: rows past the stored-code budget compare by re-binning', () => {
    // The kernel stores the codes of the first 2^20 / width distinct rows (128 at width 8192) and
    // re-bins later ones from their activations on a hash match; duplicates of both kinds must count.
    const w = 8192;
    const prototypes = 200;
    const n = 320;
    const base = randomTanh(90, prototypes, w, 1);
    const order = randomLabels(91, n, prototypes); // row r repeats prototype order[r]
    const u = new Float32Array(n * w);
    for (let r = 0; r < n; r++) u.set(base.subarray(order[r] * w, (order[r] + 1) * w), r * w);
    const labels = randomLabels(92, n, 2);
    const p = fixed(30);
    const distinctPrototypes = new Set(order).size;
    const a = engine.informationPlane([{ activations: u, width: w }], labels, n, 2, p, null, 'normal')[0];
    expect(a.distinct).toBe(distinctPrototypes);
    expect(distinctPrototypes).toBeGreaterThan(150); // well past the 128 stored rows
    const b = engine.informationPlane([{ activations: u, width: w }], labels, n, 2, p, null, 'collide-all')[0];
    expect(b).toEqual(a);
    const ia = new Int32Array(n);
    engine.rowSymbols(ia, u, n, w, p, 'collide-all');
    const ib = new Int32Array(n);
    referenceMiEngine.rowSymbols(ib, u, n, w, p);
    expect(ia).toEqual(ib);
  });

  it('binned X: I(X;T) = H(T) − H(T|X) over the joint (x, t) histogram', () => {
    // X symbols 0,0,0,0,1,1,1,1 with T = A A B B C C C D (T determines X):
    //   H(T) = 3 − (2/8·1 + 2/8·1 + 3/8·log2 3) = 2.5 − 0.375·log2 3
    //   H(T|X) = ½·H(½,½) + ½·H(¾,¼) = ½ + ½·(2 − 0.75·log2 3) = 1.5 − 0.375·log2 3
    //   I(X;T) = 1 = H(X)
    const u = Float32Array.of(-0.9, -0.9, -0.3, -0.3, 0.3, 0.3, 0.3, 0.9);
    const x = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1);
    const r = engine.informationPlane([{ activations: u, width: 1 }], Int32Array.of(0, 1, 0, 1, 0, 1, 0, 1), 8, 2, fixed(4), x)[0];
    expect(Math.abs(r.ht - (2.5 - 0.375 * Math.log2(3)))).toBeLessThan(EPS);
    expect(Math.abs(r.htGivenX - (1.5 - 0.375 * Math.log2(3)))).toBeLessThan(EPS);
    expect(Math.abs(r.ixt - 1)).toBeLessThan(EPS);
    expect([r.hx, r.distinctX]).toEqual([1, 2]);
    // every sample its own x symbol ⇒ I(X;T) = H(T) exactly; one x symbol ⇒ I(X;T) = 0
    const own = engine.informationPlane(
      [{ activations: u, width: 1 }],
      Int32Array.of(0, 1, 0, 1, 0, 1, 0, 1),
      8,
      2,
      fixed(4),
      Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7),
    )[0];
    expect([own.ixt, own.htGivenX, own.hx, own.distinctX]).toEqual([r.ht, 0, 3, 8]);
    const none = engine.informationPlane([{ activations: u, width: 1 }], Int32Array.of(0, 1, 0, 1, 0, 1, 0, 1), 8, 2, fixed(4), new Int32Array(8))[0];
    expect([none.ixt, none.hx]).toEqual([0, 0]);
  });

  it('several layers in one call equal one call per layer', () => {
    const n = 500;
    const labels = randomLabels(31, n, 2);
    const layers = [2, 7, 1].map((w, i) => ({ activations: randomTanh(40 + i, n, w), width: w }));
    const all = engine.informationPlane(layers, labels, n, 2, fixed(10), null);
    layers.forEach((l, i) => expect(all[i]).toEqual(engine.informationPlane([l], labels, n, 2, fixed(10), null)[0]));
  });
});

describe.runIf(nativeEngine)('native = reference', () => {
  const native = nativeEngine!;
  it.each([
    ['fixed:30', fixed(30)],
    ['idnns:30', idnns(30)],
    ['width:0.5', width(0.5)],
    ['adaptive:30', adaptive(30)],
    ['adaptive:30 global', adaptive(30, -0.5, 0.5)],
  ] as const)('codes exactly, counts exactly, entropies within 1e-12 (%s)', (_s, p) => {
    const n = 2000;
    for (const w of [1, 2, 5, 20, 33]) {
      const u = randomTanh(50 + w, n, w, 3); // gain 3: many values at ±1 and near the edges
      u[0] = 1;
      u[1] = -1;
      const a = new Int32Array(n * w);
      const b = new Int32Array(n * w);
      expect(native.binCodes(a, u, n, w, p)).toEqual(referenceMiEngine.binCodes(b, u, n, w, p));
      expect(a).toEqual(b);
      const labels = randomLabels(60 + w, n, 10);
      const x = new Int32Array(n);
      referenceMiEngine.rowSymbols(x, randomTanh(70 + w, n, 2), n, 2, fixed(3));
      const r = referenceMiEngine.informationPlane([{ activations: u, width: w }], labels, n, 10, p, x)[0];
      const q = native.informationPlane([{ activations: u, width: w }], labels, n, 10, p, x)[0];
      expect([q.distinct, q.distinctX, q.lo, q.hi]).toEqual([r.distinct, r.distinctX, r.lo, r.hi]);
      for (const k of ['ht', 'htGivenY', 'hy', 'ixt', 'ity', 'hx', 'htGivenX'] as const) expect(Math.abs(q[k] - r[k])).toBeLessThan(EPS);
    }
  });

  it('is bitwise deterministic run to run, across table sizes', () => {
    const n = 3000;
    const u = randomTanh(80, n, 6, 1);
    const labels = randomLabels(81, n, 2);
    const first = native.informationPlane([{ activations: u, width: 6 }], labels, n, 2, fixed(8), null);
    // a larger call in between grows the reused workspace
    native.informationPlane([{ activations: randomTanh(82, 20000, 3), width: 3 }], new Int32Array(20000), 20000, 2, fixed(8), null);
    for (let k = 0; k < 3; k++) expect(native.informationPlane([{ activations: u, width: 6 }], labels, n, 2, fixed(8), null)).toEqual(first);
  });
});
