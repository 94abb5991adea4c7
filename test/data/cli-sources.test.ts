// Every data source through the CLI on a small budget, and bad --data values:
// exit code 2, a message naming the problem, no output directory.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { infoplane, repoRoot } from '../helpers/cli.ts';

const shared = resolve(repoRoot, '../shared/data');
const varU = join(shared, 'var_u.mat');
const haveMnist = existsSync(join(shared, 'mnist/t10k-images-idx3-ubyte.gz'));
const haveVarU = existsSync(varU);
if (!haveMnist || !haveVarU) console.warn(`skipping CLI runs on the real files in ${shared}: absent (see shared/data/README.md)`);

const tiny = ['--epochs', '1', '--hidden', '8,4', '--quiet'];
const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-data-cli-'));
const summaryData = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).data;

/** An IDX file: magic, big-endian dims, then the bytes. */
function idx(magic: number, dims: number[], data: ArrayLike<number>): Buffer {
  const buf = Buffer.alloc(4 + 4 * dims.length + data.length);
  buf.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  buf.set(Array.from(data), 4 + 4 * dims.length);
  return buf;
}
const images = (n: number) =>
  idx(
    0x803,
    [n, 3, 3],
    Array.from({ length: n * 9 }, (_, i) => (i * 53) % 256),
  );
const labels = (n: number, max = 10) =>
  idx(
    0x801,
    [n],
    Array.from({ length: n }, (_, i) => i % max),
  );

/** A directory with the four standard files (train raw, t10k gzipped), `edit` may spoil one. */
function idxDir(edit: (files: Record<string, Buffer>) => void = () => {}): string {
  const dir = tmp();
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte': images(60),
    'train-labels-idx1-ubyte': labels(60),
    't10k-images-idx3-ubyte.gz': gzipSync(images(30)),
    't10k-labels-idx1-ubyte.gz': gzipSync(labels(30)),
  };
  edit(files);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

describe('run --data', () => {
  it('idx:DIR with train and t10k pairs (raw and gz) uses the official split, all rows by default', () => {
    const out = join(tmp(), 'run');
    const r = infoplane(['run', '--data', `idx:${idxDir()}`, '--task', 'label', ...tiny, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(summaryData(out)).toMatchObject({ task: 'label', trainRows: 60, testRows: 30, features: 9, classes: 10 });
  });

  it.skipIf(!haveMnist)('idx:DIR with one pair (../shared/data/mnist: t10k only) is split by the seeded splitter (needs ../shared)', () => {
    const out = join(tmp(), 'run');
    const r = infoplane(['run', '--data', 'idx:../shared/data/mnist', '--train-size', '600', '--test-size', '300', ...tiny, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(summaryData(out)).toMatchObject({ source: 'idx:../shared/data/mnist', task: 'parity', trainRows: 600, testRows: 300, features: 784, classes: 2 });
  });

  it('mnist-full subsamples the official 60 000/10 000 split to the given sizes', () => {
    const out = join(tmp(), 'run');
    const r = infoplane(['run', '--data', 'mnist-full', '--task', 'lt5', '--train-size', '600', '--test-size', '300', ...tiny, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const data = summaryData(out);
    expect(data).toMatchObject({ source: 'mnist-full', task: 'lt5', trainRows: 600, testRows: 300, classes: 2 });
    expect(data.testMajorityRate).toBeCloseTo(154 / 300, 10); // 51.39% of the test digits are < 5
  });

  it.skipIf(!haveVarU)('mat:FILE trains on the binary labels, 80/20 stratified by default (needs ../shared)', () => {
    const out = join(tmp(), 'run');
    const r = infoplane(['run', '--data', `mat:${varU}`, ...tiny, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(summaryData(out)).toMatchObject({ task: 'label', trainRows: 3276, testRows: 820, features: 12, classes: 2 });
  });

  const rejected: [string, () => string[], RegExp][] = [
    ['an unknown kind', () => ['--data', 'csv:x.csv'], /spec\.data\.source: unknown data source "csv:x\.csv": expected mnist, mnist-full, idx:DIR or mat:FILE/],
    ['a missing directory', () => ['--data', 'idx:/nonexistent/fashion'], /idx:\/nonexistent\/fashion: directory \/nonexistent\/fashion does not exist/],
    ['a directory without IDX files', () => ['--data', `idx:${tmp()}`], /no complete IDX images\+labels pair; missing train-images-idx3-ubyte/],
    [
      'an IDX file with a bad magic',
      () => ['--data', `idx:${idxDir((f) => f['train-labels-idx1-ubyte'].writeUInt32BE(0x803, 0))}`],
      /train-labels-idx1-ubyte: wrong dimension count: magic 0x00000803/,
    ],
    [
      'a truncated IDX file',
      () => ['--data', `idx:${idxDir((f) => (f['t10k-images-idx3-ubyte.gz'] = gzipSync(images(30).subarray(0, 100))))}`],
      /t10k-images-idx3-ubyte\.gz: truncated: dimensions 30×3×3 need 270 data bytes, file has 84/,
    ],
    [
      'label count ≠ image count',
      () => ['--data', `idx:${idxDir((f) => (f['train-labels-idx1-ubyte'] = labels(59)))}`],
      /train-labels-idx1-ubyte: has 59 labels but .*train-images-idx3-ubyte has 60 images/,
    ],
    [
      'labels out of range',
      () => ['--data', `idx:${idxDir((f) => (f['train-labels-idx1-ubyte'] = labels(60, 11)))}`],
      /label 10 at index 10 is out of range: expected 0\.\.9/,
    ],
    [
      'a file that is not a MAT-file',
      () => {
        const file = join(tmp(), 'x.mat');
        writeFileSync(file, Buffer.alloc(200));
        return ['--data', `mat:${file}`];
      },
      /x\.mat: not a MATLAB 5 MAT-file/,
    ],
    ['a missing .mat file', () => ['--data', 'mat:/nonexistent/var_u.mat'], /mat:\/nonexistent\/var_u\.mat: file \/nonexistent\/var_u\.mat does not exist/],
    [
      'a binary task on the binary .mat set',
      () => ['--data', 'mat:x.mat', '--task', 'parity'],
      /spec\.data\.task: "parity" needs a multi-class data set; mat:x\.mat has binary labels/,
    ],
    ['a pair the set lacks', () => ['--data', `idx:${idxDir()}`, '--task', '3v12'], /task: 3v12: class 12 does not exist/],
    ['an unknown split', () => ['--split', 'random'], /spec\.data\.split: .*"random"/],
  ];
  it.each(rejected)('rejects %s with exit code 2, naming the problem, and no output', (_name, args, message) => {
    const dir = tmp();
    mkdirSync(join(dir, 'parent'));
    const out = join(dir, 'parent', 'never');
    const r = infoplane(['run', ...args(), ...tiny, '--out', out]);
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
