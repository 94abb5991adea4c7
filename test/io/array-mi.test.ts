// informationPlaneOfArrays: the estimator on typed arrays + shapes, checked
// against numpy's figures for the same files (fixtures.json "mi", computed by
// the README's numpy estimator in make_fixtures.py), and every input check.
import { InputError } from '../../src/core/input-error.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activationMatrix, classLabels, informationPlaneOfArrays } from '../../src/io/array-mi.ts';
import { readArrayFile } from '../../src/io/npz.ts';
import { informationPlaneOfArrays as fromFrontDoor } from '../../src/index.ts';
import { repoRoot } from '../helpers/cli.ts';

const dir = join(repoRoot, 'test/fixtures/npy');
const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as {
  mi: Record<string, Record<string, { ht: number; ity: number; distinct: number }>>;
};
const one = (name: string) => readArrayFile(join(dir, name))[0].array;

describe('informationPlaneOfArrays', () => {
  it('agrees with the numpy estimator on the same files, for every engine', () => {
    const acts = readArrayFile(join(dir, 'acts.npz'));
    const layers = acts.map(({ name, array }) => ({ ...array, name }));
    for (const engine of ['reference', 'auto'] as const) {
      const r = informationPlaneOfArrays(layers, one('acts-y.npy'), { binnings: ['fixed:3', 'fixed:30'], engine });
      expect(r.n).toBe(64);
      expect(r.classes).toBe(3);
      for (const plane of r.planes) {
        for (const p of plane.points) {
          const want = fixtures.mi[plane.binning][p.name!];
          expect(p.distinct).toBe(want.distinct);
          expect(p.ht).toBeCloseTo(want.ht, 12);
          expect(p.ity).toBeCloseTo(want.ity, 12);
        }
      }
    }
    expect(fromFrontDoor).toBe(informationPlaneOfArrays);
  });

  it('takes labels as any integer dtype, bool, integral floats or one-hot rows, all giving the same plane', () => {
    const t = { data: Float32Array.of(-0.9, -0.8, 0.1, 0.2, 0.9), shape: [5] };
    const plane = (labels: Parameters<typeof informationPlaneOfArrays>[1]) =>
      informationPlaneOfArrays([t], labels, { binnings: ['fixed:2'] }).planes[0].points[0];
    const want = plane(one('labels-le-i8.npy'));
    for (const name of [
      'labels-i1.npy',
      'labels-le-u2.npy',
      'labels-be-i2.npy',
      'labels-be-u4.npy',
      'labels-le-u8.npy',
      'labels-b1.npy',
      'labels-onehot-f4.npy',
    ]) {
      expect(plane(one(name)), name).toEqual(want);
    }
    expect(plane({ data: Float64Array.of(-1, 1, 1, -1, 1), shape: [5, 1] })).toEqual(want); // −1/+1 as a column
    expect(classLabels({ data: Int32Array.of(8, 3, 8), shape: [3] }, 'y')).toMatchObject({ labels: Int32Array.of(1, 0, 1), classes: 2, values: [3, 8] });
  });

  it('flattens [N, …] to [N, units] and reads a 1-D array as one unit per sample', () => {
    expect(activationMatrix({ data: new Float64Array(24), shape: [2, 3, 4] }, 'a')).toMatchObject({ n: 2, width: 12 });
    expect(activationMatrix({ data: new Int8Array(5), shape: [5] }, 'a')).toMatchObject({ n: 5, width: 1 });
    const f8 = activationMatrix(one('f8-fortran.npy'), 'f8');
    expect(f8.activations).toEqual(activationMatrix(one('f4-c.npy'), 'f4').activations);
  });

  const y5 = { data: Int32Array.of(0, 1, 0, 1, 0), shape: [5], source: 'y.npy' };
  const bad: [string, () => unknown, RegExp][] = [
    [
      'NaN and Inf',
      () => informationPlaneOfArrays([{ ...one('f4-nan.npy'), source: 'nan.npy' }], { data: Int32Array.of(0, 1, 0), shape: [3] }),
      /^nan\.npy: 2 non-finite values in the activations, the first at row 1, unit 1: NaN/,
    ],
    [
      'a float64 beyond float32',
      () => activationMatrix({ data: Float64Array.of(1e300), shape: [1] }, 'big.npy'),
      /^big\.npy: .*1e\+300, which overflows float32/,
    ],
    ['a scalar', () => activationMatrix(one('f4-scalar.npy'), 's.npy'), /^s\.npy: wrong shape: a scalar/],
    ['no samples', () => activationMatrix(one('f4-empty.npy'), 'e.npy'), /^e\.npy: wrong shape \(0, 3\): no samples/],
    [
      'N mismatch',
      () => informationPlaneOfArrays([{ ...one('f4-c.npy'), source: 'h.npy' }], { data: new Int32Array(4), shape: [4], source: 'y.npy' }),
      /^h\.npy: has 5 samples \(rows\), the labels \(y\.npy\) have 4/,
    ],
    [
      'labels not one-hot',
      () => classLabels({ data: Float32Array.of(1, 1, 0, 0), shape: [2, 2] }, 'y.npy'),
      /^y\.npy: labels of shape \(2, 2\) must be one-hot .*row 0 is \[1, 1\]/,
    ],
    ['one-hot row without a 1', () => classLabels({ data: Float32Array.of(0, 0, 0, 1), shape: [2, 2] }, 'y.npy'), /row 0 has no 1/],
    ['fractional labels', () => classLabels(one('labels-float.npy'), 'y.npy'), /^y\.npy: labels must be integer class values .*element 0 is 0\.5/],
    ['3-D labels', () => classLabels({ data: new Int32Array(8), shape: [2, 2, 2] }, 'y.npy'), /wrong shape \(2, 2, 2\) for labels/],
    ['shape and data disagree', () => activationMatrix({ data: new Float32Array(5), shape: [2, 3] }, 'a'), /shape \(2, 3\) holds 6 elements, the data has 5/],
    ['no layers', () => informationPlaneOfArrays([], y5), /^layers: must be a non-empty array/],
    [
      'x with other N',
      () => informationPlaneOfArrays([{ data: new Float32Array(5), shape: [5] }], y5, { x: { data: new Float32Array(4), shape: [4], source: 'x.npy' } }),
      /^x\.npy: has 4 samples/,
    ],
  ];
  it.each(bad)('refuses %s with an InputError naming the array', (_name, call, message) => {
    expect(call).toThrow(InputError);
    expect(call).toThrow(message);
  });

  it('bins X when given one, and adds KDE bounds', () => {
    const t = { data: Float32Array.of(-0.9, -0.8, 0.1, 0.2, 0.9), shape: [5] };
    const x = { data: Uint8Array.of(0, 0, 1, 1, 1), shape: [5, 1], binning: 'fixed:2:0:1' };
    const r = informationPlaneOfArrays([t], y5, { binnings: ['fixed:2'], x, kde: { noiseVariance: 0.1 }, engine: 'reference' });
    const p = r.planes[0].points[0];
    expect(p.xMode).toBe('binned');
    expect(p.x!.distinct).toBe(2);
    expect(p.ixt).toBeCloseTo(p.ht, 12); // T is a function of binned X here
    expect(r.kde!.points[0].ixtLower).toBeLessThanOrEqual(r.kde!.points[0].ixtUpper);
  });
});
