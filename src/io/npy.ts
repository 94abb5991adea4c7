// NumPy's .npy format: one header and one buffer. The format is specified in
// numpy/lib/format.py (numpy 1.24: "Format Version 1.0" ff.):
//
//   magic      6 bytes  \x93NUMPY
//   version    2 bytes  major, minor: 1.0 (u16 header length), 2.0 (u32), 3.0 (u32, utf8)
//   HEADER_LEN u16/u32  little-endian
//   header     HEADER_LEN bytes: a Python dict literal
//                {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
//              padded with spaces and ended by '\n' so that magic + version +
//              length + header is a multiple of 64 bytes (ARRAY_ALIGN = 64;
//              numpy < 1.14 aligned to 16 — both are read)
//   data       prod(shape)·itemsize bytes, C or Fortran order, in the byte
//              order of the descr ('<' little, '>' big, '|' not applicable)
//
// Reading: every real numeric dtype (bool, int8..int64, uint8..uint64,
// float16/32/64) in either byte order — big-endian data is byte-swapped, not
// refused — and either order, returned in C order. Refused with an InputError
// naming the file: bad magic, unknown version, a header that is not such a
// dict, complex, object, string, datetime and structured dtypes, a data size
// that does not match the shape (truncated or trailing bytes).
//
// Writing: always version 1.0, little-endian, C order, with exactly numpy's
// header bytes (numpy ≥ 1.23 also reserves GROWTH_AXIS_MAX_DIGITS = 21
// characters for the first axis to grow in place), so np.save and encodeNpy
// give identical files for the same array.
import { InputError } from '../core/input-error.ts';
import { endianness } from 'node:os';

export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** An n-dimensional array in C (row-major) order. */
export interface NdArray {
  readonly data: NumericArray;
  readonly shape: readonly number[];
  /** Only for Uint8Array data: the values are numpy booleans (written as '|b1'). */
  readonly bool?: boolean;
}

export type NpyDtype = 'bool' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'float16' | 'float32' | 'float64';

/** An array read from a .npy file: data in C order and native byte order, plus what the file said. */
export interface NpyArray extends NdArray {
  readonly dtype: NpyDtype;
  /** The descr as written in the file, e.g. '<f4' or '>f8'. */
  readonly descr: string;
  /** Whether the file stored the data in Fortran order (`data` is C order regardless). */
  readonly fortranOrder: boolean;
  /** e.g. '1.0' */
  readonly version: string;
}

export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59); // \x93NUMPY
/** numpy/lib/format.py ARRAY_ALIGN (numpy ≥ 1.14). */
export const NPY_ALIGN = 64;
/** numpy/lib/format.py GROWTH_AXIS_MAX_DIGITS (numpy ≥ 1.23). */
const GROWTH_AXIS_MAX_DIGITS = 21;

interface DtypeInfo {
  dtype: NpyDtype;
  itemsize: number;
  /** Builds the typed array over an aligned copy of the data bytes (native byte order). */
  view: (buffer: ArrayBuffer, length: number) => NumericArray;
}

// kind + itemsize of a descr ('f4') → what we read it as.
const DTYPES: Record<string, DtypeInfo> = {
  b1: { dtype: 'bool', itemsize: 1, view: (b, n) => new Uint8Array(b, 0, n) },
  i1: { dtype: 'int8', itemsize: 1, view: (b, n) => new Int8Array(b, 0, n) },
  u1: { dtype: 'uint8', itemsize: 1, view: (b, n) => new Uint8Array(b, 0, n) },
  i2: { dtype: 'int16', itemsize: 2, view: (b, n) => new Int16Array(b, 0, n) },
  u2: { dtype: 'uint16', itemsize: 2, view: (b, n) => new Uint16Array(b, 0, n) },
  i4: { dtype: 'int32', itemsize: 4, view: (b, n) => new Int32Array(b, 0, n) },
  u4: { dtype: 'uint32', itemsize: 4, view: (b, n) => new Uint32Array(b, 0, n) },
  i8: { dtype: 'int64', itemsize: 8, view: (b, n) => new BigInt64Array(b, 0, n) },
  u8: { dtype: 'uint64', itemsize: 8, view: (b, n) => new BigUint64Array(b, 0, n) },
  f2: { dtype: 'float16', itemsize: 2, view: (b, n) => halfToFloat32(new Uint16Array(b, 0, n)) },
  f4: { dtype: 'float32', itemsize: 4, view: (b, n) => new Float32Array(b, 0, n) },
  f8: { dtype: 'float64', itemsize: 8, view: (b, n) => new Float64Array(b, 0, n) },
};

