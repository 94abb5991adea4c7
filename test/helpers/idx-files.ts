// IDX files built in memory (the format of MNIST's distribution files), for
// tests that need a data directory of their own.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** An IDX file: magic, big-endian dims, then the bytes. */
export function idx(magic: number, dims: number[], data: ArrayLike<number>): Uint8Array {
  const buf = Buffer.alloc(4 + 4 * dims.length + data.length);
  buf.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  buf.set(Array.from(data), 4 + 4 * dims.length);
  return buf;
}

/** n images of h × w bytes, each byte a fixed function of its position. */
export const idxImages = (n: number, h = 2, w = 3): Uint8Array =>
  idx(
    0x803,
    [n, h, w],
    Array.from({ length: n * h * w }, (_, i) => (i * 37) % 256),
  );

export const idxLabels = (ls: number[]): Uint8Array => idx(0x801, [ls.length], ls);

/** One t10k images+labels pair of `rows` 28 × 28 digits, labels cycling 0..9, in `dir`: a single set to split. */
export function writeIdxSet(dir: string, rows: number): void {
  writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), idxImages(rows, 28, 28));
  writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), idxLabels(Array.from({ length: rows }, (_, i) => i % 10)));
}
