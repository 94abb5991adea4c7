// The output layer's softmax before binning: bit for bit the per-row
// Math.max(...row) form it replaces, special values included.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { softmaxRowsInPlace } from '../../src/experiment/mi-measure.ts';

function spreadSoftmax(logits: Float32Array, rows: number, classes: number): void {
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(row[c] - max);
    for (let c = 0; c < classes; c++) row[c] = Math.exp(row[c] - max) / sum;
  }
}

describe('softmaxRowsInPlace', () => {
  it.each([1, 2, 3, 10])('equals the Math.max(...row) form bit for bit (%i classes, special values)', (classes) => {
    const rng = new Rng(classes);
    const special = [0, -0, 1e30, -1e30, Infinity, -Infinity, Number.NaN, 88.7, -103.9];
    const rows = 400;
    const x = Float32Array.from({ length: rows * classes }, () => (rng.nextInt(8) === 0 ? special[rng.nextInt(special.length)] : 20 * rng.nextNormal()));
    const a = Float32Array.from(x);
    const b = Float32Array.from(x);
    softmaxRowsInPlace(a, rows, classes);
    spreadSoftmax(b, rows, classes);
    const k = a.findIndex((v, i) => !Object.is(v, b[i]));
    expect(k === -1 ? 'none' : `element ${k}: ${a[k]} vs ${b[k]} (input ${x[k]})`).toBe('none');
  });
});
