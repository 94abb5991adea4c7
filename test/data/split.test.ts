import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { type Dataset, classCounts } from '../../src/data/dataset.ts';
import { loadMnistPackage } from '../../src/data/mnist-package.ts';
import { largestRemainder, stratifiedSplit } from '../../src/data/split.ts';

/**
 * Unbalanced synthetic set: class k has counts[k] rows, grouped by class.
 * Feature 0 = row index (identifies rows), feature 1 = label (ties x to labels).
 */
function synthetic(counts: number[]): Dataset {
  const rows = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(rows * 2);
  const labels = new Int32Array(rows);
  let r = 0;
  counts.forEach((n, k) => {
    for (let j = 0; j < n; j++, r++) {
      x[2 * r] = r;
      x[2 * r + 1] = k;
      labels[r] = k;
    }
  });
  return { x, labels, rows, features: 2, classes: counts.length, name: 'syn' };
}

const ids = (ds: Dataset): number[] => Array.from({ length: ds.rows }, (_, i) => ds.x[2 * i]);

describe('largestRemainder', () => {
  it('sums to the total, is proportional within 1 and ties to the lower index', () => {
    expect(largestRemainder(5, [2, 2, 2])).toEqual([2, 2, 1]);
    expect(largestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(largestRemainder(7, [5, 0, 5])).toEqual([4, 0, 3]);
    expect(largestRemainder(0, [3, 4])).toEqual([0, 0]);
    const w = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    const p = largestRemainder(8000, w);
    expect(p.reduce((a, b) => a + b, 0)).toBe(8000);
    p.forEach((q, k) => expect(Math.abs(q - (8000 * w[k]) / 10000)).toBeLessThan(1));
  });
  it('never gives a part more than its weight', () => {
    expect(largestRemainder(6, [1, 1, 1, 1, 1, 1])).toEqual([1, 1, 1, 1, 1, 1]);
    expect(largestRemainder(3, [3, 0, 0])).toEqual([3, 0, 0]);
  });
});

describe('stratifiedSplit', () => {
  const counts = [50, 7, 300, 1, 142];
  const ds = synthetic(counts); // 500 rows

  it('keeps each class proportion within one row, in train and test', () => {
    const s = stratifiedSplit(ds, Rng.stream(1, 'split'), { trainSize: 300, testSize: 150 });
    expect(s.train.rows).toBe(300);
    expect(s.test.rows).toBe(150);
    const tr = classCounts(s.train);
    const te = classCounts(s.test);
    counts.forEach((c, k) => {
      expect(Math.abs(tr[k] - (300 * c) / 500)).toBeLessThan(1);
      expect(Math.abs(te[k] - (150 * c) / 500)).toBeLessThanOrEqual(1);
      expect(tr[k] + te[k]).toBeLessThanOrEqual(c);
    });
  });

  it('gives disjoint sets whose rows keep their labels', () => {
    const s = stratifiedSplit(ds, Rng.stream(2, 'split'), { trainSize: 400, testSize: 100 });
    const all = [...ids(s.train), ...ids(s.test)];
    expect(new Set(all).size).toBe(500); // uses every row exactly once
    for (const part of [s.train, s.test]) {
      for (let i = 0; i < part.rows; i++) expect(part.labels[i]).toBe(part.x[2 * i + 1]);
      for (let i = 0; i < part.rows; i++) expect(ds.labels[part.x[2 * i]]).toBe(part.labels[i]);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = stratifiedSplit(ds, Rng.stream(7, 'split'));
    const b = stratifiedSplit(ds, Rng.stream(7, 'split'));
    const c = stratifiedSplit(ds, Rng.stream(8, 'split'));
    expect(a.train.x).toEqual(b.train.x);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(a.test.x).toEqual(b.test.x);
    expect(a.test.labels).toEqual(b.test.labels);
    expect(ids(a.train)).not.toEqual(ids(c.train));
  });

  it('shuffles: train rows are not grouped by class', () => {
    const s = stratifiedSplit(ds, Rng.stream(3, 'split'));
    let changes = 0;
    for (let i = 1; i < s.train.rows; i++) if (s.train.labels[i] !== s.train.labels[i - 1]) changes++;
    expect(changes).toBeGreaterThan(50);
  });

  it('defaults to 80/20 and records source and task', () => {
    const s = stratifiedSplit(ds, Rng.stream(4, 'split'), { task: 'parity' });
    expect([s.train.rows, s.test.rows]).toEqual([400, 100]);
    expect(s.source).toBe('syn');
    expect(s.task).toBe('parity');
  });

  it('rejects sizes beyond the data, naming the field', () => {
    const rng = Rng.stream(5, 'split');
    expect(() => stratifiedSplit(ds, rng, { trainSize: 501, testSize: 0 })).toThrow(/^trainSize: 501 exceeds the 500 rows/);
    expect(() => stratifiedSplit(ds, rng, { trainSize: 400, testSize: 101 })).toThrow(/^testSize: 101 exceeds the 100 rows/);
    expect(() => stratifiedSplit(ds, rng, { trainSize: 0 })).toThrow(/^trainSize: must be an integer ≥ 1/);
    expect(() => stratifiedSplit(ds, rng, { trainSize: 10.5 })).toThrow(InputError);
    expect(() => stratifiedSplit(ds, rng, { trainSize: 10, testSize: -1 })).toThrow(/^testSize:/);
  });
});

describe('stratifiedSplit on the mnist package', () => {
  it('defaults to 8000/2000 with per-digit quotas from largest remainder', () => {
    const s = stratifiedSplit(loadMnistPackage(), Rng.stream(0, 'split'));
    expect([s.train.rows, s.test.rows]).toEqual([8000, 2000]);
    expect(s.train.features).toBe(784);
    expect(classCounts(s.train)).toEqual([801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
    expect(classCounts(s.test)).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
  });
});
