// The KSG neighbour counts in plain TypeScript: every distance computed, the
// neighbours found by sorting. O(N² d) and obviously correct; the oracle the
// native kernels (native/kernels/knn-inl.h) are tested against.

import type { KsgCountEngine } from '../ksg-kernels.ts';

/** max_f |fl32(a_f − b_f)| of rows i and j (Math.fround of a double difference of two float32 is the float32 difference). */
export function maxNormDistance(x: Float32Array, d: number, i: number, j: number): number {
  let m = 0;
  for (let f = 0; f < d; f++) m = Math.max(m, Math.abs(Math.fround(x[i * d + f] - x[j * d + f])));
  return m;
}

function kthSmallest(values: number[], k: number): number {
  return values.sort((a, b) => a - b)[k - 1];
}

function countBelow(x: Float32Array, d: number, n: number, i: number, eps: number): number {
  let c = 0;
  for (let j = 0; j < n; j++) if (j !== i && maxNormDistance(x, d, i, j) < eps) c++;
  return c;
}

export const referenceKsgCounts: KsgCountEngine = {
  name: 'reference',
  counts(countX, countY, x, dx, y, dy, n, k) {
    for (let i = 0; i < n; i++) {
      const joint: number[] = [];
      for (let j = 0; j < n; j++) if (j !== i) joint.push(Math.max(maxNormDistance(x, dx, i, j), maxNormDistance(y, dy, i, j)));
      const eps = kthSmallest(joint, k);
      countX[i] = countBelow(x, dx, n, i, eps);
      countY[i] = countBelow(y, dy, n, i, eps);
    }
  },
  classCounts(countX, x, dx, labels, _classes, n, k) {
    for (let i = 0; i < n; i++) {
      const own: number[] = [];
      for (let j = 0; j < n; j++) if (j !== i && labels[j] === labels[i]) own.push(maxNormDistance(x, dx, i, j));
      countX[i] = countBelow(x, dx, n, i, kthSmallest(own, Math.min(k, own.length)));
    }
  },
};
