// Valid calls of every N-API export, with each argument's name and the kind of
// check it gets: the tables the validation tests vary one argument at a time
// and the fuzz mutates at random.
import { tiledLength } from '../../src/backend/kernels.ts';
import type { NativeAddon } from '../../src/backend/native/addon.ts';
import type { NativeMiAddon } from '../../src/backend/native/mi.ts';

export type Kind =
  | 'f32'
  | 'f32?'
  | 'i32'
  | 'i32?'
  | 'dim0'
  | 'dim1'
  | 'dim2'
  | 'stride'
  | 'prob'
  | 'nonneg'
  | 'string'
  | 'number?'
  | 'number'
  | 'layers'
  | 'typed';
export interface Param {
  name: string;
  kind: Kind;
  min?: number;
}
export interface NativeCall<F extends string = keyof NativeAddon> {
  fn: F;
  params: Param[];
  valid: () => unknown[];
}

export const f32 = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 7) * 0.25 - 0.5);
const p = (name: string, kind: Kind, min?: number): Param => ({ name, kind, min });

// Dense: a batch of 2, 3 inputs, 4 outputs, 3 classes, 5-element optimizer buffers.
const D = { B: 2, IN: 3, OUT: 4, C: 3, N: 5 };

export const DENSE_CALLS: NativeCall[] = [
  {
    fn: 'linearForward',
    params: [p('outT', 'f32'), p('xT', 'f32'), p('W', 'f32'), p('b', 'f32'), p('B', 'dim1'), p('IN', 'dim1'), p('OUT', 'dim1')],
    valid: () => [f32(D.OUT * D.B), f32(D.IN * D.B), f32(D.OUT * D.IN), f32(D.OUT), D.B, D.IN, D.OUT],
  },
  {
    fn: 'linearBackwardInput',
    params: [p('dxT', 'f32'), p('dyT', 'f32'), p('W', 'f32'), p('B', 'dim1'), p('IN', 'dim1'), p('OUT', 'dim1')],
    valid: () => [f32(D.IN * D.B), f32(D.OUT * D.B), f32(D.OUT * D.IN), D.B, D.IN, D.OUT],
  },
  {
    fn: 'linearBackwardWeight',
    params: [p('dW', 'f32'), p('db', 'f32'), p('dyT', 'f32'), p('x', 'f32'), p('B', 'dim1'), p('IN', 'dim1'), p('OUT', 'dim1')],
    valid: () => [f32(D.OUT * D.IN), f32(D.OUT), f32(D.OUT * D.B), f32(D.B * D.IN), D.B, D.IN, D.OUT],
  },
  {
    fn: 'activationForward',
    params: [p('activation', 'string'), p('y', 'f32'), p('x', 'f32'), p('n', 'dim0')],
    valid: () => ['tanh', f32(D.N), f32(D.N), D.N],
  },
  {
    fn: 'activationBackward',
    params: [p('activation', 'string'), p('dx', 'f32'), p('dy', 'f32'), p('y', 'f32'), p('n', 'dim0')],
    valid: () => ['relu', f32(D.N), f32(D.N), f32(D.N), D.N],
  },
  {
    fn: 'softmaxCrossEntropy',
    params: [p('dlogitsT', 'f32'), p('logitsT', 'f32'), p('labels', 'i32'), p('B', 'dim1'), p('C', 'dim2')],
    valid: () => [f32(D.C * D.B), f32(D.C * D.B), Int32Array.from([2, 0]), D.B, D.C],
  },
  {
    fn: 'transpose',
    params: [p('out', 'f32'), p('in', 'f32'), p('rows', 'dim1'), p('cols', 'dim1')],
    valid: () => [f32(D.B * D.IN), f32(D.B * D.IN), D.B, D.IN],
  },
  {
    fn: 'adamStep',
    params: [
      p('w', 'f32'),
      p('g', 'f32'),
      p('m', 'f32'),
      p('v', 'f32'),
      p('mask', 'f32?'),
      p('n', 'dim0'),
      p('lr', 'nonneg'),
      p('beta1', 'prob'),
      p('beta2', 'prob'),
      p('eps', 'nonneg'),
      p('step', 'dim1'),
    ],
    valid: () => [f32(D.N), f32(D.N), f32(D.N), f32(D.N).map(Math.abs), Float32Array.from([1, 0, 1, 1, 0]), D.N, 1e-3, 0.9, 0.999, 1e-8, 1],
  },
  {
    fn: 'sgdStep',
    params: [p('w', 'f32'), p('g', 'f32'), p('velocity', 'f32?'), p('mask', 'f32?'), p('n', 'dim0'), p('lr', 'nonneg'), p('momentum', 'prob')],
    valid: () => [f32(D.N), f32(D.N), f32(D.N), Float32Array.from([1, 0, 1, 1, 0]), D.N, 0.1, 0.9],
  },
  { fn: 'setVariant', params: [p('variant', 'string')], valid: () => ['scalar'] },
  { fn: 'setThreads', params: [p('threads', 'dim1')], valid: () => [1] },
  { fn: 'features', params: [], valid: () => [] },
];

