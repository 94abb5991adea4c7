// A small reader for MATLAB 5 (.mat level 5) files, enough for the
// Shwartz-Ziv & Tishby data (IDNNs / ibsgd `var_u.mat`): little-endian,
// zlib-compressed elements, real dense numeric and logical arrays.
//
// Ours rather than a dependency: the one npm package for MAT v5
// (mat-for-js 1.1.0) is GPL-3.0 (infoplane is MIT), single-release and pulls
// in pako; Node's zlib already does the only hard part.
//
// Layout (MathWorks "MAT-File Format", level 5):
//   128-byte header: 116 bytes text, 8 bytes subsystem offset, uint16 version
//   0x0100, 2 chars endian indicator ('IM' when written little-endian).
//   Then data elements: tag (uint32 type, uint32 byte count) + data padded to
//   8 bytes; or the "small" form, a 4-byte tag (count in the upper 16 bits)
//   with ≤ 4 data bytes. miCOMPRESSED holds a zlib stream of more elements
//   and is not padded. miMATRIX holds sub-elements: array flags, dimensions,
//   name, real part (the numeric type may be narrower than the class: a
//   double array may be stored as miUINT8).
// Anything else — big-endian files, v7.3 (HDF5), complex, sparse, cell,
// struct, object, char — is refused with an InputError naming the file.

import { InputError } from '../core/input-error.ts';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { inflateDeclared, type DeclaredFormat } from '../core/inflate.ts';
import type { Dataset } from './dataset.ts';

export type MatClass = 'logical' | 'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

export interface MatVariable {
  name: string;
  /** MATLAB's class; `logical` when the logical flag is set (stored as uint8). */
  className: MatClass;
  /** MATLAB dimensions, at least 2 (a row vector is [1, n]). */
  dims: number[];
  /** All elements as float64, column-major as MATLAB stores them. */
  data: Float64Array;
}

// Data element types (miXXX).
const miINT8 = 1;
const miUINT8 = 2;
const miINT16 = 3;
const miUINT16 = 4;
const miINT32 = 5;
const miUINT32 = 6;
const miSINGLE = 7;
const miDOUBLE = 9;
const miINT64 = 12;
const miUINT64 = 13;
const miMATRIX = 14;
const miCOMPRESSED = 15;
const miUTF8 = 16;

/** Byte size and reader of each numeric element type. */
const NUMERIC: Record<number, { size: number; name: string; get: (v: DataView, o: number) => number }> = {
  [miINT8]: { size: 1, name: 'miINT8', get: (v, o) => v.getInt8(o) },
  [miUINT8]: { size: 1, name: 'miUINT8', get: (v, o) => v.getUint8(o) },
  [miINT16]: { size: 2, name: 'miINT16', get: (v, o) => v.getInt16(o, true) },
  [miUINT16]: { size: 2, name: 'miUINT16', get: (v, o) => v.getUint16(o, true) },
  [miINT32]: { size: 4, name: 'miINT32', get: (v, o) => v.getInt32(o, true) },
  [miUINT32]: { size: 4, name: 'miUINT32', get: (v, o) => v.getUint32(o, true) },
  [miSINGLE]: { size: 4, name: 'miSINGLE', get: (v, o) => v.getFloat32(o, true) },
  [miDOUBLE]: { size: 8, name: 'miDOUBLE', get: (v, o) => v.getFloat64(o, true) },
  // 64-bit integers beyond 2^53 lose precision as float64, as in MATLAB's double().
  [miINT64]: { size: 8, name: 'miINT64', get: (v, o) => Number(v.getBigInt64(o, true)) },
  [miUINT64]: { size: 8, name: 'miUINT64', get: (v, o) => Number(v.getBigUint64(o, true)) },
};

/** mxCLASS ids → name, for the classes we read; the rest are named only to refuse them clearly. */
const CLASSES: Record<number, MatClass> = {
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const REFUSED_CLASSES: Record<number, string> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  16: 'function handle',
  17: 'opaque',
};
const FLAG_COMPLEX = 0x0800;
const FLAG_LOGICAL = 0x0200;

interface Element {
  type: number;
  /** The element's data bytes (a view, never past the parent buffer). */
  data: Uint8Array;
  /** Offset of the next element in the parent buffer. */
  next: number;
}

