// The MI engines under test: the reference always, native when the addon has
// its MI kernels (otherwise the reason is printed once and native cases skip).
import type { MiEngine } from '../../src/backend/mi-kernels.ts';
import { loadNativeMi, nativeMiEngine } from '../../src/backend/native/mi.ts';
import { referenceMiEngine } from '../../src/backend/reference/mi.ts';
import { Rng } from '../../src/core/rng.ts';

export const nativeEngine = nativeMiEngine();
if (!nativeEngine) console.warn(`MI tests run on the reference engine only: ${loadNativeMi().error}`);

export const engines: [string, MiEngine][] = [['reference', referenceMiEngine], ...(nativeEngine ? [['native', nativeEngine] as [string, MiEngine]] : [])];

/** Rows of tanh-like values in (−1, 1), seeded. */
export function randomTanh(seed: number, n: number, width: number, gain = 2): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * width }, () => Math.tanh(gain * rng.nextNormal()));
}

export function randomLabels(seed: number, n: number, classes: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.nextInt(classes));
}

/**
 * Brute-force oracle independent of both engines' tables: sort row indices
 * lexicographically by their codes (ties by label), count runs, and compute
 * H = −Σ p·log2 p — a different formula and order than the engines use.
 */
export function sortOracle(codes: Int32Array, n: number, width: number, labels: Int32Array, classes: number) {
  const cmpRows = (a: number, b: number): number => {
    for (let k = 0; k < width; k++) {
      const d = codes[a * width + k] - codes[b * width + k];
      if (d !== 0) return d;
    }
    return 0;
  };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cmpRows(a, b) || labels[a] - labels[b]);
  const entropy = (counts: number[], total: number) => counts.reduce((h, c) => (c > 0 ? h - (c / total) * Math.log2(c / total) : h), 0);
  const rowCounts: number[] = [];
  const cellCounts: number[][] = Array.from({ length: classes }, () => []); // per label, counts of rows
  for (let k = 0; k < n; k++) {
    const r = order[k];
    const newRow = k === 0 || cmpRows(order[k - 1], r) !== 0;
    const newCell = newRow || labels[order[k - 1]] !== labels[r];
    if (newRow) rowCounts.push(0);
    rowCounts[rowCounts.length - 1]++;
    if (newCell) cellCounts[labels[r]].push(0);
    const cells = cellCounts[labels[r]];
    cells[cells.length - 1]++;
  }
  const ht = entropy(rowCounts, n);
  let htGivenY = 0;
  for (const cells of cellCounts) {
    const ny = cells.reduce((a, b) => a + b, 0);
    if (ny > 0) htGivenY += (ny / n) * entropy(cells, ny);
  }
  const hy = entropy(
    cellCounts.map((c) => c.reduce((a, b) => a + b, 0)),
    n,
  );
  return { distinct: rowCounts.length, counts: rowCounts.sort((a, b) => a - b), ht, htGivenY, hy, ity: ht - htGivenY };
}
