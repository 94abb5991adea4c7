import { InputError } from '../../src/core/input-error.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classCounts } from '../../src/data/dataset.ts';
import { loadVarU, parseMat, readMat } from '../../src/data/mat.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const varU = path.resolve(repoRoot, '../shared/data/var_u.mat');
const haveVarU = existsSync(varU);
if (!haveVarU) console.warn(`skipping var_u.mat tests: ${varU} is absent (see shared/data/README.md)`);

// --- A minimal MAT v5 writer, to generate valid and malformed inputs. ---

/** One data element: 8-byte tag, data, zero padding to 8 bytes; or the 4-byte-tag small form. */
function element(type: number, data: Uint8Array, small = false): Uint8Array {
  if (small) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, (data.length << 16) | type, true);
    out.set(data, 4);
    return out;
  }
  const padded = Math.ceil(data.length / 8) * 8;
  const out = new Uint8Array(8 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
function u32(...xs: number[]): Uint8Array {
  const b = new Uint8Array(4 * xs.length);
  xs.forEach((x, i) => new DataView(b.buffer).setUint32(4 * i, x >>> 0, true));
  return b;
}
function f64(xs: number[]): Uint8Array {
  const b = new Uint8Array(8 * xs.length);
  xs.forEach((x, i) => new DataView(b.buffer).setFloat64(8 * i, x, true));
  return b;
}
function i16(xs: number[]): Uint8Array {
  const b = new Uint8Array(2 * xs.length);
  xs.forEach((x, i) => new DataView(b.buffer).setInt16(2 * i, x, true));
  return b;
}

interface MatrixSpec {
  name: string;
  classId: number; // mxCLASS: 6 double, 9 uint8, 1 cell, 5 sparse, ...
  flags?: number; // 0x0200 logical, 0x0800 complex
  dims: number[];
  real: [type: number, bytes: Uint8Array]; // miDOUBLE = 9, miUINT8 = 2, miINT16 = 3, ...
}
function matrix(s: MatrixSpec): Uint8Array {
  const name = new TextEncoder().encode(s.name);
  const body = concat(
    element(6, u32((s.flags ?? 0) | s.classId, 0)),
    element(5, u32(...s.dims)),
    element(1, name, name.length <= 4),
    element(s.real[0], s.real[1]),
  );
  return element(14, body);
}
function compressed(el: Uint8Array): Uint8Array {
  const z = deflateSync(el);
  const out = new Uint8Array(8 + z.length); // compressed elements are not padded
  new DataView(out.buffer).setUint32(0, 15, true);
  new DataView(out.buffer).setUint32(4, z.length, true);
  out.set(z, 8);
  return out;
}
function header(endian = 'IM', text = 'MATLAB 5.0 MAT-file, written by infoplane tests'): Uint8Array {
  const h = new Uint8Array(128).fill(0x20);
  h.set(new TextEncoder().encode(text), 0);
  h.fill(0, 116, 124);
  h.set(endian === 'IM' ? [0x00, 0x01] : [0x01, 0x00], 124);
  h.set([endian.charCodeAt(0), endian.charCodeAt(1)], 126);
  return h;
}
const file = (...elements: Uint8Array[]): Uint8Array => concat(header(), ...elements);

function dataError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

// A 2×3 double matrix [1 2 3; 4 5 6], column-major as MATLAB stores it.
const A = { name: 'A', classId: 6, dims: [2, 3], real: [9, f64([1, 4, 2, 5, 3, 6])] as [number, Uint8Array] };

describe('real var_u.mat', () => {
  it.skipIf(!haveVarU)('holds F (4096×12 logical) and y (1×4096 double) (needs ../shared/data/var_u.mat)', () => {
    const vars = readMat(varU);
    expect([...vars.keys()].sort()).toEqual(['F', 'y']);
    expect(vars.get('F')).toMatchObject({ className: 'logical', dims: [4096, 12] });
    expect(vars.get('y')).toMatchObject({ className: 'double', dims: [1, 4096] });
  });

  it.skipIf(!haveVarU)('loadVarU: row i is the 12-bit binary of i, MSB first; y sums to 2118 (needs ../shared/data/var_u.mat)', () => {
    const ds = loadVarU(varU);
    expect(ds).toMatchObject({ rows: 4096, features: 12, classes: 2, name: 'var_u' });
    let bad = 0;
    for (let i = 0; i < 4096; i++) {
      for (let j = 0; j < 12; j++) if (ds.x[i * 12 + j] !== ((i >> (11 - j)) & 1)) bad++;
    }
    expect(bad).toBe(0);
    expect(classCounts(ds)).toEqual([4096 - 2118, 2118]);
    // README: Hamming weight ≤ 4 → y = 0, ≥ 8 → y = 1 (checks labels are not shuffled against rows).
    for (let i = 0; i < 4096; i++) {
      let w = 0;
      for (let j = 0; j < 12; j++) w += ds.x[i * 12 + j];
      if (w <= 4) expect(ds.labels[i]).toBe(0);
      if (w >= 8) expect(ds.labels[i]).toBe(1);
    }
  });
});

describe('parseMat on generated files', () => {
  it('reads uncompressed and compressed variables, column-major', () => {
    const vars = parseMat(
      file(
        matrix(A),
        compressed(matrix({ name: 'counts', classId: 10, dims: [3, 1], real: [3, i16([-2, 0, 7])] })),
        matrix({ name: 'mask', classId: 9, flags: 0x0200, dims: [1, 2], real: [2, Uint8Array.from([1, 0])] }),
      ),
      'gen.mat',
    );
    expect(vars.get('A')).toMatchObject({ className: 'double', dims: [2, 3] });
    expect(Array.from(vars.get('A')!.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(vars.get('counts')!.data)).toEqual([-2, 0, 7]);
    expect(vars.get('counts')!.className).toBe('int16');
    expect(vars.get('mask')).toMatchObject({ className: 'logical', dims: [1, 2] });
  });

  it('loadVarU converts column-major → row-major and checks y', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'infoplane-mat-'));
    try {
      const F = { name: 'F', classId: 9, flags: 0x0200, dims: [3, 2], real: [2, Uint8Array.from([0, 1, 1, 1, 0, 1])] as [number, Uint8Array] };
      const y = { name: 'y', classId: 6, dims: [1, 3], real: [2, Uint8Array.from([1, 0, 1])] as [number, Uint8Array] };
      const p = path.join(d, 'tiny.mat');
      writeFileSync(p, file(compressed(matrix(F)), compressed(matrix(y))));
      const ds = loadVarU(p);
      expect(Array.from(ds.x)).toEqual([0, 1, 1, 0, 1, 1]); // rows (0,1), (1,0), (1,1)
      expect(Array.from(ds.labels)).toEqual([1, 0, 1]);
      expect(ds.name).toBe('tiny');
      // y that does not match F's rows, and y values other than 0/1, are refused.
      writeFileSync(p, file(matrix(F), matrix({ ...y, dims: [1, 2], real: [2, Uint8Array.from([1, 0])] })));
      expect(dataError(() => loadVarU(p)).message).toMatch(/y must be a 1×3 or 3×1 vector to match F, got 1×2/);
      writeFileSync(p, file(matrix(F), matrix({ ...y, real: [2, Uint8Array.from([1, 2, 0])] })));
      expect(dataError(() => loadVarU(p)).message).toMatch(/y\(2\) = 2, expected 0 or 1/);
      writeFileSync(p, file(matrix(F)));
      expect(dataError(() => loadVarU(p)).message).toMatch(/variable "y" \(labels\) not found/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('parseMat refuses malformed or unsupported input', () => {
  it.skipIf(!haveVarU)('truncated real file, at every kind of cut (needs ../shared/data/var_u.mat)', () => {
    const real = readFileSync(varU);
    // F's compressed element ends at byte 540, y's at the end of the file.
    for (const n of [0, 100, 130, 140, 300, 539, 541, 545, real.length - 1]) {
      expect(dataError(() => parseMat(real.subarray(0, n), 'cut.mat')).where).toBe('cut.mat');
    }
    // A cut exactly between elements is a valid file with fewer variables (the format cannot tell).
    expect([...parseMat(real.subarray(0, 540), 'cut.mat').keys()]).toEqual(['F']);
  });

  it('truncated generated file: header, tag and data', () => {
    const good = file(matrix(A));
    expect(dataError(() => parseMat(good.subarray(0, 127), 'h.mat')).message).toMatch(/^h\.mat: truncated: 127 bytes/);
    expect(dataError(() => parseMat(good.subarray(0, 131), 't.mat')).message).toMatch(/^t\.mat: truncated: top-level element tag at byte 128/);
    expect(dataError(() => parseMat(good.subarray(0, 200), 'd.mat')).message).toMatch(/^d\.mat: truncated: top-level element at byte 128 claims \d+ bytes/);
  });

  it('a compressed element that inflates past the size its tag declares stops there', () => {
    const el = matrix(A);
    const bomb = compressed(concat(el, new Uint8Array(8 << 20)));
    expect(dataError(() => parseMat(file(bomb), 'bomb.mat')).message).toBe(
      `bomb.mat: compressed element at byte 128: inflates to more than the ${el.length} bytes its element tag declares (stopped at ${el.length + 4096})`,
    );
  });

  it('corrupt compressed data', () => {
    const c = compressed(matrix(A));
    c[12] ^= 0xff;
    c[20] ^= 0xff;
    expect(dataError(() => parseMat(file(c), 'z.mat')).message).toMatch(/^z\.mat: compressed element at byte 128: corrupt zlib data/);
  });

  it.each([
    [1, 'cell'],
    [2, 'struct'],
    [4, 'char'],
    [5, 'sparse'],
  ])('unsupported class %i (%s)', (classId, name) => {
    const m = matrix({ ...A, classId });
    expect(dataError(() => parseMat(file(m), 'c.mat')).message).toBe(
      `c.mat: variable "A": class ${name} is not supported (only real dense numeric and logical arrays)`,
    );
  });

  it('complex arrays', () => {
    expect(dataError(() => parseMat(file(matrix({ ...A, flags: 0x0800 })), 'x.mat')).message).toMatch(/variable "A": complex arrays are not supported/);
  });

  it('big-endian, v7.3 and non-MAT files', () => {
    const be = concat(header('MI'), matrix(A));
    expect(dataError(() => parseMat(be, 'be.mat')).message).toMatch(/big-endian MAT-file \('MI'\) is not supported/);
    const v73 = concat(header('IM', 'MATLAB 7.3 MAT-file, Platform: GLNXA64'), matrix(A));
    expect(dataError(() => parseMat(v73, 'h5.mat')).message).toMatch(/MAT v7\.3 \(HDF5\)/);
    expect(dataError(() => parseMat(new Uint8Array(200), 'zero.mat')).message).toMatch(/not a MATLAB 5 MAT-file/);
  });

  it('data length that does not match the dimensions, and unsupported data types', () => {
    const short = matrix({ ...A, real: [9, f64([1, 2, 3, 4, 5])] });
    expect(dataError(() => parseMat(file(short), 's.mat')).message).toMatch(
      /variable "A": dimensions 2×3 need 6 miDOUBLE values \(48 bytes\), element has 40 bytes/,
    );
    const utf = matrix({ ...A, real: [16, new Uint8Array(6)] });
    expect(dataError(() => parseMat(file(utf), 'u.mat')).message).toMatch(/real part has unsupported data type 16/);
  });

  it('top-level elements that are not matrices, and duplicate names', () => {
    expect(dataError(() => parseMat(file(element(9, f64([1]))), 'n.mat')).message).toMatch(/type 9, expected miMATRIX/);
    expect(dataError(() => parseMat(file(matrix(A), compressed(matrix(A))), 'dup.mat')).message).toMatch(/variable "A" appears twice/);
  });
});