/** Reads the data element at `off` of `buf`, checking its length against the buffer. */
function readElement(buf: Uint8Array, off: number, file: string, what: string): Element {
  if (off + 4 > buf.length) throw new InputError(file, `truncated: ${what} tag at byte ${off} runs past the end (${buf.length} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const word = view.getUint32(off, true);
  const small = word >>> 16;
  if (small !== 0) {
    // Small data element: 2-byte count, 2-byte type, data in the next 4 bytes.
    if (small > 4) throw new InputError(file, `corrupt ${what} at byte ${off}: small element claims ${small} bytes (at most 4)`);
    if (off + 8 > buf.length) throw new InputError(file, `truncated: ${what} at byte ${off} runs past the end (${buf.length} bytes)`);
    return { type: word & 0xffff, data: buf.subarray(off + 4, off + 4 + small), next: off + 8 };
  }
  if (off + 8 > buf.length) throw new InputError(file, `truncated: ${what} tag at byte ${off} runs past the end (${buf.length} bytes)`);
  const bytes = view.getUint32(off + 4, true);
  const start = off + 8;
  if (bytes > buf.length - start) {
    throw new InputError(file, `truncated: ${what} at byte ${off} claims ${bytes} bytes, only ${buf.length - start} remain`);
  }
  // Compressed elements are not padded; all others end on an 8-byte boundary
  // (the last one may omit the padding at the very end of its parent).
  const next = word === miCOMPRESSED ? start + bytes : Math.min(buf.length, start + Math.ceil(bytes / 8) * 8);
  return { type: word, data: buf.subarray(start, start + bytes), next };
}

// A compressed element holds one element, whose 8-byte tag declares its size
// (a small-format tag, upper half of its first word non-zero, holds ≤ 4 bytes).
const ELEMENT_TAG: DeclaredFormat = {
  framing: 'zlib',
  header: 'element tag',
  declared(head) {
    if (head.length < 8) return 'need-more';
    const view = new DataView(head.buffer, head.byteOffset, 8);
    return view.getUint32(0, true) >>> 16 !== 0 ? 8 : 8 + view.getUint32(4, true);
  },
};

/** Parses a whole MAT v5 file held in memory. `file` names it in errors. */
export function parseMat(buf: Uint8Array, file: string): Map<string, MatVariable> {
  if (buf.length < 128) throw new InputError(file, `truncated: ${buf.length} bytes, a MAT-file header is 128`);
  const text = new TextDecoder('latin1').decode(buf.subarray(0, 116));
  const endian = String.fromCharCode(buf[126], buf[127]);
  if (text.startsWith('MATLAB 7.3')) throw new InputError(file, 'MAT v7.3 (HDF5) files are not supported; save with -v7 or -v6');
  if (endian === 'MI') throw new InputError(file, "big-endian MAT-file ('MI') is not supported");
  if (endian !== 'IM') throw new InputError(file, `not a MATLAB 5 MAT-file (endian indicator ${JSON.stringify(endian)}, expected "IM")`);
  const version = buf[124] | (buf[125] << 8);
  if (version !== 0x0100) throw new InputError(file, `unsupported MAT-file version 0x${version.toString(16)} (expected 0x0100)`);

  // Subsystem data (MATLAB objects) sits at this offset; we read none, so stop there.
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const subsysOffset = view.getBigUint64(116, true);
  const isUnset = subsysOffset === 0n || subsysOffset === 0x2020202020202020n; // all zero or all spaces
  const subsys = Number(subsysOffset);
  const end = !isUnset && subsys >= 128 && subsys < buf.length ? subsys : buf.length;
  const top = buf.subarray(0, end);

  const vars = new Map<string, MatVariable>();
  let off = 128;
  while (off < top.length) {
    const el = readElement(top, off, file, 'top-level element');
    let matrix: Element;
    if (el.type === miCOMPRESSED) {
      const inflated = inflateDeclared(el.data, ELEMENT_TAG, (problem) => {
        throw new InputError(file, `compressed element at byte ${off}: ${problem}`);
      });
      matrix = readElement(inflated, 0, file, `compressed element at byte ${off}`);
      if (matrix.next < inflated.length) throw new InputError(file, `compressed element at byte ${off} holds more than one variable`);
    } else {
      matrix = el;
    }
    if (matrix.type !== miMATRIX) throw new InputError(file, `element at byte ${off} has type ${matrix.type}, expected miMATRIX (14) or miCOMPRESSED (15)`);
    const v = parseMatrix(matrix.data, file, `variable at byte ${off}`);
    if (vars.has(v.name)) throw new InputError(file, `variable "${v.name}" appears twice`);
    vars.set(v.name, v);
    off = el.next;
  }
  return vars;
}

/** Parses the body of one miMATRIX element. */
function parseMatrix(body: Uint8Array, file: string, where: string): MatVariable {
  if (body.length === 0) throw new InputError(file, `${where}: empty matrix element`);
  const flagsEl = readElement(body, 0, file, `${where} array flags`);
  if (flagsEl.type !== miUINT32 || flagsEl.data.length !== 8) throw new InputError(file, `${where}: malformed array flags`);
  const flags = new DataView(flagsEl.data.buffer, flagsEl.data.byteOffset, 8).getUint32(0, true);
  const classId = flags & 0xff;

  const dimsEl = readElement(body, flagsEl.next, file, `${where} dimensions`);
  const nameEl = readElement(body, dimsEl.next, file, `${where} name`);
  if (nameEl.type !== miINT8 && nameEl.type !== miUTF8) throw new InputError(file, `${where}: name has type ${nameEl.type}, expected miINT8`);
  const name = new TextDecoder('utf-8').decode(nameEl.data);
  const at = name ? `variable "${name}"` : where;

  if (REFUSED_CLASSES[classId])
    throw new InputError(file, `${at}: class ${REFUSED_CLASSES[classId]} is not supported (only real dense numeric and logical arrays)`);
  const cls = CLASSES[classId];
  if (!cls) throw new InputError(file, `${at}: unknown array class ${classId}`);
  if (flags & FLAG_COMPLEX) throw new InputError(file, `${at}: complex arrays are not supported`);

  if (dimsEl.type !== miINT32 || dimsEl.data.length % 4 !== 0 || dimsEl.data.length < 8) {
    throw new InputError(file, `${at}: malformed dimensions element`);
  }
  const dv = new DataView(dimsEl.data.buffer, dimsEl.data.byteOffset, dimsEl.data.byteLength);
  const dims: number[] = [];
  let numel = 1;
  for (let i = 0; i < dimsEl.data.length; i += 4) {
    const d = dv.getInt32(i, true);
    if (d < 0) throw new InputError(file, `${at}: negative dimension ${d}`);
    dims.push(d);
    numel *= d;
  }

  const realEl = readElement(body, nameEl.next, file, `${at} real part`);
  const num = NUMERIC[realEl.type];
  if (!num) throw new InputError(file, `${at}: real part has unsupported data type ${realEl.type}`);
  if (realEl.data.length !== numel * num.size) {
    throw new InputError(
      file,
      `${at}: dimensions ${dims.join('×')} need ${numel} ${num.name} values (${numel * num.size} bytes), element has ${realEl.data.length} bytes`,
    );
  }
  const rv = new DataView(realEl.data.buffer, realEl.data.byteOffset, realEl.data.byteLength);
  const data = new Float64Array(numel);
  for (let i = 0; i < numel; i++) data[i] = num.get(rv, i * num.size);
  return { name, className: flags & FLAG_LOGICAL ? 'logical' : cls, dims, data };
}

/** Reads and parses a .mat file. */
export function readMat(file: string): Map<string, MatVariable> {
  let buf: Uint8Array;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new InputError(file, `cannot read: ${(e as Error).message}`);
  }
  return parseMat(buf, file);
}

/**
 * The Shwartz-Ziv & Tishby 12-bit data set from an IDNNs/ibsgd `.mat` file:
 * `F` (n × d, 0/1) becomes x, converted from MATLAB's column-major to our
 * row-major (row i = F(i, :)); `y` (1 × n or n × 1, 0/1) becomes the labels.
 *
 * Label convention: label = y, so class 1 ⇔ y = 1. IDNNs builds one-hot
 * targets as [y, 1 − y], i.e. its output column 0 is y; our class index is
 * not that column index (their column 0 is our class 1). For var_u.mat,
 * 2118 of the 4096 rows are class 1.
 */
export function loadVarU(file: string): Dataset {
  const vars = readMat(file);
  const F = vars.get('F');
  const y = vars.get('y');
  if (!F) throw new InputError(file, 'variable "F" (inputs) not found');
  if (!y) throw new InputError(file, 'variable "y" (labels) not found');
  if (F.dims.length !== 2) throw new InputError(file, `F must be 2-D (n × d), got ${F.dims.join('×')}`);
  const [n, d] = F.dims;
  if (n === 0 || d === 0) throw new InputError(file, `F is empty (${n}×${d})`);
  if (y.dims.length !== 2 || Math.min(y.dims[0], y.dims[1]) !== 1 || y.data.length !== n) {
    throw new InputError(file, `y must be a 1×${n} or ${n}×1 vector to match F, got ${y.dims.join('×')}`);
  }
  const x = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) {
      const v = F.data[j * n + i];
      if (!(v >= 0 && v <= 1)) throw new InputError(file, `F(${i + 1}, ${j + 1}) = ${v} is outside [0, 1]`);
      x[i * d + j] = v;
    }
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = y.data[i];
    if (v !== 0 && v !== 1) throw new InputError(file, `y(${i + 1}) = ${v}, expected 0 or 1`);
    labels[i] = v;
  }
  return { x, labels, rows: n, features: d, classes: 2, name: basename(file, extname(file)) };
}
