// spec.data → train/test rows (src/experiment/data-source.ts): official
// splits, subsampling, IDNNs' ordered split, and refusals naming the field.
import { InputError } from '../../src/core/input-error.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classCounts } from '../../src/data/dataset.ts';
import { type DataSpec, prepareSplitData } from '../../src/experiment/data-source.ts';
import { parseSpec } from '../../src/experiment/spec.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const varU = path.resolve(repoRoot, '../shared/data/var_u.mat');
const haveVarU = existsSync(varU);
if (!haveVarU) console.warn(`skipping var_u.mat split tests: ${varU} is absent (see shared/data/README.md)`);

const data = (d: Partial<DataSpec>): DataSpec => ({ source: 'mnist-full', task: 'parity', split: 'stratified', ...d });

describe('official split (mnist-full)', () => {
  it('defaults to all 60 000 / 10 000 rows after the task', () => {
    const s = prepareSplitData(data({}), 1);
    expect([s.train.rows, s.test.rows, s.train.classes, s.source, s.task]).toEqual([60000, 10000, 2, 'mnist-full', 'parity']);
    expect(classCounts(s.test)).toEqual([4926, 5074]); // 50.74% of the test digits are odd
    // Each run owns its arrays, even where it takes every row of the setting's shared tasked set.
    const again = prepareSplitData(data({}), 2);
    expect([again.train.x.buffer === s.train.x.buffer, again.test.labels.buffer === s.test.labels.buffer]).toEqual([false, false]);
  });

  it('a digit pair keeps only its rows of each half', () => {
    const s = prepareSplitData(data({ task: '3v8' }), 1);
    expect([classCounts(s.train), classCounts(s.test)]).toEqual([
      [6131, 5851],
      [1010, 974],
    ]);
  });

  it('smaller sizes subsample each half, stratified and seeded', () => {
    const a = prepareSplitData(data({ trainSize: 1000, testSize: 500 }), 7);
    const b = prepareSplitData(data({ trainSize: 1000, testSize: 500 }), 7);
    const c = prepareSplitData(data({ trainSize: 1000, testSize: 500 }), 8);
    expect([a.train.rows, a.test.rows]).toEqual([1000, 500]);
    expect(classCounts(a.train)).toEqual([492, 508]); // 50.85% of 60 000 are odd
    expect(classCounts(a.test)).toEqual([246, 254]);
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(b.train.x.buffer))).toBe(true);
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(c.train.x.buffer))).toBe(false);
  });

  it('split ordered subsamples by taking the first rows of each half', () => {
    const s = prepareSplitData(data({ task: 'label', trainSize: 5, testSize: 10, split: 'ordered' }), 1);
    expect(Array.from(s.train.labels)).toEqual([5, 0, 4, 1, 9]); // MNIST's first training labels
    expect(Array.from(s.test.labels)).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('sizes beyond a half are refused naming the spec field', () => {
    expect(() => prepareSplitData(data({ trainSize: 60001 }), 1)).toThrow(/^spec\.data\.trainSize: 60001 exceeds the 60000 rows of mnist-full\/train\/parity$/);
    expect(() => prepareSplitData(data({ task: '3v8', testSize: 2000 }), 1)).toThrow(/^spec\.data\.testSize: 2000 exceeds the 1984 rows/);
  });
});

describe('one set (mat:FILE): IDNNs ordered split', () => {
  it.skipIf(!haveVarU)('ordered: the first 3277 patterns (0..3276 in binary) train, the other 819 test, unshuffled (needs ../shared/data/var_u.mat)', () => {
    const s = prepareSplitData(data({ source: `mat:${varU}`, task: 'label', split: 'ordered' }), 1);
    expect([s.train.rows, s.test.rows, s.train.features, s.train.classes]).toEqual([3277, 819, 12, 2]);
    const pattern = (x: Float32Array, row: number) => Array.from(x.subarray(row * 12, row * 12 + 12)).join('');
    expect(pattern(s.train.x, 0)).toBe('000000000000');
    expect(pattern(s.train.x, 3276)).toBe((3276).toString(2).padStart(12, '0'));
    expect(pattern(s.test.x, 0)).toBe((3277).toString(2).padStart(12, '0'));
    expect(pattern(s.test.x, 818)).toBe('111111111111');
    // Not stratified: the high patterns (Hamming weight ≥ 5 mostly) are mostly y = 1.
    expect(classCounts(s.test)).toEqual([134, 685]);
  });

  it.skipIf(!haveVarU)('stratified (the default) splits 3276/820 with the class balance of the whole (needs ../shared/data/var_u.mat)', () => {
    const s = prepareSplitData(data({ source: `mat:${varU}`, task: 'label' }), 1);
    expect([s.train.rows, s.test.rows]).toEqual([3276, 820]);
    expect(classCounts(s.test)[1] / 820).toBeCloseTo(2118 / 4096, 2);
  });

  it('a binary .mat set refuses parity, lt5 and digit pairs', () => {
    for (const task of ['parity', 'lt5', '0v1']) {
      expect(() => prepareSplitData(data({ source: 'mat:any.mat', task }), 1)).toThrow(
        new InputError('spec.data.task', `${JSON.stringify(task)} needs a multi-class data set; mat:any.mat has binary labels (IDNNs' y): use task label`),
      );
    }
  });
});

describe('spec.data', () => {
  it('keeps the embedded default 8000/2000 parity and its spec hash fields, fills source-dependent defaults', () => {
    expect(parseSpec({}).data).toEqual({ source: 'mnist', task: 'parity', trainSize: 8000, testSize: 2000, split: 'stratified' });
    expect(parseSpec({ data: { source: 'mnist-full' } }).data).toEqual({ source: 'mnist-full', task: 'parity', split: 'stratified' });
    expect(parseSpec({ data: { source: 'mat:x.mat' } }).data).toEqual({ source: 'mat:x.mat', task: 'label', split: 'stratified' });
  });

  it.each([
    [{ source: 'csv:x' }, /^spec\.data\.source: unknown data source "csv:x": expected mnist, mnist-full, idx:DIR or mat:FILE$/],
    [{ source: 'idx:' }, /^spec\.data\.source: "idx:" names no directory/],
    [{ source: 'mat:x.mat', task: 'parity' }, /^spec\.data\.task: "parity" needs a multi-class data set; mat:x\.mat has binary labels/],
    [{ split: 'random' }, /^spec\.data\.split: .*got "random"/],
    [{ source: 7 }, /^spec\.data\.source: .*got 7/],
  ])('refuses %j naming the field', (d, message) => {
    expect(() => parseSpec({ data: d })).toThrow(message);
  });
});
