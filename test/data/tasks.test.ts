import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { type Dataset, classCounts } from '../../src/data/dataset.ts';
import { applyTask, applyTaskToSplit, parseTask, taskName } from '../../src/data/tasks.ts';

/** 20 rows, two per digit 0..9 in order; feature 0 holds the row index to trace rows. */
function digits(): Dataset {
  const rows = 20;
  const x = new Float32Array(rows * 2);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 0.5;
    labels[i] = i >> 1;
  }
  return { x, labels, rows, features: 2, classes: 10, name: 'd' };
}

describe('parseTask', () => {
  it('parses every accepted spelling', () => {
    expect(parseTask('parity')).toEqual({ kind: 'parity' });
    expect(parseTask('lt5')).toEqual({ kind: 'lt5' });
    expect(parseTask('label')).toEqual({ kind: 'label' });
    expect(parseTask('3v8')).toEqual({ kind: 'pair', a: 3, b: 8 });
    expect(parseTask('8v3')).toEqual({ kind: 'pair', a: 8, b: 3 });
  });
  it('round-trips through taskName', () => {
    for (const s of ['parity', 'lt5', 'label', '3v8', '0v9']) expect(taskName(parseTask(s))).toBe(s);
  });
  it.each(['foo', '', 'Parity', '3v', 'v8', '3x8', '3v8v1', ' parity'])('rejects %j naming the value', (s) => {
    let err: unknown;
    try {
      parseTask(s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`task: expected parity|lt5|AvB|label, got ${JSON.stringify(s)}`);
  });
  it('rejects a pair of the same digit', () => {
    expect(() => parseTask('4v4')).toThrow(/two different digits, got "4v4"/);
  });
});

describe('applyTask', () => {
  it('parity: odd digits are class 1', () => {
    const out = applyTask(digits(), parseTask('parity'));
    expect(out).toMatchObject({ rows: 20, classes: 2, name: 'd/parity' });
    for (let i = 0; i < 20; i++) expect(out.labels[i]).toBe((i >> 1) % 2);
    expect(Array.from(out.x)).toEqual(Array.from(digits().x));
  });
  it('lt5: digits >= 5 are class 1, < 5 class 0', () => {
    const out = applyTask(digits(), parseTask('lt5'));
    expect(out.classes).toBe(2);
    expect(Array.from(out.labels)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
  it('AvB keeps only digits A and B, A → 0 and B → 1, in source order', () => {
    const out = applyTask(digits(), parseTask('8v3'));
    expect(out).toMatchObject({ rows: 4, classes: 2, features: 2, name: 'd/8v3' });
    expect(Array.from(out.labels)).toEqual([1, 1, 0, 0]); // rows of 3 come first in the source
    expect([out.x[0], out.x[2], out.x[4], out.x[6]]).toEqual([6, 7, 16, 17]);
  });
  it('label keeps the classes and copies the data', () => {
    const src = digits();
    const out = applyTask(src, parseTask('label'));
    expect(out.classes).toBe(10);
    expect(classCounts(out)).toEqual(new Array(10).fill(2));
    out.x[0] = 42;
    expect(src.x[0]).toBe(0);
  });
  it('rejects a pair naming a class the data set lacks', () => {
    expect(() => applyTask({ ...digits(), classes: 10 }, parseTask('3v12'))).toThrow(/class 12 does not exist in d/);
  });
  it('rejects lt5 on a data set with at most 5 classes', () => {
    const few = { ...digits(), classes: 5, labels: new Int32Array(20) };
    expect(() => applyTask(few, parseTask('lt5'))).toThrow(/lt5 needs more than 5 classes/);
  });
  it('applies to both halves of a split', () => {
    const s = applyTaskToSplit({ train: digits(), test: digits(), source: 'src', task: 'label' }, parseTask('0v1'));
    expect(s.task).toBe('0v1');
    expect(s.source).toBe('src');
    expect(s.train.rows).toBe(4);
    expect(s.test.rows).toBe(4);
  });
});
