// Every sparse N-API entry point re-checks its arguments like the dense ones
// (test/backend/validation.test.ts): count, typed-array kind, length ≥ what
// the dims need, integer dims in range; and, beyond a single argument, the
// sparse structure itself: row pointers that start at 0 and never decrease,
// indices inside their dimension, outputs that do not alias inputs. Each bad
// call throws a TypeError or RangeError whose message starts
// `<function>: <argument>`, writes nothing, and leaves the addon working.
import { describe, expect, it } from 'vitest';
import type { NativeAddon } from '../../src/backend/native/addon.ts';
import { bitDifference } from '../helpers/floats.ts';
import { addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';
import { SPARSE_CALLS as ENTRIES, f32, type NativeCall as Entry, type Param } from '../helpers/native-calls.ts';

restoreNativeSettingsAfterEach();

// A 3×4 CSR with 5 entries (row 1 empty) and its CSC; a 2-sample batch over 4 features.
const [n, ROWS, COLS] = [2, 3, 4];
const ptr = () => Int32Array.from([0, 2, 2, 5]);
const idx = () => Int32Array.from([0, 3, 1, 2, 3]);
const [B, IN, _OUT, _LD] = [2, 4, 3, 5];

type ErrorClass = typeof TypeError | typeof RangeError;
interface BadValue {
  label: string;
  value: unknown;
  error: ErrorClass;
  message: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function badValues(param: Param, value: unknown, fn: string): BadValue[] {
  const named = (rest: string) => new RegExp(`^${escape(fn)}: ${escape(param.name)} ${rest}`);
  const typeError = (label: string, v: unknown, rest = 'must be a'): BadValue => ({ label, value: v, error: TypeError, message: named(rest) });
  const rangeError = (label: string, v: unknown, rest: string): BadValue => ({ label, value: v, error: RangeError, message: named(rest) });
  switch (param.kind) {
    case 'f32':
    case 'f32?': {
      const a = value as Float32Array;
      // Source arrays of gather/scatter are read at their indices only: no length to fall short of.
      const lengthChecked = !(fn === 'gatherValues' && param.name === 'src') && !(fn === 'scatterValues' && param.name === 'dst');
      return [
        typeError('Float64Array', new Float64Array(a.length)),
        typeError('Int32Array', new Int32Array(a.length)),
        typeError('plain array', Array.from(a)),
        ...(param.kind === 'f32' ? [typeError('null', null)] : []),
        ...(lengthChecked ? [rangeError('one element short', a.subarray(0, a.length - 1), `has ${a.length - 1} elements, needs ${a.length}`)] : []),
      ];
    }
    case 'i32':
    case 'i32?': {
      const a = value as Int32Array;
      return [
        typeError('Float32Array', new Float32Array(a.length)),
        typeError('Uint32Array', new Uint32Array(a.length)),
        ...(param.kind === 'i32' ? [typeError('undefined', undefined)] : []),
        ...(a.length > 0 ? [rangeError('one element short', a.subarray(0, a.length - 1), `has ${a.length - 1} elements, needs ${a.length}`)] : []),
      ];
    }
    case 'dim0':
    case 'dim1':
    case 'stride': {
      const min = param.kind === 'stride' ? param.min! : Number(param.kind.slice(3));
      return [
        ...[min - 1, 1.5, 2 ** 31, NaN].map((v) => rangeError(String(v), v, Number.isNaN(v) ? 'must be finite' : 'must be an integer in \\[')),
        typeError('string', '2', 'must be a number'),
      ];
    }
    case 'prob':
    case 'nonneg': {
      const notFinite = [NaN, Infinity].map((v) => rangeError(String(v), v, 'must be finite'));
      const outside =
        param.kind === 'prob' ? [1, -0.1].map((v) => rangeError(String(v), v, 'must be in \\[0, 1\\)')) : [rangeError('-1e-3', -1e-3, 'must be >= 0')];
      return [...notFinite, ...outside, typeError('string', '0.5', 'must be a number')];
    }
    default:
      throw new Error(`no bad values for kind ${param.kind}`);
  }
}

interface BadCall {
  label: string;
  args: unknown[];
  error: ErrorClass;
  message: RegExp;
}

function badCalls(entry: Entry): BadCall[] {
  const valid = entry.valid();
  const count = new RegExp(`^${escape(entry.fn)}: expected ${valid.length} arguments, got `);
  const calls: BadCall[] = [
    { label: 'one argument too few', args: valid.slice(0, -1), error: TypeError, message: count },
    { label: 'one argument too many', args: [...valid, 0], error: TypeError, message: count },
  ];
  entry.params.forEach((param, k) => {
    for (const bad of badValues(param, valid[k], entry.fn)) {
      const args = entry.valid();
      args[k] = bad.value;
      calls.push({ label: `${param.name} = ${bad.label}`, args, error: bad.error, message: bad.message });
    }
  });
  return calls;
}

function snapshot(args: unknown[]): (Float32Array | Int32Array)[] {
  return args.filter((a): a is Float32Array | Int32Array => a instanceof Float32Array || a instanceof Int32Array).map((a) => a.slice());
}

function expectRejected(fn: keyof NativeAddon, args: unknown[], error: ErrorClass, message: RegExp): void {
  const before = snapshot(args);
  let thrown: unknown;
  try {
    (addon[fn] as (...a: unknown[]) => unknown)(...args);
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'no exception').toBeInstanceOf(error);
  expect((thrown as Error).message).toMatch(message);
  snapshot(args).forEach((a, i) =>
    expect(
      bitDifference(new Float32Array(a.buffer, a.byteOffset, a.length), new Float32Array(before[i].buffer, 0, before[i].length)),
      `buffer ${i} was written`,
    ).toBeUndefined(),
  );
}

describe.each(ENTRIES.map((e) => [e.fn, e] as const))('%s rejects bad arguments', (fn, entry) => {
  it.each(badCalls(entry).map((c) => ({ ...c, name: `${fn}(${c.label}) throws ${c.error.name}` })))('$name', ({ args, error, message }) => {
    expectRejected(fn, args, error, message);
  });

  it(`${fn}(valid arguments) succeeds`, () => {
    expect(() => (addon[fn] as (...a: unknown[]) => unknown)(...entry.valid())).not.toThrow();
  });
});

describe('sparse structures are checked before any kernel runs', () => {
  const args = (fn: keyof NativeAddon, change: (a: unknown[]) => void): unknown[] => {
    const a = ENTRIES.find((e) => e.fn === fn)!.valid();
    change(a);
    return a;
  };

  it.each([
    ['csrMatmul', 2, Int32Array.from([1, 2, 2, 5]), /^csrMatmul: ptr\[0\] must be 0, got 1$/],
    ['csrMatmul', 2, Int32Array.from([0, 3, 2, 5]), /^csrMatmul: ptr must be non-decreasing: ptr\[2\] = 2 < ptr\[1\] = 3$/],
    ['csrMatmul', 3, Int32Array.from([0, 3, 1, 2, 4]), /^csrMatmul: idx\[4\] = 4 is outside \[0, 4\)$/],
    ['csrMatmul', 3, Int32Array.from([0, -1, 1, 2, 3]), /^csrMatmul: idx\[1\] = -1 is outside \[0, 4\)$/],
    ['csrWeightGradient', 4, Int32Array.from([0, 3, 1, 2, 9]), /^csrWeightGradient: idx\[4\] = 9 is outside \[0, 4\)$/],
    ['inputSparseForward', 2, Int32Array.from([1, 3, 4]), /^inputSparseForward: idx\[2\] = 4 is outside \[0, 4\)$/],
    ['inputSparseForwardTiled', 2, Int32Array.from([1, 3, 4]), /^inputSparseForwardTiled: idx\[2\] = 4 is outside \[0, 4\)$/],
    ['inputSparseForwardTiled', 1, Int32Array.from([0, 3, 2]), /^inputSparseForwardTiled: ptr must be non-decreasing/],
    ['inputSparseWeightGradient', 2, Int32Array.from([1, 0, 2]), /^inputSparseWeightGradient: rowIdx\[2\] = 2 is outside \[0, 2\)$/],
    ['inputSparseWeightGradient', 1, Int32Array.from([0, 2, 1, 2, 3]), /^inputSparseWeightGradient: colPtr must be non-decreasing/],
    ['inputSparseAdamStep', 7, Int32Array.from([1, 0, 2]), /^inputSparseAdamStep: rowIdx\[2\] = 2 is outside \[0, 2\)$/],
    ['inputSparseSgdStep', 5, Int32Array.from([0, 2, 1, 2, 3]), /^inputSparseSgdStep: colPtr must be non-decreasing/],
    ['inputSparseAdamStep', 3, Int32Array.from([0, 2, 1, 3, 5]), /^inputSparseAdamStep: keptPtr must be non-decreasing: keptPtr\[2\] = 1 < keptPtr\[1\] = 2$/],
    ['inputSparseAdamStep', 4, Int32Array.from([0, 2, 1, 0, 3]), /^inputSparseAdamStep: keptIdx\[4\] = 3 is outside \[0, 3\)$/],
    [
      'inputSparseSgdStep',
      3,
      Int32Array.from([0, 2, 1, 2, 2]),
      /^inputSparseSgdStep: keptIdx must be ascending within each feature: keptIdx\[4\] = 2 <= keptIdx\[3\] = 2$/,
    ],
    [
      'inputSparseSgdStep',
      3,
      Int32Array.from([2, 0, 1, 0, 2]),
      /^inputSparseSgdStep: keptIdx must be ascending within each feature: keptIdx\[1\] = 0 <= keptIdx\[0\] = 2$/,
    ],
    ['gatherValues', 2, Int32Array.from([10, 0, 4]), /^gatherValues: idx\[0\] = 10 is outside \[0, 10\)$/],
    ['scatterValues', 1, Int32Array.from([9, 0, 10]), /^scatterValues: idx\[2\] = 10 is outside \[0, 10\)$/],
  ] as [keyof NativeAddon, number, Int32Array, RegExp][])('%s with argument %i = %o is a RangeError', (fn, k, value, message) => {
    expectRejected(
      fn,
      args(fn, (a) => (a[k] = value)),
      RangeError,
      message,
    );
  });

  it('val and idx must hold ptr[ROWS] entries', () => {
    expectRejected(
      'csrMatmul',
      args('csrMatmul', (a) => (a[3] = Int32Array.from([0, 3, 1, 2]))),
      RangeError,
      /^csrMatmul: idx has 4 elements, needs 5$/,
    );
    expectRejected(
      'csrMatmul',
      args('csrMatmul', (a) => (a[4] = f32(4))),
      RangeError,
      /^csrMatmul: val has 4 elements, needs 5$/,
    );
    expectRejected(
      'csrWeightGradient',
      args('csrWeightGradient', (a) => (a[0] = f32(4))),
      RangeError,
      /^csrWeightGradient: g has 4 elements, needs 5$/,
    );
  });

  it('outputs may not alias inputs', () => {
    const shared = f32(64);
    expectRejected(
      'csrMatmul',
      args('csrMatmul', (a) => {
        a[0] = shared.subarray(0, 6);
        a[1] = shared.subarray(4, 12);
      }),
      RangeError,
      /^csrMatmul: outT and xT must not share memory$/,
    );
    expectRejected(
      'transposeStrided',
      args('transposeStrided', (a) => {
        a[0] = shared.subarray(0, 8);
        a[1] = shared.subarray(0, 6);
      }),
      RangeError,
      /^transposeStrided: out and in must not share memory$/,
    );
    expectRejected(
      'inputSparseWeightGradient',
      args('inputSparseWeightGradient', (a) => {
        a[0] = shared.subarray(0, 12);
        a[4] = shared.subarray(8, 16);
      }),
      RangeError,
      /^inputSparseWeightGradient: dW and dyRows must not share memory$/,
    );
  });

  it('the fused steps check their optimizer scalars and state like adamStep and sgdStep', () => {
    expectRejected(
      'inputSparseAdamStep',
      args('inputSparseAdamStep', (a) => (a[16] = 1)),
      RangeError,
      /^inputSparseAdamStep: beta1 must be in \[0, 1\), got 1/,
    );
    expectRejected(
      'inputSparseAdamStep',
      args('inputSparseAdamStep', (a) => (a[19] = 0)),
      RangeError,
      /^inputSparseAdamStep: step must be an integer in \[1,/,
    );
    expectRejected(
      'inputSparseAdamStep',
      args('inputSparseAdamStep', (a) => (a[1] = a[0])),
      RangeError,
      /^inputSparseAdamStep: Wt and m must not share memory$/,
    );
    expectRejected(
      'inputSparseSgdStep',
      args('inputSparseSgdStep', (a) => (a[1] = null)),
      RangeError,
      /^inputSparseSgdStep: velocity is required when momentum > 0$/,
    );
    expectRejected(
      'inputSparseSgdStep',
      args('inputSparseSgdStep', (a) => (a[14] = -1)),
      RangeError,
      /^inputSparseSgdStep: lr must be >= 0/,
    );
  });

  it('the fused steps take kept lists as a pair, and their state follows the layout', () => {
    expectRejected(
      'inputSparseSgdStep',
      args('inputSparseSgdStep', (a) => (a[2] = null)),
      RangeError,
      /^inputSparseSgdStep: keptIdx must be null when keptPtr is null$/,
    );
    // Without kept lists m is laid out like Wt, [IN, ldW]: the compact length no longer does.
    expectRejected(
      'inputSparseAdamStep',
      args('inputSparseAdamStep', (a) => {
        a[3] = null;
        a[4] = null;
      }),
      RangeError,
      /^inputSparseAdamStep: m has 5 elements, needs 18$/,
    );
    expectRejected(
      'inputSparseAdamStep',
      args('inputSparseAdamStep', (a) => (a[4] = a[1] as Int32Array)),
      TypeError,
      /^inputSparseAdamStep: keptIdx must be an Int32Array/,
    );
  });

  it('sparsifyRows: rowIdx and colVal must be null without colPtr, and B·IN must fit 31 bits', () => {
    expectRejected(
      'sparsifyRows',
      args('sparsifyRows', (a) => (a[3] = null)),
      RangeError,
      /^sparsifyRows: rowIdx and colVal must be null when colPtr is null$/,
    );
    expect(addon.sparsifyRows(new Int32Array(B + 1), new Int32Array(B * IN), new Float32Array(B * IN), null, null, null, f32(B * IN), B, IN)).toBe(7);
    expectRejected(
      'sparsifyRows',
      args('sparsifyRows', (a) => {
        a[7] = 2 ** 16;
        a[8] = 2 ** 16;
      }),
      RangeError,
      /^sparsifyRows: B·IN must be < 2\^31/,
    );
  });
});

it('after every rejected call the sparse kernels still compute correctly', () => {
  for (const entry of ENTRIES) for (const c of badCalls(entry)) expect(() => (addon[entry.fn] as (...a: unknown[]) => unknown)(...c.args)).toThrow();
  // outT = M·xT for the 3×4 CSR above, values in quarters (exact).
  const [out, xT, val] = [new Float32Array(ROWS * n), f32(COLS * n), f32(5)];
  addon.csrMatmul(out, xT, ptr(), idx(), val, null, n, ROWS, COLS);
  const expected = new Float32Array(ROWS * n);
  const [P, I] = [ptr(), idx()];
  for (let r = 0; r < ROWS; r++) for (let s = 0; s < n; s++) for (let k = P[r]; k < P[r + 1]; k++) expected[r * n + s] += val[k] * xT[I[k] * n + s];
  expect(Array.from(out)).toEqual(Array.from(expected));
});
