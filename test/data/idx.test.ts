import { InputError } from '../../src/core/input-error.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { classCounts } from '../../src/data/dataset.ts';
import { loadIdxDirectory, loadIdxPair, parseIdxImages, parseIdxLabels, readIdxBytes } from '../../src/data/idx.ts';
import { idx, idxImages as images, idxLabels as labels } from '../helpers/idx-files.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnistDir = path.resolve(repoRoot, '../shared/data/mnist');
const t10kImages = path.join(mnistDir, 't10k-images-idx3-ubyte.gz');
const t10kLabels = path.join(mnistDir, 't10k-labels-idx1-ubyte.gz');
const trainLabels = path.join(mnistDir, 'train-labels-idx1-ubyte.gz');
const haveT10k = existsSync(t10kImages) && existsSync(t10kLabels);
if (!haveT10k) console.warn(`skipping real-MNIST IDX tests: ${mnistDir} lacks the t10k files (see shared/data/README.md)`);

const tmp = mkdtempSync(path.join(tmpdir(), 'infoplane-idx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
function write(name: string, bytes: Uint8Array, dir = tmp): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
/** The InputError `f` throws; fails the test if it throws nothing or something else. */
function dataError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('real MNIST t10k files', () => {
  it.skipIf(!haveT10k)('loads 10 000 28×28 images with the known class counts (needs ../shared/data/mnist)', () => {
    const ds = loadIdxPair(t10kImages, t10kLabels);
    expect(ds).toMatchObject({ rows: 10000, features: 784, classes: 10 });
    expect(classCounts(ds)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(ds.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    let bad = 0;
    for (let i = 0; i < ds.x.length; i++) if (ds.x[i] !== Math.fround(Math.round(ds.x[i] * 255) / 255)) bad++;
    expect(bad).toBe(0);
    expect(Math.max(...ds.x.subarray(0, 784))).toBe(1);
  });

  it.skipIf(!haveT10k)('a directory with only the t10k pair is a single pair to split (needs ../shared/data/mnist)', () => {
    const r = loadIdxDirectory(mnistDir);
    expect(r.kind).toBe('single');
    if (r.kind !== 'single') return;
    expect(r.part).toBe('t10k');
    expect(r.data.rows).toBe(10000);
    expect(r.files.train.labels).toBe(trainLabels); // found, but useless without its images
    expect(r.files.train.images).toBeUndefined();
  });

  it.skipIf(!existsSync(trainLabels))('train labels: the first 10 000 have the mnist package counts (needs ../shared/data/mnist)', () => {
    const ls = parseIdxLabels(readIdxBytes(trainLabels), trainLabels);
    expect(ls.length).toBe(60000);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10000; i++) counts[ls[i]]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });
});

describe('IDX parsing', () => {
  it('reads a valid pair, raw and gzipped alike', () => {
    const img = images(4);
    const lab = labels([3, 0, 9, 1]);
    const raw = loadIdxPair(write('a-img', img), write('a-lab', lab));
    const gz = loadIdxPair(write('b-img.gz', gzipSync(img)), write('b-lab.gz', gzipSync(lab)));
    expect(raw).toMatchObject({ rows: 4, features: 6, classes: 10 });
    expect(Array.from(raw.labels)).toEqual([3, 0, 9, 1]);
    expect(raw.x[1]).toBe(Math.fround(37 / 255));
    expect(gz.x).toEqual(raw.x);
    expect(gz.labels).toEqual(raw.labels);
  });

  it('bad magic', () => {
    const bad = images(2);
    bad[0] = 0x12;
    expect(dataError(() => parseIdxImages(bad, 'f.idx')).message).toMatch(/^f\.idx: bad magic 0x12000803: not an IDX file/);
    const float = idx(0xd03, [1, 1, 1], [0, 0, 0, 0]);
    expect(dataError(() => parseIdxImages(float, 'g.idx')).message).toMatch(/^g\.idx: bad magic 0x00000d03: element type 0x0d is not unsigned byte/);
  });

  it('wrong dimension count', () => {
    const lab = labels([1, 2]);
    expect(dataError(() => parseIdxImages(lab, 'lab.idx')).message).toMatch(/^lab\.idx: wrong dimension count: magic 0x00000801 declares 1, images need 3/);
    expect(dataError(() => parseIdxLabels(images(1), 'img.idx')).message).toMatch(
      /^img\.idx: wrong dimension count: magic 0x00000803 declares 3, labels need 1/,
    );
  });

  it('truncated header and data', () => {
    expect(dataError(() => parseIdxImages(new Uint8Array([0, 0]), 'h')).message).toMatch(/^h: truncated: 2 bytes/);
    expect(dataError(() => parseIdxImages(images(3).subarray(0, 10), 'h2')).message).toMatch(/^h2: truncated: 10 bytes, the header needs 16/);
    const img = images(3);
    expect(dataError(() => parseIdxImages(img.subarray(0, img.length - 1), 'd')).message).toMatch(
      /^d: truncated: dimensions 3×2×3 need 18 data bytes, file has 17/,
    );
    // A count far beyond the buffer must not be read or allocated.
    const huge = idx(0x803, [0xffffffff, 28, 28], [1, 2, 3]);
    expect(dataError(() => parseIdxImages(huge, 'huge')).message).toMatch(/^huge: truncated/);
  });

  it('trailing bytes after the data', () => {
    const extra = new Uint8Array([...labels([1, 2]), 7]);
    expect(dataError(() => parseIdxLabels(extra, 'x')).message).toMatch(/^x: 1 unexpected bytes after the 2 data/);
  });

  it('label count differs from image count, naming both files', () => {
    const img = write('c-img', images(3));
    const lab = write('c-lab', labels([1, 2]));
    expect(dataError(() => loadIdxPair(img, lab)).message).toBe(`${lab}: has 2 labels but ${img} has 3 images`);
  });

  it('label out of range: > 9 by default, or beyond a given class count', () => {
    expect(dataError(() => parseIdxLabels(labels([1, 10, 2]), 'l')).message).toBe('l: label 10 at index 1 is out of range: expected 0..9');
    expect(parseIdxLabels(labels([1, 2, 0]), 'l', 3).length).toBe(3);
    expect(dataError(() => parseIdxLabels(labels([1, 2, 3]), 'l3', 3)).message).toMatch(/^l3: label 3 at index 2 is out of range: expected 0\.\.2/);
    const img = write('d-img', images(2));
    const lab = write('d-lab', labels([0, 4]));
    expect(dataError(() => loadIdxPair(img, lab, { classes: 4 })).where).toBe(lab);
  });

  it('gzip: a damaged gzip stream and a gzipped truncated file', () => {
    const gz = gzipSync(images(5));
    const cut = write('e-img.gz', gz.subarray(0, gz.length - 12));
    expect(dataError(() => readIdxBytes(cut)).message).toMatch(/: corrupt gzip data/);
    const img = images(5);
    const shortGz = write('f-img.gz', gzipSync(img.subarray(0, img.length - 3)));
    expect(dataError(() => parseIdxImages(readIdxBytes(shortGz), shortGz)).message).toMatch(/truncated: dimensions 5×2×3 need 30 data bytes, file has 27/);
  });

  it('gzip bombs: inflation stops at what the IDX header declares, or fails before it when the header claims too much', () => {
    const img = images(5); // declares 5×2×3: 16 header + 30 data bytes
    const bomb = write('bomb-img.gz', gzipSync(Buffer.concat([img, Buffer.alloc(64 << 20)])));
    expect(dataError(() => readIdxBytes(bomb)).message).toBe(`${bomb}: inflates to more than the 46 bytes its IDX header declares (stopped at 4142)`);
    const liar = write('liar-img.gz', gzipSync(idx(0x803, [60000, 28, 28], [])));
    expect(dataError(() => readIdxBytes(liar)).message).toMatch(/: the IDX header declares 47040016 bytes, more than \d+ compressed bytes can inflate to$/);
  });

  it('an empty file or a missing file', () => {
    expect(dataError(() => parseIdxLabels(new Uint8Array(0), 'empty')).message).toMatch(/^empty: truncated: 0 bytes/);
    expect(dataError(() => parseIdxLabels(labels([]), 'none')).message).toMatch(/^none: contains no labels/);
    expect(dataError(() => readIdxBytes(path.join(tmp, 'nope'))).message).toMatch(/cannot read/);
  });
});

describe('loadIdxDirectory', () => {
  function dir(): string {
    return mkdtempSync(path.join(tmp, `dir${fileNo++}-`));
  }

  it('uses the official split when both pairs exist (gz and raw mixed)', () => {
    const d = dir();
    write('train-images-idx3-ubyte.gz', gzipSync(images(5)), d);
    write('train-labels-idx1-ubyte', labels([0, 1, 2, 3, 4]), d);
    write('t10k-images-idx3-ubyte', images(2), d);
    write('t10k-labels-idx1-ubyte.gz', gzipSync(labels([9, 8])), d);
    const r = loadIdxDirectory(d);
    expect(r.kind).toBe('official');
    if (r.kind !== 'official') return;
    expect(r.train.rows).toBe(5);
    expect(Array.from(r.test.labels)).toEqual([9, 8]);
    expect(r.files.train.images).toBe(path.join(d, 'train-images-idx3-ubyte.gz'));
  });

  it('returns a single pair when only one is complete', () => {
    const d = dir();
    write('train-images-idx3-ubyte', images(3), d);
    write('train-labels-idx1-ubyte', labels([1, 1, 0]), d);
    write('t10k-images-idx3-ubyte', images(2), d); // no t10k labels
    const r = loadIdxDirectory(d);
    expect(r.kind).toBe('single');
    if (r.kind === 'single') {
      expect(r.part).toBe('train');
      expect(r.data.rows).toBe(3);
    }
  });

  it('warns, naming the stray file and its missing partner, when the other pair is incomplete', async () => {
    const d = dir();
    write('t10k-images-idx3-ubyte', images(2), d);
    write('t10k-labels-idx1-ubyte', labels([1, 0]), d);
    write('train-labels-idx1-ubyte.gz', gzipSync(labels([1, 1, 0])), d); // no train images
    const warnings: string[] = [];
    const listener = (w: Error) => warnings.push(w.message);
    process.on('warning', listener);
    try {
      expect(loadIdxDirectory(d).kind).toBe('single');
      await new Promise((done) => setImmediate(done)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', listener);
    }
    expect(warnings.filter((w) => w.startsWith(`idx:${d}:`))).toEqual([
      `idx:${d}: ${path.join(d, 'train-labels-idx1-ubyte.gz')} has no partner (train-images-idx3-ubyte is missing), so the train pair is ignored and the t10k pair is used alone as one set to split`,
    ]);
  });

  it('says nothing when the directory holds exactly one pair', async () => {
    const d = dir();
    write('t10k-images-idx3-ubyte', images(2), d);
    write('t10k-labels-idx1-ubyte', labels([1, 0]), d);
    const warnings: string[] = [];
    const listener = (w: Error) => warnings.push(w.message);
    process.on('warning', listener);
    loadIdxDirectory(d);
    await new Promise((done) => setImmediate(done));
    process.off('warning', listener);
    expect(warnings.filter((w) => w.startsWith(`idx:${d}:`))).toEqual([]);
  });

  it('errors listing the missing files when no pair is complete', () => {
    const d = dir();
    write('train-labels-idx1-ubyte', labels([1]), d);
    const e = dataError(() => loadIdxDirectory(d));
    expect(e.where).toBe(d);
    expect(e.message).toMatch(/no complete IDX images\+labels pair; missing train-images-idx3-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/);
    expect(dataError(() => loadIdxDirectory(path.join(d, 'absent'))).message).toMatch(/directory does not exist/);
  });

  it('propagates a malformed file as its own InputError', () => {
    const d = dir();
    const bad = images(3);
    bad[3] = 2;
    write('t10k-images-idx3-ubyte', bad, d);
    write('t10k-labels-idx1-ubyte', labels([1, 1, 0]), d);
    expect(dataError(() => loadIdxDirectory(d)).where).toBe(path.join(d, 't10k-images-idx3-ubyte'));
  });
});

// Sanity: the fixtures above really are what they claim (a broken helper would make the error tests vacuous).
describe('fixtures', () => {
  it('the helper writes the magic and dims big-endian', () => {
    const b = images(1, 2, 3);
    expect(Array.from(b.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
    expect(readFileSync(write('g', b)).length).toBe(22);
  });
});