// Sparse: a 3×4 CSR with 5 entries (row 1 empty) and its CSC; a 2-sample batch over 4 features.
const S = {
  n: 2,
  ROWS: 3,
  COLS: 4,
  B: 2,
  IN: 4,
  OUT: 3,
  LD: 5,
  ptr: () => Int32Array.from([0, 2, 2, 5]),
  idx: () => Int32Array.from([0, 3, 1, 2, 3]),
  // The fused steps' kept lists: per feature, ascending outputs < OUT (feature 1 fully pruned), 5 in all.
  KEPT: 5,
  keptPtr: () => Int32Array.from([0, 2, 2, 3, 5]),
  keptIdx: () => Int32Array.from([0, 2, 1, 0, 2]),
};

export const SPARSE_CALLS: NativeCall[] = [
  {
    fn: 'csrMatmul',
    params: [
      p('outT', 'f32'),
      p('xT', 'f32'),
      p('ptr', 'i32'),
      p('idx', 'i32'),
      p('val', 'f32'),
      p('bias', 'f32?'),
      p('n', 'dim1'),
      p('ROWS', 'dim1'),
      p('COLS', 'dim1'),
    ],
    valid: () => [f32(S.ROWS * S.n), f32(S.COLS * S.n), S.ptr(), S.idx(), f32(5), f32(S.ROWS), S.n, S.ROWS, S.COLS],
  },
  {
    fn: 'csrWeightGradient',
    params: [p('g', 'f32'), p('dyT', 'f32'), p('xT', 'f32'), p('ptr', 'i32'), p('idx', 'i32'), p('n', 'dim1'), p('ROWS', 'dim1'), p('COLS', 'dim1')],
    valid: () => [f32(5), f32(S.ROWS * S.n), f32(S.COLS * S.n), S.ptr(), S.idx(), S.n, S.ROWS, S.COLS],
  },
  {
    fn: 'sparsifyRows',
    params: [
      p('ptr', 'i32'),
      p('idx', 'i32'),
      p('val', 'f32'),
      p('colPtr', 'i32?'),
      p('rowIdx', 'i32'),
      p('colVal', 'f32'),
      p('x', 'f32'),
      p('B', 'dim1'),
      p('IN', 'dim1'),
    ],
    valid: () => [
      new Int32Array(S.B + 1),
      new Int32Array(S.B * S.IN),
      new Float32Array(S.B * S.IN),
      new Int32Array(S.IN + 1),
      new Int32Array(S.B * S.IN),
      new Float32Array(S.B * S.IN),
      f32(S.B * S.IN),
      S.B,
      S.IN,
    ],
  },
  {
    fn: 'inputSparseForward',
    params: [
      p('outRows', 'f32'),
      p('ptr', 'i32'),
      p('idx', 'i32'),
      p('val', 'f32'),
      p('Wt', 'f32'),
      p('b', 'f32'),
      p('B', 'dim1'),
      p('IN', 'dim1'),
      p('OUT', 'dim1'),
      p('ldW', 'stride', S.OUT),
    ],
    // Sample 0: features 1, 3; sample 1: feature 0.
    valid: () => [
      f32(S.B * S.OUT),
      Int32Array.from([0, 2, 3]),
      Int32Array.from([1, 3, 0]),
      f32(3),
      f32((S.IN - 1) * S.LD + S.OUT),
      f32(S.OUT),
      S.B,
      S.IN,
      S.OUT,
      S.LD,
    ],
  },
  {
    fn: 'inputSparseForwardTiled',
    params: [
      p('outRows', 'f32'),
      p('ptr', 'i32'),
      p('idx', 'i32'),
      p('val', 'f32'),
      p('tiles', 'f32'),
      p('b', 'f32'),
      p('B', 'dim1'),
      p('IN', 'dim1'),
      p('OUT', 'dim1'),
    ],
    valid: () => [
      f32(S.B * S.OUT),
      Int32Array.from([0, 2, 3]),
      Int32Array.from([1, 3, 0]),
      f32(3),
      f32(tiledLength(S.IN, S.OUT)),
      f32(S.OUT),
      S.B,
      S.IN,
      S.OUT,
    ],
  },
  {
    fn: 'inputSparseTile',
    params: [p('tiles', 'f32'), p('Wt', 'f32'), p('IN', 'dim1'), p('OUT', 'dim1'), p('ldW', 'stride', S.OUT)],
    valid: () => [f32(tiledLength(S.IN, S.OUT)), f32((S.IN - 1) * S.LD + S.OUT), S.IN, S.OUT, S.LD],
  },
  {
    fn: 'inputSparseWeightGradient',
    params: [
      p('dW', 'f32'),
      p('colPtr', 'i32'),
      p('rowIdx', 'i32'),
      p('colVal', 'f32'),
      p('dyRows', 'f32'),
      p('B', 'dim1'),
      p('IN', 'dim1'),
      p('OUT', 'dim1'),
      p('ldDy', 'stride', S.OUT),
    ],
    valid: () => [
      f32(S.OUT * S.IN),
      Int32Array.from([0, 1, 2, 2, 3]),
      Int32Array.from([1, 0, 0]),
      f32(3),
      f32((S.B - 1) * S.LD + S.OUT),
      S.B,
      S.IN,
      S.OUT,
      S.LD,
    ],
  },
  {
    fn: 'inputSparseAdamStep',
    params: [
      p('Wt', 'f32'),
      p('m', 'f32'),
      p('v', 'f32'),
      p('keptPtr', 'i32?'),
      p('keptIdx', 'i32?'),
      p('touched', 'i32'),
      p('colPtr', 'i32'),
      p('rowIdx', 'i32'),
      p('colVal', 'f32'),
      p('dyRows', 'f32'),
      p('B', 'dim1'),
      p('IN', 'dim1'),
      p('OUT', 'dim1'),
      p('ldW', 'stride', S.OUT),
      p('ldDy', 'stride', S.OUT),
      p('lr', 'nonneg'),
      p('beta1', 'prob'),
      p('beta2', 'prob'),
      p('eps', 'nonneg'),
      p('step', 'dim1'),
    ],
    valid: () => [
      f32((S.IN - 1) * S.LD + S.OUT),
      f32(S.KEPT),
      f32(S.KEPT),
      S.keptPtr(),
      S.keptIdx(),
      new Int32Array(S.IN),
      Int32Array.from([0, 1, 2, 2, 3]),
      Int32Array.from([1, 0, 0]),
      f32(3),
      f32((S.B - 1) * S.LD + S.OUT),
      S.B,
      S.IN,
      S.OUT,
      S.LD,
      S.LD,
      1e-3,
      0.9,
      0.999,
      1e-8,
      1,
    ],
  },
  {
    fn: 'inputSparseSgdStep',
    params: [
      p('Wt', 'f32'),
      p('velocity', 'f32?'),
      p('keptPtr', 'i32?'),
      p('keptIdx', 'i32?'),
      p('touched', 'i32'),
      p('colPtr', 'i32'),
      p('rowIdx', 'i32'),
      p('colVal', 'f32'),
      p('dyRows', 'f32'),
      p('B', 'dim1'),
      p('IN', 'dim1'),
      p('OUT', 'dim1'),
      p('ldW', 'stride', S.OUT),
      p('ldDy', 'stride', S.OUT),
      p('lr', 'nonneg'),
      p('momentum', 'prob'),
    ],
    valid: () => [
      f32((S.IN - 1) * S.LD + S.OUT),
      f32(S.KEPT),
      S.keptPtr(),
      S.keptIdx(),
      new Int32Array(S.IN),
      Int32Array.from([0, 1, 2, 2, 3]),
      Int32Array.from([1, 0, 0]),
      f32(3),
      f32((S.B - 1) * S.LD + S.OUT),
      S.B,
      S.IN,
      S.OUT,
      S.LD,
      S.LD,
      0.05,
      0.9,
    ],
  },
  {
    fn: 'transposeStrided',
    params: [p('out', 'f32'), p('in', 'f32'), p('rows', 'dim1'), p('cols', 'dim1'), p('ldOut', 'stride', S.OUT)],
    valid: () => [f32((S.B - 1) * S.LD + S.OUT), f32(S.OUT * S.B), S.OUT, S.B, S.LD],
  },
  {
    fn: 'biasGradient',
    params: [p('db', 'f32'), p('dyT', 'f32'), p('B', 'dim1'), p('OUT', 'dim1')],
    valid: () => [f32(S.OUT), f32(S.OUT * S.B), S.B, S.OUT],
  },
  {
    fn: 'gatherValues',
    params: [p('dst', 'f32'), p('src', 'f32'), p('idx', 'i32'), p('n', 'dim0')],
    valid: () => [f32(3), f32(10), Int32Array.from([9, 0, 4]), 3],
  },
  {
    fn: 'scatterValues',
    params: [p('dst', 'f32'), p('idx', 'i32'), p('src', 'f32'), p('n', 'dim0')],
    valid: () => [f32(10), Int32Array.from([9, 0, 4]), f32(3), 3],
  },
];

