// The rows an O(N²) estimator runs on: all of them, or a seeded subsample
// drawn without replacement and kept in ascending order (ibsgd's KDE
// subsamples the same way). Each estimator draws from its own named stream.

import { Rng } from '../core/rng.ts';
import { InputError } from '../core/input-error.ts';

export function subsampleRows(n: number, subsample: number | undefined, seed: number, stream: string): Int32Array {
  if (subsample === undefined || subsample >= n) return Int32Array.from({ length: n }, (_, i) => i);
  if (!Number.isInteger(subsample) || subsample < 1) throw new InputError('subsample', `must be an integer ≥ 1, got ${subsample}`);
  const order = Rng.stream(seed, stream).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  return order.subarray(0, subsample).sort();
}

/** rows·width values: the given rows of a row-major [N, width] array. */
export function gatherRows(values: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let k = 0; k < rows.length; k++) out.set(values.subarray(rows[k] * width, (rows[k] + 1) * width), k * width);
  return out;
}