const SUPPORTED = 'bool, int8..int64, uint8..uint64, float16, float32, float64 (either byte order)';

// What numpy's other kinds are, for the refusal message.
const KIND_NAMES: Record<string, string> = {
  c: 'complex',
  O: 'object (pickled Python objects)',
  U: 'unicode string',
  S: 'byte string',
  a: 'byte string',
  V: 'void/raw bytes',
  M: 'datetime64',
  m: 'timedelta64',
};

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** IEEE half → float32, exactly (every half is a float32). */
function halfToFloat32(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const v = h[i];
    const sign = v & 0x8000 ? -1 : 1;
    const exp = (v >> 10) & 0x1f;
    const frac = v & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp === 31) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

function swapBytes(bytes: Uint8Array, itemsize: number): void {
  if (itemsize === 1) return;
  for (let i = 0; i < bytes.length; i += itemsize) {
    for (let a = i, b = i + itemsize - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

// ---- the header: a Python literal (dict of str, bool, tuple of int; lists and None for the refusals) ----

type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

class PyLiteralParser {
  private i = 0;
  constructor(private readonly text: string) {}

  parseAll(): PyValue {
    const v = this.value();
    this.skip();
    if (this.i !== this.text.length) this.fail(`unexpected ${JSON.stringify(this.text.slice(this.i, this.i + 10))}`);
    return v;
  }

  private fail(problem: string): never {
    throw new Error(`${problem} at character ${this.i}`);
  }

  private skip(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) this.i++;
  }

  private value(): PyValue {
    this.skip();
    const c = this.text[this.i];
    if (c === '{') return this.dict();
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']');
    if (c === "'" || c === '"') return this.string();
    const word = /^(True|False|None|-?\d+L?)/.exec(this.text.slice(this.i));
    if (!word) this.fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
    this.i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0].replace(/L$/, '')); // Python 2 numpy wrote longs as 3L
  }

  private string(): string {
    const quote = this.text[this.i++];
    let s = '';
    while (this.i < this.text.length && this.text[this.i] !== quote) {
      if (this.text[this.i] === '\\') this.i++;
      s += this.text[this.i++];
    }
    if (this.text[this.i] !== quote) this.fail('unterminated string');
    this.i++;
    return s;
  }

  private sequence(close: string): PyValue[] {
    this.i++;
    const items: PyValue[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.i] === close) break;
      items.push(this.value());
      this.skip();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== close) this.fail(`expected "," or "${close}"`);
    }
    this.i++;
    return items;
  }

  private dict(): { [key: string]: PyValue } {
    this.i++;
    const d: { [key: string]: PyValue } = {};
    for (;;) {
      this.skip();
      if (this.text[this.i] === '}') break;
      const key = this.value();
      if (typeof key !== 'string') this.fail('dict keys must be strings');
      this.skip();
      if (this.text[this.i] !== ':') this.fail('expected ":"');
      this.i++;
      d[key] = this.value();
      this.skip();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== '}') this.fail('expected "," or "}"');
    }
    this.i++;
    return d;
  }
}

interface NpyHeader {
  version: [number, number];
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Offset of the data in the file. */
  dataOffset: number;
}

