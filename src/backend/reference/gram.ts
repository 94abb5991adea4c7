// The Gram block in plain TypeScript, summed in float64: the specification.
import type { GramBlock } from '../gram-kernels.ts';

export const referenceGram: GramBlock = (out, t, n, d, j0, j1) => {
  const b = j1 - j0;
  for (let i = 0; i < n; i++) {
    for (let j = j0; j < j1; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += t[i * d + k] * t[j * d + k];
      out[i * b + (j - j0)] = s;
    }
  }
};
