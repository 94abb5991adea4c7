import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { type Dataset, checkDataset, classCounts, selectRows } from '../../src/data/dataset.ts';

function tiny(): Dataset {
  // Row i has features [i, 10 + i] so a copied row can be traced to its source.
  const rows = 4;
  const x = new Float32Array([0, 10, 1, 11, 2, 12, 3, 13]);
  return { x, labels: new Int32Array([2, 0, 1, 2]), rows, features: 2, classes: 3, name: 'tiny' };
}

describe('InputError', () => {
  it('names where the problem is, then the problem', () => {
    const e = new InputError('some/file.gz', 'truncated');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InputError');
    expect(e.where).toBe('some/file.gz');
    expect(e.message).toBe('some/file.gz: truncated');
  });
});

describe('classCounts', () => {
  it('counts rows per class, including empty classes', () => {
    expect(classCounts({ ...tiny(), classes: 4 })).toEqual([1, 1, 2, 0]);
  });
  it('rejects a label outside [0, classes)', () => {
    const ds = tiny();
    ds.labels[1] = 3;
    expect(() => classCounts(ds)).toThrow(/tiny: label 3 at row 1 is outside \[0, 3\)/);
  });
});

describe('checkDataset', () => {
  it('accepts a consistent data set', () => {
    const ds = tiny();
    expect(checkDataset(ds)).toBe(ds);
  });
  it('rejects x of the wrong length', () => {
    expect(() => checkDataset({ ...tiny(), x: new Float32Array(7) })).toThrow(/x has 7 values/);
  });
  it('rejects labels of the wrong length', () => {
    expect(() => checkDataset({ ...tiny(), labels: new Int32Array(3) })).toThrow(/labels has 3 entries/);
  });
});

describe('selectRows', () => {
  it('copies the chosen rows in order, relabelled', () => {
    const ds = tiny();
    const out = selectRows(ds, [3, 0], { name: 'sub', classes: 2, relabel: (c) => (c === 2 ? 1 : 0) });
    expect(Array.from(out.x)).toEqual([3, 13, 0, 10]);
    expect(Array.from(out.labels)).toEqual([1, 1]);
    expect(out).toMatchObject({ rows: 2, features: 2, classes: 2, name: 'sub' });
    out.x[0] = 99; // a copy: the source is untouched
    expect(ds.x[6]).toBe(3);
  });
  it('rejects an index outside the data set', () => {
    expect(() => selectRows(tiny(), [4])).toThrow(RangeError);
  });
});
