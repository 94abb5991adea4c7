// Every native entry point re-checks its arguments (sharp's habit): count,
// typed-array kind, length ≥ product of dims, integer dims in range, finite
// numbers, labels, activation names, optimizer hyperparameters. Each bad call
// throws a TypeError (wrong count or type) or RangeError (a bad value) whose
// message starts `<function>: <argument>`, writes nothing, and leaves the
// process working. Cases are generated from one table of valid calls.
import { describe, expect, it } from 'vitest';
import { referenceKernels as ref } from '../../src/backend/reference/dense.ts';
import { bitDifference } from '../helpers/floats.ts';
import { addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';
import { DENSE_CALLS as ENTRIES, f32, type NativeCall as Entry, type Param } from '../helpers/native-calls.ts';

restoreNativeSettingsAfterEach();

const [B, IN, OUT, C, N] = [2, 3, 4, 3, 5];

type ErrorClass = typeof TypeError | typeof RangeError;
interface BadCall {
  label: string;
  args: unknown[];
  error: ErrorClass;
  message: RegExp;
}
interface BadValue {
  label: string;
  value: unknown;
  error: ErrorClass;
  message: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every invalid variation of one argument of a valid call. */
function badValues(param: Param, value: unknown, fn: string): BadValue[] {
  const named = (rest: string) => new RegExp(`^${escape(fn)}: ${escape(param.name)} ${rest}`);
  const typeError = (label: string, v: unknown, rest = 'must be a'): BadValue => ({ label, value: v, error: TypeError, message: named(rest) });
  const rangeError = (label: string, v: unknown, rest: string): BadValue => ({ label, value: v, error: RangeError, message: named(rest) });
  const notFinite = [NaN, Infinity, -Infinity].map((v) => rangeError(String(v), v, 'must be finite'));
  switch (param.kind) {
    case 'f32':
    case 'f32?': {
      const a = value as Float32Array;
      return [
        typeError('Float64Array', new Float64Array(a.length)),
        typeError('plain array', Array.from(a)),
        typeError('Int32Array', new Int32Array(a.length)),
        typeError('Uint8Array over the same bytes', new Uint8Array(a.buffer)),
        typeError('a number', 0),
        ...(param.kind === 'f32' ? [typeError('null', null)] : []),
        rangeError('one element short', a.subarray(0, a.length - 1), `has ${a.length - 1} elements, needs ${a.length}`),
      ];
    }
    case 'i32': {
      const a = value as Int32Array;
      return [
        typeError('Float32Array', new Float32Array(a.length)),
        typeError('plain array', Array.from(a)),
        typeError('Uint32Array', new Uint32Array(a.length)),
        rangeError('one element short', a.subarray(0, a.length - 1), `has ${a.length - 1} elements, needs ${a.length}`),
      ];
    }
    case 'dim0':
    case 'dim1':
    case 'dim2': {
      const min = Number(param.kind.slice(3));
      const bad = [min - 1, -1, 1.5, 2 ** 31, 2 ** 53, 1e300].filter((v, i, all) => all.indexOf(v) === i);
      return [
        ...bad.map((v) => rangeError(String(v), v, 'must be an integer in \\[')),
        ...notFinite,
        typeError('string', '2', 'must be a number'),
        typeError('undefined', undefined, 'must be a number'),
      ];
    }
    case 'prob':
      return [...notFinite, ...[1, -0.1, 1.5].map((v) => rangeError(String(v), v, 'must be in \\[0, 1\\)')), typeError('string', '0.9', 'must be a number')];
    case 'nonneg':
      return [...notFinite, rangeError('-1e-3', -1e-3, 'must be >= 0'), typeError('string', '0.1', 'must be a number')];
    case 'string':
      return [
        typeError('number', 3, 'must be a string'),
        typeError('null', null, 'must be a string'),
        fn === 'setVariant'
          ? { label: 'unknown name', value: 'avx1024', error: RangeError, message: /^setVariant: variant "avx1024" is unknown or not supported/ }
          : rangeError('unknown name', 'sigmoid', 'must be tanh, relu or linear, got "sigmoid"'),
      ];
    default:
      throw new Error(`no bad values for kind ${param.kind}`);
  }
}

function badCalls(entry: Entry): BadCall[] {
  const valid = entry.valid();
  const count = new RegExp(`^${escape(entry.fn)}: expected ${valid.length} arguments, got `);
  const calls: BadCall[] = [
    { label: 'one argument too few', args: valid.slice(0, -1), error: TypeError, message: count },
    { label: 'one argument too many', args: [...valid, 0], error: TypeError, message: count },
  ];
  if (valid.length === 0) calls.shift();
  entry.params.forEach((param, k) => {
    for (const bad of badValues(param, valid[k], entry.fn)) {
      const args = entry.valid();
      args[k] = bad.value;
      calls.push({ label: `${param.name} = ${bad.label}`, args, error: bad.error, message: bad.message });
    }
  });
  return calls;
}

/** The call's Float32Array outputs (and everything else) before the call, to show nothing was written. */
function snapshot(args: unknown[]): Float32Array[] {
  return args.filter((a): a is Float32Array => a instanceof Float32Array).map((a) => a.slice());
}

describe.each(ENTRIES.map((e) => [e.fn, e] as const))('%s rejects bad arguments', (fn, entry) => {
  it.each(badCalls(entry).map((c) => ({ ...c, name: `${fn}(${c.label}) throws ${c.error.name}` })))('$name', ({ args, error, message }) => {
    const before = snapshot(args);
    const call = () => (addon[fn] as (...a: unknown[]) => unknown)(...args);
    let thrown: unknown;
    try {
      call();
    } catch (err) {
      thrown = err;
    }
    expect(thrown, 'no exception').toBeInstanceOf(error);
    expect((thrown as Error).message).toMatch(message);
    const after = snapshot(args);
    after.forEach((a, i) => expect(bitDifference(a, before[i]), `buffer ${i} was written`).toBeUndefined());
  });

  it(`${fn}(valid arguments) succeeds`, () => {
    expect(() => (addon[fn] as (...a: unknown[]) => unknown)(...entry.valid())).not.toThrow();
  });
});

describe('value checks beyond a single argument', () => {
  it('softmaxCrossEntropy rejects labels outside [0, C), naming the row', () => {
    for (const bad of [-1, 3, 2 ** 31 - 1]) {
      const d = new Float32Array(C * B);
      expect(() => addon.softmaxCrossEntropy(d, f32(C * B), Int32Array.from([0, bad]), B, C)).toThrow(
        new RangeError(`softmaxCrossEntropy: labels[1] = ${bad} is outside [0, 3)`),
      );
      expect(
        d.every((v) => v === 0),
        'dlogits untouched',
      ).toBe(true);
    }
  });

  it('sgdStep rejects momentum > 0 without a velocity buffer, and accepts it at momentum 0', () => {
    for (const velocity of [null, undefined]) {
      expect(() => addon.sgdStep(f32(N), f32(N), velocity as unknown as null, null, N, 0.1, 0.5)).toThrow(
        new RangeError('sgdStep: velocity is required when momentum > 0'),
      );
    }
    expect(() => addon.sgdStep(f32(N), f32(N), null, null, N, 0.1, 0)).not.toThrow();
  });

  it('transpose rejects the same buffer as input and output', () => {
    const a = f32(B * IN);
    expect(() => addon.transpose(a, a, B, IN)).toThrow(new RangeError('transpose: out and in must not share memory'));
  });

  it('huge dims whose product overflows 32 bits are a RangeError naming the buffer, not a crash', () => {
    // Which short buffer is named first depends on the compiler's argument evaluation order
    // (the binding checks them inside one call expression), so any of them may be.
    const big = 2 ** 20; // B·IN = 2^40 elements
    expect(() => addon.linearForward(f32(4), f32(4), f32(4), f32(4), big, big, 1)).toThrow(
      /^linearForward: (outT|xT|W) has 4 elements, needs (1048576|1099511627776)$/,
    );
    expect(() => addon.linearBackwardWeight(f32(4), f32(4), f32(4), f32(4), big, big, big)).toThrow(
      /^linearBackwardWeight: (dW|db|dyT|x) has 4 elements, needs (1048576|1099511627776)$/,
    );
    expect(() => addon.transpose(f32(4), f32(4), big, big)).toThrow(/^transpose: in has 4 elements, needs 1099511627776$/);
    expect(() => addon.adamStep(f32(4), f32(4), f32(4), f32(4), null, 2 ** 30, 0.1, 0.9, 0.9, 0, 1)).toThrow(/^adamStep: w has 4 elements/);
  });

  it('setThreads accepts 1..256 only', () => {
    expect(() => addon.setThreads(257)).toThrow(/^setThreads: threads must be an integer in \[1, 256\], got 257/);
    addon.setThreads(256);
    expect(addon.features().threads).toBe(256);
  });

  it('setVariant accepts every listed variant and auto', () => {
    for (const v of addon.features().variants) {
      addon.setVariant(v);
      expect(addon.features().variant).toBe(v);
    }
    addon.setVariant('auto');
    expect(addon.features().variants).toContain(addon.features().variant);
  });

  it('buffers longer than the shape needs are accepted (capacity), and only the shape is written', () => {
    const out = new Float32Array(OUT * B + 3).fill(9);
    addon.linearForward(out, f32(IN * B + 5), f32(OUT * IN + 1), f32(OUT + 2), B, IN, OUT);
    expect(Array.from(out.subarray(OUT * B))).toEqual([9, 9, 9]);
  });
});

it('after every rejected call the addon still computes correctly', () => {
  // Run all the bad calls again, then a real product, compared with the reference.
  for (const entry of ENTRIES) {
    for (const c of badCalls(entry)) expect(() => (addon[entry.fn] as (...a: unknown[]) => unknown)(...c.args)).toThrow();
  }
  addon.setVariant('auto');
  const [xT, W, b] = [f32(IN * B), f32(OUT * IN), f32(OUT)];
  const [got, expected] = [new Float32Array(OUT * B), new Float32Array(OUT * B)];
  addon.linearForward(got, xT, W, b, B, IN, OUT);
  ref.linearForward(expected, xT, W, b, B, IN, OUT);
  expect(Array.from(got)).toEqual(Array.from(expected)); // values in quarters: exact on both
});
