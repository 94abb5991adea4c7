// Reader for the IDX format of MNIST, Fashion-MNIST and friends:
//   bytes 0–1 zero, byte 2 the element type (0x08 = unsigned byte, the only
//   one image/label sets use), byte 3 the number of dimensions, then one
//   big-endian uint32 per dimension, then the elements.
// Files may be gzipped (as distributed) or raw. Every length is checked
// against the buffer before it is used, so a damaged download is an InputError
// naming the file, never a silent short read.

import { InputError } from '../core/input-error.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateDeclared, type Declared } from '../core/inflate.ts';
import type { Dataset } from './dataset.ts';

const UBYTE = 0x08;

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  /** count × height × width bytes, row-major. */
  data: Uint8Array;
}

/** The file's bytes, gunzipped when it starts with the gzip magic 1f 8b. */
export function readIdxBytes(file: string): Uint8Array {
  let buf: Uint8Array;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new InputError(file, `cannot read: ${(e as Error).message}`);
  }
  return maybeGunzip(buf, file);
}

/** Gunzips when the bytes start with the gzip magic 1f 8b, inflating no more than the IDX header declares. */
export function maybeGunzip(buf: Uint8Array, file: string): Uint8Array {
  if (buf.length < 2 || buf[0] !== 0x1f || buf[1] !== 0x8b) return buf;
  return inflateDeclared(buf, { framing: 'gzip', header: 'IDX header', declared: idxSize }, (problem) => {
    throw new InputError(file, problem);
  });
}

/** The whole size an IDX header declares: 4 + 4·dims header bytes, then the product of the dims. */
function idxSize(head: Uint8Array): Declared {
  if (head.length < 4) return 'need-more';
  if (head[0] !== 0 || head[1] !== 0) return 'not-this-format';
  const offset = 4 + 4 * head[3];
  if (head.length < offset) return 'need-more';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let size = 1;
  for (let i = 0; i < head[3]; i++) size *= view.getUint32(4 + 4 * i, false);
  return offset + size;
}

