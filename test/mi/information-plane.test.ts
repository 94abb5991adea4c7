// The orchestrator: one point per layer, ceilings, saturation, estimator and
// x-mode named in every result; native and reference give the same points.
import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { selectMiEngine } from '../../src/backend/registry.ts';
import { type InformationPlanePoint, informationPlane } from '../../src/mi/information-plane.ts';
import { referenceMiEngine } from '../../src/backend/reference/mi.ts';
import { engines, nativeEngine, randomLabels, randomTanh } from './engines.ts';

const N = 1000;
const labels = randomLabels(1, N, 2); // balanced-ish binary labels
const layers = [
  { name: 'h1', activations: randomTanh(2, N, 12, 3), width: 12 }, // wide, saturating: every row distinct
  { name: 'h2', activations: randomTanh(3, N, 2, 0.5), width: 2 }, // narrow: few bins in use
  { name: 'out', activations: Float32Array.from({ length: N * 2 }, (_, k) => (k % 2 === 0 ? 0.25 : 0.75)), width: 2, activation: 'softmax' as const },
];

describe.each(engines)('informationPlane (%s engine)', (name, engine) => {
  it('returns one named point per layer with ceilings, saturation and the estimator', () => {
    const points = informationPlane(layers, labels, { binning: 'fixed:30', engine });
    expect(points.map((p) => [p.layer, p.name, p.engine, p.xMode])).toEqual([
      [0, 'h1', name, 'each-sample-distinct'],
      [1, 'h2', name, 'each-sample-distinct'],
      [2, 'out', name, 'each-sample-distinct'],
    ]);
    let hy = 0; // H(Y) of the labels from first principles
    for (const c of [0, 1]) {
      const p = labels.filter((y) => y === c).length / N;
      hy -= p * Math.log2(p);
    }
    for (const p of points) {
      expect(p.ceilingX).toBe(Math.log2(N));
      expect(Math.abs(p.ceilingY - hy)).toBeLessThan(1e-12);
      expect(p.ixt).toBe(p.ht);
      expect(p.ity).toBeLessThanOrEqual(p.ceilingY + 1e-12);
      expect(p.ixt).toBeLessThanOrEqual(p.ceilingX + 1e-12);
      expect(p.saturated).toBe(p.ht >= Math.log2(N) - 0.01);
    }
    expect(points[0].saturated).toBe(true);
    expect(points[0].distinct).toBe(N);
    expect(points[1].saturated).toBe(false);
    expect(points[2]).toMatchObject({ ht: 0, ity: 0, distinct: 1 }); // a constant softmax output
    expect(points[0].estimator).toEqual({ scheme: 'fixed', bins: 30, levels: 30, range: [-1, 1], rangeSource: 'default' });
    expect(points[2].estimator).toEqual({ scheme: 'fixed', bins: 30, levels: 30, range: [0, 1], rangeSource: 'default' });
  });

  it('binned X: states the mode, its estimator and H(X), and I(X;T) ≤ H(X)', () => {
    const x = { activations: randomTanh(9, N, 3, 1), width: 3, binning: 'fixed:3' };
    const points = informationPlane(layers, labels, { binning: 'idnns:30', x, engine });
    for (const p of points) {
      expect(p.xMode).toBe('binned');
      expect(p.x?.estimator).toEqual({ scheme: 'fixed', bins: 3, levels: 3, range: [-1, 1], rangeSource: 'default' });
      expect(p.ceilingX).toBe(p.x?.hx);
      expect(p.ixt).toBeLessThanOrEqual(p.ceilingX + 1e-12);
      expect(p.x!.distinct).toBeLessThanOrEqual(27);
    }
    // a wide saturated layer recovers all of the binned X
    expect(Math.abs(points[0].ixt - points[0].ceilingX)).toBeLessThan(1e-12);
  });

  it('adaptive binning reports each layer’s own range', () => {
    const points = informationPlane(layers.slice(0, 2), labels, { binning: { scheme: 'adaptive', bins: 10 }, engine });
    for (const [i, p] of points.entries()) {
      const t = layers[i].activations;
      expect(p.estimator.range).toEqual([Math.min(...t), Math.max(...t)]);
      expect(p.estimator.rangeSource).toBe('data');
    }
  });

  it('collide-all hashing gives the same points', () => {
    const a = informationPlane(layers, labels, { binning: 'fixed:4', engine });
    const b = informationPlane(layers, labels, { binning: 'fixed:4', engine, hashMode: 'collide-all' });
    expect(b).toEqual(a);
  });

  it('rejects bad inputs naming the field', () => {
    expect(() => informationPlane(layers, labels, { binning: 'fixed:0', engine })).toThrow(/^binning: /);
    expect(() => informationPlane([{ activations: new Float32Array(N), width: 2 }], labels, { engine })).toThrow(
      /layers\[0\]\.activations: has 1000 elements, expected N·width = 1000·2 = 2000/,
    );
    expect(() => informationPlane([{ activations: new Float32Array(N), width: 1, activation: 'relu' }], labels, { engine })).toThrow(
      /layers\[0\]\.binning: a relu layer is unbounded/,
    );
    expect(() => informationPlane(layers, Int32Array.of(0, -1), { engine })).toThrow(InputError);
    expect(() => informationPlane(layers, labels, { engine, classes: 1 })).toThrow(/^classes: /);
    expect(() => informationPlane([], labels, { engine })).toThrow(/^layers: /);
    const bad = Float32Array.from(layers[1].activations);
    bad[5] = NaN;
    expect(() => informationPlane([{ activations: bad, width: 2 }], labels, { engine })).toThrow(/layers\[0\]\.activations\[5\] \(row 2, unit 1\) is nan/i);
  });
});

describe('engine selection', () => {
  it('auto picks native when the addon loads, reference otherwise', () => {
    expect(selectMiEngine('auto').name).toBe(nativeEngine ? 'native' : 'reference');
    expect(selectMiEngine('reference')).toBe(referenceMiEngine);
    expect(() => selectMiEngine('gpu' as 'auto')).toThrow(/engine: /);
  });

  it.runIf(nativeEngine)('native and reference points agree (counts exactly, bits within 1e-12)', () => {
    for (const binning of ['fixed:30', 'idnns:30', 'width:0.5', 'adaptive:30']) {
      const a = informationPlane(layers, labels, { binning, engine: 'native' });
      const b = informationPlane(layers, labels, { binning, engine: 'reference' });
      a.forEach((p: InformationPlanePoint, i) => {
        const q = b[i];
        expect([p.distinct, p.saturated, p.estimator, p.xMode]).toEqual([q.distinct, q.saturated, q.estimator, q.xMode]);
        for (const k of ['ixt', 'ity', 'ht', 'htGivenY', 'ceilingX', 'ceilingY'] as const) expect(Math.abs(p[k] - q[k])).toBeLessThan(1e-12);
      });
    }
  });
});