// MI: 4 rows of a 2-unit layer, 2 classes.
const M = { n: 4, width: 2 };
const binning = [p('scheme', 'string'), p('bins', 'number'), p('lo', 'number?'), p('hi', 'number?'), p('binWidth', 'number')];
const activations = () => Float32Array.of(-0.5, 0.5, 0.1, 0.2, 0.9, -0.9, 0, 0);

export const MI_CALLS: NativeCall<keyof NativeMiAddon>[] = [
  {
    fn: 'miBinCodes',
    params: [p('codes', 'i32'), p('activations', 'f32'), p('n', 'dim1'), p('width', 'dim1'), ...binning],
    valid: () => [new Int32Array(M.n * M.width), activations(), M.n, M.width, 'fixed', 30, -1, 1, 0],
  },
  {
    fn: 'miRowSymbols',
    params: [p('ids', 'i32'), p('activations', 'f32'), p('n', 'dim1'), p('width', 'dim1'), ...binning, p('hashMode', 'string')],
    valid: () => [new Int32Array(M.n), activations(), M.n, M.width, 'adaptive', 8, null, null, 0, 'normal'],
  },
  {
    fn: 'miInformationPlane',
    params: [p('layers', 'layers'), p('labels', 'i32'), p('n', 'dim1'), p('classes', 'dim1'), ...binning, p('xSymbols', 'i32?'), p('hashMode', 'string')],
    valid: () => [
      [{ activations: activations(), width: M.width }],
      Int32Array.of(0, 1, 0, 1),
      M.n,
      2,
      'fixed',
      30,
      -1,
      1,
      0,
      Int32Array.of(0, 1, 2, 1),
      'normal',
    ],
  },
];

/** Every export, byteOffsetMod64 (any typed array) included. */
export const ALL_CALLS: NativeCall<string>[] = [
  ...DENSE_CALLS,
  ...SPARSE_CALLS,
  ...MI_CALLS,
  { fn: 'byteOffsetMod64', params: [p('array', 'typed')], valid: () => [f32(5).subarray(1)] },
  {
    fn: 'ksgCounts',
    params: [p('countX', 'i32'), p('countY', 'i32'), p('x', 'f32'), p('dx', 'dim1'), p('y', 'f32'), p('dy', 'dim1'), p('n', 'dim1'), p('k', 'dim1')],
    valid: () => [new Int32Array(6), new Int32Array(6), f32(12), 2, f32(6), 1, 6, 2],
  },
  {
    fn: 'ksgClassCounts',
    params: [p('countX', 'i32'), p('x', 'f32'), p('dx', 'dim1'), p('labels', 'i32'), p('classes', 'dim1'), p('n', 'dim1'), p('k', 'dim1')],
    valid: () => [new Int32Array(6), f32(12), 2, Int32Array.of(0, 1, 0, 1, 0, 1), 2, 6, 1],
  },
];