/** Parses the header and checks the element count fits the buffer exactly; returns dims and data offset. */
function parseHeader(buf: Uint8Array, file: string, wantDims: number, what: string): { dims: number[]; offset: number } {
  if (buf.length < 4) throw new InputError(file, `truncated: ${buf.length} bytes, too short for an IDX header`);
  const magic = ((buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3]) >>> 0;
  const expected = (UBYTE << 8) | wantDims;
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw new InputError(file, `bad magic 0x${hex8(magic)}: not an IDX file (expected 0x${hex8(expected)} for ${what})`);
  }
  if (buf[2] !== UBYTE) {
    throw new InputError(
      file,
      `bad magic 0x${hex8(magic)}: element type 0x${buf[2].toString(16).padStart(2, '0')} is not unsigned byte (expected 0x${hex8(expected)} for ${what})`,
    );
  }
  if (buf[3] !== wantDims) {
    throw new InputError(file, `wrong dimension count: magic 0x${hex8(magic)} declares ${buf[3]}, ${what} need ${wantDims} (magic 0x${hex8(expected)})`);
  }
  const offset = 4 + 4 * wantDims;
  if (buf.length < offset) throw new InputError(file, `truncated: ${buf.length} bytes, the header needs ${offset}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < wantDims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  let size = 1;
  for (const d of dims) size *= d; // ≤ (2^32)^3 < 2^97: may be inexact but then it is far beyond any buffer
  const have = buf.length - offset;
  if (size > have) throw new InputError(file, `truncated: dimensions ${dims.join('×')} need ${size} data bytes, file has ${have}`);
  if (size < have) throw new InputError(file, `${have - size} unexpected bytes after the ${dims.join('×')} data`);
  return { dims, offset };
}

/** Parses an images file (magic 0x00000803: count, height, width). */
export function parseIdxImages(buf: Uint8Array, file: string): IdxImages {
  const { dims, offset } = parseHeader(buf, file, 3, 'images');
  const [count, height, width] = dims;
  if (count === 0) throw new InputError(file, 'contains no images');
  if (height === 0 || width === 0) throw new InputError(file, `image size ${height}×${width} is empty`);
  return { count, height, width, data: buf.subarray(offset) };
}

/** Parses a labels file (magic 0x00000801: count); every label must be < classes. */
export function parseIdxLabels(buf: Uint8Array, file: string, classes = 10): Uint8Array {
  const { dims, offset } = parseHeader(buf, file, 1, 'labels');
  if (dims[0] === 0) throw new InputError(file, 'contains no labels');
  const labels = buf.subarray(offset);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) throw new InputError(file, `label ${labels[i]} at index ${i} is out of range: expected 0..${classes - 1}`);
  }
  return labels;
}

export interface IdxPairOptions {
  /** Number of classes the labels must fall in; default 10. */
  classes?: number;
  /** Dataset name; default the images file path. */
  name?: string;
}

/** Loads an images file and its labels file into a Dataset (pixels byte/255). */
export function loadIdxPair(imagesFile: string, labelsFile: string, opts: IdxPairOptions = {}): Dataset {
  const classes = opts.classes ?? 10;
  if (!Number.isInteger(classes) || classes < 1 || classes > 256) throw new InputError('classes', `must be an integer in 1..256, got ${classes}`);
  const images = parseIdxImages(readIdxBytes(imagesFile), imagesFile);
  const labels = parseIdxLabels(readIdxBytes(labelsFile), labelsFile, classes);
  if (labels.length !== images.count) {
    throw new InputError(labelsFile, `has ${labels.length} labels but ${imagesFile} has ${images.count} images`);
  }
  return fromBytes(images, labels, classes, opts.name ?? imagesFile);
}

/** Builds a Dataset from parsed bytes (shared by file and in-memory callers). */
export function fromBytes(images: IdxImages, labels: Uint8Array, classes: number, name: string): Dataset {
  const features = images.height * images.width;
  const x = new Float32Array(images.count * features);
  // byte/255 computed once per value, then rounded to float32 on store.
  const scale = new Float32Array(256);
  for (let b = 0; b < 256; b++) scale[b] = b / 255;
  for (let i = 0; i < x.length; i++) x[i] = scale[images.data[i]];
  return { x, labels: Int32Array.from(labels), rows: images.count, features, classes, name };
}

export type IdxPart = 'train' | 't10k';

export interface IdxFiles {
  images?: string;
  labels?: string;
}

export type IdxDirectory =
  /** Both pairs present: MNIST's official split, to be used as-is. */
  | { kind: 'official'; dir: string; train: Dataset; test: Dataset; files: Record<IdxPart, IdxFiles> }
  /** Only one complete pair: the caller splits it with the seeded splitter. */
  | { kind: 'single'; dir: string; part: IdxPart; data: Dataset; files: Record<IdxPart, IdxFiles> };

/** The candidates tried for each file, in order: the canonical names, gzipped or raw, and the dotted variant some mirrors use. */
function candidates(part: IdxPart, kind: 'images' | 'labels'): string[] {
  const base = kind === 'images' ? `${part}-images` : `${part}-labels`;
  const dims = kind === 'images' ? 'idx3' : 'idx1';
  return [`${base}-${dims}-ubyte.gz`, `${base}-${dims}-ubyte`, `${base}.${dims}-ubyte.gz`, `${base}.${dims}-ubyte`];
}

/** Which of the four standard files exist in `dir` (first matching candidate each). */
export function findIdxFiles(dir: string): Record<IdxPart, IdxFiles> {
  const find = (part: IdxPart, kind: 'images' | 'labels'): string | undefined =>
    candidates(part, kind)
      .map((n) => join(dir, n))
      .find((p) => existsSync(p));
  return {
    train: { images: find('train', 'images'), labels: find('train', 'labels') },
    t10k: { images: find('t10k', 'images'), labels: find('t10k', 'labels') },
  };
}

/**
 * Loads a directory of standard IDX files. With both the train and t10k
 * pairs it returns the official split; with one complete pair it returns
 * that pair alone (a file of the other pair without its partner is ignored,
 * with a warning);
 * with none it throws an InputError listing what is missing.
 */
export function loadIdxDirectory(dir: string, opts: { classes?: number } = {}): IdxDirectory {
  if (!existsSync(dir)) throw new InputError(dir, 'directory does not exist');
  const files = findIdxFiles(dir);
  const complete = (p: IdxPart): boolean => files[p].images !== undefined && files[p].labels !== undefined;
  const load = (p: IdxPart): Dataset =>
    loadIdxPair(files[p].images as string, files[p].labels as string, { classes: opts.classes, name: `idx:${join(dir, p)}` });
  if (complete('train') && complete('t10k')) {
    return { kind: 'official', dir, train: load('train'), test: load('t10k'), files };
  }
  for (const part of ['train', 't10k'] as const) {
    if (!complete(part)) continue;
    const other = part === 'train' ? 't10k' : 'train';
    const stray = files[other].images ?? files[other].labels;
    if (stray !== undefined) {
      // Said out loud: a half-copied download would otherwise train on the wrong set without a word.
      const lacking = files[other].images === undefined ? candidates(other, 'images')[1] : candidates(other, 'labels')[1];
      process.emitWarning(
        `idx:${dir}: ${stray} has no partner (${lacking} is missing), so the ${other} pair is ignored and the ${part} pair is used alone as one set to split`,
        { code: 'INFOPLANE_IDX_PAIR' },
      );
    }
    return { kind: 'single', dir, part, data: load(part), files };
  }
  const missing = (['train', 't10k'] as const).flatMap((p) =>
    (['images', 'labels'] as const).filter((k) => files[p][k] === undefined).map((k) => candidates(p, k)[1]),
  );
  throw new InputError(dir, `no complete IDX images+labels pair; missing ${missing.join(', ')} (raw or .gz)`);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
