import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { classCounts, type Dataset } from '../../src/data/dataset.ts';
import { headRows, orderedSplit, roundHalfEven, stratifiedSubsample } from '../../src/data/split.ts';
import { Rng } from '../../src/core/rng.ts';

/** Rows 0..n−1 with x = [row index], labels by `label(i)`. */
function counting(n: number, label: (i: number) => number, classes = 2): Dataset {
  return {
    x: Float32Array.from({ length: n }, (_, i) => i),
    labels: Int32Array.from({ length: n }, (_, i) => label(i)),
    rows: n,
    features: 1,
    classes,
    name: 'counting',
  };
}
const xs = (ds: Dataset) => Array.from(ds.x);

describe('orderedSplit (IDNNs: first rows train, unshuffled)', () => {
  it("defaults to IDNNs' data_shuffle with percent_of_train 80: rint(0.8·4096) = 3277 train, the other 819 test, in file order", () => {
    const split = orderedSplit(counting(4096, (i) => i % 2));
    expect([split.train.rows, split.test.rows]).toEqual([3277, 819]);
    expect(xs(split.train)).toEqual(Array.from({ length: 3277 }, (_, i) => i));
    expect(xs(split.test)).toEqual(Array.from({ length: 819 }, (_, i) => 3277 + i));
    expect(Array.from(split.test.labels.subarray(0, 3))).toEqual([1, 0, 1]);
  });

  it('takes explicit sizes: the next testSize rows after the train rows', () => {
    const split = orderedSplit(
      counting(10, (i) => i % 2),
      { trainSize: 4, testSize: 3 },
    );
    expect([xs(split.train), xs(split.test)]).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('refuses sizes that do not fit, naming the field', () => {
    expect(() =>
      orderedSplit(
        counting(10, () => 0),
        { trainSize: 11 },
      ),
    ).toThrow(/trainSize: 11 exceeds the 10 rows/);
    expect(() =>
      orderedSplit(
        counting(10, () => 0),
        { trainSize: 8, testSize: 3 },
      ),
    ).toThrow(InputError);
    expect(() =>
      orderedSplit(
        counting(10, () => 0),
        { trainSize: 0 },
      ),
    ).toThrow(/trainSize: must be an integer ≥ 1, got 0/);
  });

  it('rounds half to even like np.rint', () => {
    expect([0.5, 1.5, 2.5, 3.5, -2.5, 3276.8, 2.4999].map(roundHalfEven)).toEqual([0, 2, 2, 4, -2, 3277, 2]);
    // 0.8 · 10 = 8 exactly; 0.8 · 5 = 4; 0.8 · 7 = 5.6 → 6
    expect([10, 5, 7].map((n) => orderedSplit(counting(n, () => 0)).train.rows)).toEqual([8, 4, 6]);
  });
});

describe('subsampling one half of an official split', () => {
  const ds = counting(1000, (i) => (i < 700 ? 0 : 1));

  it('stratifiedSubsample keeps the class proportions, is seeded, and keeps the name', () => {
    const a = stratifiedSubsample(ds, 100, Rng.stream(3, 'split'));
    const b = stratifiedSubsample(ds, 100, Rng.stream(3, 'split'));
    const c = stratifiedSubsample(ds, 100, Rng.stream(4, 'split'));
    expect(classCounts(a)).toEqual([70, 30]);
    expect(a.name).toBe('counting');
    expect(xs(a)).toEqual(xs(b));
    expect(xs(a)).not.toEqual(xs(c));
    expect(new Set(xs(a)).size).toBe(100);
    expect(() => stratifiedSubsample(ds, 1001, Rng.stream(3, 'split'), 'testSize')).toThrow(/testSize: 1001 exceeds the 1000 rows/);
  });

  it('headRows takes the first rows', () => {
    expect(xs(headRows(ds, 3))).toEqual([0, 1, 2]);
    expect(() => headRows(ds, 0)).toThrow(/trainSize: must be an integer ≥ 1/);
  });
});