function parseHeader(bytes: Uint8Array, source: string): NpyHeader {
  if (bytes.length < 10 || !NPY_MAGIC.every((b, i) => bytes[i] === b)) {
    const first = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new InputError(source, `not a .npy file: bad magic (expected 93 4e 55 4d 50 59 = "\\x93NUMPY", found ${first || 'an empty file'})`);
  }
  const version: [number, number] = [bytes[6], bytes[7]];
  if (version[1] !== 0 || version[0] < 1 || version[0] > 3)
    throw new InputError(source, `unsupported .npy format version ${version.join('.')} (1.0, 2.0 and 3.0 are read)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = version[0] === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new InputError(source, 'truncated: the file ends inside the header length');
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (bytes.length < dataOffset)
    throw new InputError(source, `truncated: the header is ${headerLength} bytes long but the file ends after ${bytes.length - 8 - lengthBytes}`);
  const text = new TextDecoder(version[0] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataOffset));
  let dict: PyValue;
  try {
    dict = new PyLiteralParser(text).parseAll();
  } catch (err) {
    throw new InputError(source, `the header is not a Python dict literal (${(err as Error).message}): ${JSON.stringify(text.trim())}`);
  }
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict))
    throw new InputError(source, `the header is not a dict: ${JSON.stringify(text.trim())}`);
  const keys = Object.keys(dict).sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    throw new InputError(source, `the header must have exactly the keys descr, fortran_order, shape; found ${keys.join(', ') || 'none'}`);
  }
  const { descr, fortran_order: fortranOrder, shape } = dict as Record<string, PyValue>;
  if (typeof fortranOrder !== 'boolean') throw new InputError(source, `fortran_order must be True or False, got ${JSON.stringify(fortranOrder)}`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new InputError(source, `shape must be a tuple of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (typeof descr !== 'string') {
    throw new InputError(source, `unsupported dtype: a structured (record) dtype ${JSON.stringify(descr)}; supported: ${SUPPORTED}`);
  }
  return { version, descr, fortranOrder, shape: shape as number[], dataOffset };
}

function dtypeOf(descr: string, source: string): { info: DtypeInfo; bigEndian: boolean } {
  const m = /^([<>|=])?([a-zA-Z])(\d*)(.*)$/.exec(descr);
  const order = m?.[1] ?? '|';
  const kind = m?.[2] ?? '';
  const info = m && m[4] === '' ? DTYPES[`${kind}${m[3]}`] : undefined;
  if (!info) {
    const name = KIND_NAMES[kind];
    const what = name ? `${name} (descr ${JSON.stringify(descr)})` : `descr ${JSON.stringify(descr)}`;
    throw new InputError(source, `unsupported dtype: ${what}; supported: ${SUPPORTED}`);
  }
  // '=' is native order: numpy writes '<' or '>' explicitly, so '=' only comes from hand-made files.
  const bigEndian = order === '>' || (order === '=' && !LITTLE_ENDIAN_HOST);
  return { info, bigEndian };
}

/**
 * The size in bytes a .npy file declares in its header (header + prod(shape)·itemsize),
 * or undefined while `head` ends inside the header. Lets a container stop
 * inflating a member that grows past what it says it holds.
 */
export function npyDeclaredSize(head: Uint8Array, source: string): number | undefined {
  if (head.length < 12) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dataOffset = head[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true);
  if (head.length < dataOffset && NPY_MAGIC.every((b, i) => head[i] === b)) return undefined;
  const header = parseHeader(head, source);
  return header.dataOffset + shapeSize(header.shape, source) * dtypeOf(header.descr, source).info.itemsize;
}

/** Element count of a shape, or an InputError when it cannot be addressed. */
export function shapeSize(shape: readonly number[], source = 'shape'): number {
  let n = 1;
  for (const d of shape) n *= d;
  if (!Number.isSafeInteger(n)) throw new InputError(source, `shape (${shape.join(', ')}) has too many elements`);
  return n;
}

/** Reorders a Fortran-order buffer into C order (the index i0 varies fastest in the source). */
function fortranToC<T extends NumericArray>(src: T, shape: readonly number[]): T {
  const nd = shape.length;
  const out = new (src.constructor as new (n: number) => T)(src.length);
  if (nd < 2 || src.length === 0) {
    out.set(src as never);
    return out;
  }
  if (nd === 2) {
    const [rows, cols] = shape;
    for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out[r * cols + c] = src[c * rows + r];
    return out;
  }
  const fStride = new Array<number>(nd);
  fStride[0] = 1;
  for (let k = 1; k < nd; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
  const index = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < src.length; c++) {
    out[c] = src[f];
    // Advance the C-order multi-index (last axis fastest) and the Fortran offset with it.
    for (let k = nd - 1; k >= 0; k--) {
      index[k]++;
      f += fStride[k];
      if (index[k] < shape[k]) break;
      f -= fStride[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

/** Parses a .npy file's bytes; `source` (the file name) starts every error message. */
export function decodeNpy(bytes: Uint8Array, source: string): NpyArray {
  const header = parseHeader(bytes, source);
  const { info, bigEndian } = dtypeOf(header.descr, source);
  const count = shapeSize(header.shape, source);
  const expected = count * info.itemsize;
  const found = bytes.length - header.dataOffset;
  const shapeText = `(${header.shape.join(', ')})`;
  if (found < expected) throw new InputError(source, `truncated: shape ${shapeText} of ${header.descr} needs ${expected} bytes of data, the file has ${found}`);
  if (found > expected)
    throw new InputError(
      source,
      `corrupt: shape ${shapeText} of ${header.descr} needs ${expected} bytes of data, the file has ${found} (${found - expected} extra)`,
    );
  // A fresh copy: aligned for the typed array, and ours to byte-swap.
  // (Not bytes.slice: on a Node Buffer that is a view into a shared pool.)
  const copy = new Uint8Array(expected);
  copy.set(bytes.subarray(header.dataOffset, header.dataOffset + expected));
  if (bigEndian === LITTLE_ENDIAN_HOST) swapBytes(copy, info.itemsize);
  let data = info.view(copy.buffer, count);
  if (info.dtype === 'bool') for (let i = 0; i < data.length; i++) (data as Uint8Array)[i] = data[i] ? 1 : 0;
  if (header.fortranOrder) data = fortranToC(data, header.shape);
  return {
    data,
    shape: header.shape,
    ...(info.dtype === 'bool' ? { bool: true } : {}),
    dtype: info.dtype,
    descr: header.descr,
    fortranOrder: header.fortranOrder,
    version: header.version.join('.'),
  };
}

/** The little-endian descr numpy writes for a typed array. */
export function descrOf(array: NdArray): string {
  const d = array.data;
  if (d instanceof Float32Array) return '<f4';
  if (d instanceof Float64Array) return '<f8';
  if (d instanceof Int8Array) return '|i1';
  if (d instanceof Uint8Array) return array.bool ? '|b1' : '|u1';
  if (d instanceof Int16Array) return '<i2';
  if (d instanceof Uint16Array) return '<u2';
  if (d instanceof Int32Array) return '<i4';
  if (d instanceof Uint32Array) return '<u4';
  if (d instanceof BigInt64Array) return '<i8';
  if (d instanceof BigUint64Array) return '<u8';
  throw new TypeError(`encodeNpy: unsupported data ${Object.prototype.toString.call(d)}`);
}

/** Python's repr of a shape tuple: (), (3,), (3, 4). */
function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * The header numpy's format.write_array_header_1_0 writes: the dict with
 * sorted keys, GROWTH_AXIS_MAX_DIGITS spare spaces, then spaces and '\n'
 * up to a multiple of 64 bytes including the 10-byte prefix.
 */
export function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const hlen = dict.length + 1; // + '\n'
  const pad = NPY_ALIGN - ((NPY_MAGIC.length + 2 + 2 + hlen) % NPY_ALIGN);
  const headerLength = hlen + pad;
  if (headerLength > 0xffff) throw new RangeError(`encodeNpy: a header of ${headerLength} bytes does not fit format 1.0`);
  const out = new Uint8Array(10 + headerLength);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLength & 0xff;
  out[9] = headerLength >> 8;
  const text = dict + ' '.repeat(pad) + '\n';
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

/** The bytes of a .npy file (format 1.0, little-endian, C order) holding `array`. */
export function encodeNpy(array: NdArray): Uint8Array {
  const { data, shape } = array;
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new RangeError(`encodeNpy: shape must be non-negative integers, got [${shape.join(', ')}]`);
  if (shapeSize(shape) !== data.length)
    throw new RangeError(`encodeNpy: shape [${shape.join(', ')}] holds ${shapeSize(shape)} elements, the data has ${data.length}`);
  const header = npyHeader(descrOf(array), shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  if (!LITTLE_ENDIAN_HOST) swapBytes(out.subarray(header.length), data.BYTES_PER_ELEMENT);
  return out;
}
