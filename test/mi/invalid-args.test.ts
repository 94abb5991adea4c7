// Every argument the MI entry points validate, each rejected with a
// TypeError/RangeError that names it: the native binding (raw, so that wrong
// types and counts get through TypeScript) and the reference engine.
import { describe, expect, it } from 'vitest';
import type { MiEngine } from '../../src/backend/mi-kernels.ts';
import type { NativeMiAddon } from '../../src/backend/native/mi.ts';
import { loadNativeMi } from '../../src/backend/native/mi.ts';
import { engines } from './engines.ts';

type Ctor = typeof TypeError | typeof RangeError;
// biome-ignore lint/suspicious/noExplicitAny: the point is to pass values the types forbid
type Any = any;

const N = 4;
const W = 2;
const t = () => Float32Array.of(-0.5, 0.5, 0.1, 0.2, 0.9, -0.9, 0, 0);
const labels = () => Int32Array.of(0, 1, 0, 1);
// miInformationPlane(layers, labels, n, classes, scheme, bins, lo, hi, binWidth, xSymbols, hashMode)
const good = (): Any[] => [[{ activations: t(), width: W }], labels(), N, 2, 'fixed', 30, -1, 1, 0, null, 'normal'];
const withArg = (i: number, v: unknown): Any[] => {
  const a = good();
  a[i] = v;
  return a;
};
const withLayer = (patch: Record<string, unknown>): Any[] => withArg(0, [{ activations: t(), width: W, ...patch }]);
const scheme = (s: string, bins: unknown, lo: unknown, hi: unknown, w: unknown): Any[] => {
  const a = good();
  a.splice(4, 5, s, bins, lo, hi, w);
  return a;
};
const nan = () => {
  const v = t();
  v[3] = NaN;
  return v;
};
const inf = () => {
  const v = t();
  v[5] = -Infinity;
  return v;
};

// [what, args, error type, message pattern]
const cases: [string, Any[], Ctor, RegExp][] = [
  ['layers not an array', withArg(0, t()), TypeError, /layers must be an array/],
  ['no layers', withArg(0, []), RangeError, /layers must hold at least one layer/],
  ['layers[0] not an object', withArg(0, [3]), TypeError, /layers\[0\]/],
  ['layers[0].width missing', withLayer({ width: undefined }), TypeError, /layers\[0\]\.width/],
  ['layers[0].width 0', withLayer({ width: 0 }), RangeError, /layers\[0\]\.width/],
  ['layers[0].width 1.5', withLayer({ width: 1.5 }), RangeError, /layers\[0\]\.width/],
  ['activations Float64Array', withLayer({ activations: Float64Array.from(t()) }), TypeError, /layers\[0\]\.activations must be a Float32Array/],
  ['activations too short', withLayer({ activations: t().subarray(1) }), RangeError, /layers\[0\]\.activations has 7 elements, expected 8/],
  ['activations too long', withLayer({ activations: new Float32Array(9) }), RangeError, /layers\[0\]\.activations has 9 elements, expected 8/],
  ['activations NaN', withLayer({ activations: nan() }), RangeError, /layers\[0\]\.activations\[3\] \(row 1, unit 1\) is nan; activations must be finite/i],
  [
    'activations -Infinity',
    withLayer({ activations: inf() }),
    RangeError,
    /layers\[0\]\.activations\[5\] \(row 2, unit 1\) is -inf(inity)?; activations must be finite/i,
  ],
  ['labels Float32Array', withArg(1, Float32Array.of(0, 1, 0, 1)), TypeError, /labels must be an Int32Array/],
  ['labels too short', withArg(1, Int32Array.of(0, 1, 0)), RangeError, /labels has 3 elements, expected 4/],
  ['label −1', withArg(1, Int32Array.of(0, 1, -1, 1)), RangeError, /labels\[2\] = -1 is outside \[0, 2\)/],
  ['label = classes', withArg(1, Int32Array.of(0, 2, 0, 1)), RangeError, /labels\[1\] = 2 is outside \[0, 2\)/],
  ['n 0', withArg(2, 0), RangeError, /\bn must be an integer/],
  ['n 2.5', withArg(2, 2.5), RangeError, /\bn must be an integer/],
  ['n string', withArg(2, '4'), TypeError, /\bn must be a number/],
  ['classes 0', withArg(3, 0), RangeError, /classes must be an integer/],
  ['classes NaN', withArg(3, NaN), RangeError, /classes must be finite/],
  ['scheme number', withArg(4, 3), TypeError, /scheme must be a string/],
  ['scheme unknown', withArg(4, 'equal'), RangeError, /scheme must be fixed, idnns, width or adaptive, got "equal"/],
  ['fixed bins 0', scheme('fixed', 0, -1, 1, 0), RangeError, /bins must be an integer in \[1, /],
  ['fixed bins 2.5', scheme('fixed', 2.5, -1, 1, 0), RangeError, /bins must be an integer/],
  ['idnns bins 1 (needs 2 edges)', scheme('idnns', 1, -1, 1, 0), RangeError, /bins must be an integer in \[2, .*idnns/],
  ['adaptive bins 0', scheme('adaptive', 0, null, null, 0), RangeError, /bins must be an integer in \[1, /],
  ['bins string', scheme('fixed', '30', -1, 1, 0), TypeError, /bins must be a number/],
  ['fixed without range', scheme('fixed', 30, null, null, 0), TypeError, /lo and hi must be numbers for fixed/],
  ['idnns without range', scheme('idnns', 30, null, null, 0), TypeError, /lo and hi must be numbers for idnns/],
  ['lo = hi', scheme('fixed', 30, 1, 1, 0), RangeError, /lo must be < hi/],
  ['lo > hi', scheme('idnns', 30, 1, -1, 0), RangeError, /lo must be < hi/],
  ['lo NaN', scheme('fixed', 30, NaN, 1, 0), RangeError, /lo must be finite/],
  ['hi Infinity', scheme('adaptive', 30, -1, Infinity, 0), RangeError, /hi must be finite/],
  ['lo string', scheme('fixed', 30, '-1', 1, 0), TypeError, /lo must be a number or null/],
  ['only lo', scheme('adaptive', 30, -1, null, 0), RangeError, /lo and hi must both be numbers or both be null/],
  ['hi − lo overflows', scheme('fixed', 30, -1e308, 1e308, 0), RangeError, /hi − lo must be finite/],
  ['width 0', scheme('width', 0, null, null, 0), RangeError, /binWidth must be > 0/],
  ['width −0.5', scheme('width', 0, null, null, -0.5), RangeError, /binWidth must be > 0/],
  ['width NaN', scheme('width', 0, null, null, NaN), RangeError, /binWidth must be finite/],
  ['width with a range', scheme('width', 0, -1, 1, 0.5), RangeError, /lo and hi must be null for width/],
  ['width codes overflow int32', scheme('width', 0, null, null, 1e-12), RangeError, /overflow int32/],
  ['xSymbols Float32Array', withArg(9, new Float32Array(4)), TypeError, /xSymbols must be an Int32Array/],
  ['xSymbols too short', withArg(9, new Int32Array(3)), RangeError, /xSymbols has 3 elements, expected 4/],
  ['xSymbols −1', withArg(9, Int32Array.of(0, -1, 0, 0)), RangeError, /xSymbols\[1\] = -1 is outside \[0, n = 4\)/],
  ['xSymbols ≥ n', withArg(9, Int32Array.of(0, 4, 0, 0)), RangeError, /xSymbols\[1\] = 4 is outside \[0, n = 4\)/],
  ['hashMode unknown', withArg(10, 'fast'), RangeError, /hashMode must be normal or collide-all/],
  ['hashMode number', withArg(10, 1), TypeError, /hashMode must be a string/],
];

const { addon } = loadNativeMi();

describe.runIf(addon)('native binding rejects bad arguments, naming them', () => {
  const native = addon as NativeMiAddon & Record<string, (...a: Any[]) => unknown>;

  it('accepts the good arguments', () => {
    expect(() => native.miInformationPlane(...(good() as Parameters<NativeMiAddon['miInformationPlane']>))).not.toThrow();
  });

  it.each(cases)('miInformationPlane: %s', (_what, args, ctor, pattern) => {
    expect(() => native.miInformationPlane(...(args as Parameters<NativeMiAddon['miInformationPlane']>))).toThrow(ctor);
    expect(() => native.miInformationPlane(...(args as Parameters<NativeMiAddon['miInformationPlane']>))).toThrow(pattern);
  });

  it('argument counts', () => {
    expect(() => native.miInformationPlane(...(good().slice(0, 10) as Any[] as Parameters<NativeMiAddon['miInformationPlane']>))).toThrow(
      /miInformationPlane: expected 11 arguments, got 10/,
    );
    expect(() => (native.miRowSymbols as Any)(new Int32Array(4), t(), N, W, 'fixed', 30, -1, 1, 0)).toThrow(/miRowSymbols: expected 10 arguments, got 9/);
    expect(() => (native.miBinCodes as Any)()).toThrow(TypeError);
  });

  it('n × classes beyond the label-count budget', () => {
    const big = 1 << 20;
    expect(() =>
      (native.miInformationPlane as Any)(
        [{ activations: new Float32Array(big), width: 1 }],
        new Int32Array(big),
        big,
        1024,
        'fixed',
        30,
        -1,
        1,
        0,
        null,
        'normal',
      ),
    ).toThrow(/n × classes = .* exceeds/);
  });

  // A bounded binning with a given range checks values in the pass that bins them; the error
  // must still be the first one met checking each layer in turn (width, activations, values).
  const layered = (layers: unknown[], s: string, bins: number, lo: number | null, hi: number | null, w: number) => () =>
    (native.miInformationPlane as Any)(layers, labels(), N, 2, s, bins, lo, hi, w, null, 'normal');
  const ok = () => ({ activations: t(), width: W });
  it.each([
    ['fixed', 30, -1, 1, 0],
    ['idnns', 30, -1, 1, 0],
    ['adaptive', 30, null, null, 0],
    ['width', 0, null, null, 0.5],
  ] as [string, number, number | null, number | null, number][])('several bad layers (%s): the first error met layer by layer', (s, bins, lo, hi, w) => {
    const call = (layers: unknown[]) => layered(layers, s, bins, lo, hi, w);
    expect(
      call([
        { activations: nan(), width: W },
        { activations: t(), width: 0 },
      ]),
    ).toThrow(/layers\[0\]\.activations\[3\].*finite/);
    expect(call([ok(), { activations: nan(), width: W }, { activations: Float64Array.from(t()), width: W }])).toThrow(/layers\[1\]\.activations\[3\].*finite/);
    expect(
      call([
        { activations: t(), width: 1.5 },
        { activations: nan(), width: W },
      ]),
    ).toThrow(/layers\[0\]\.width/);
    expect(call([ok(), { activations: inf(), width: W }, { activations: nan(), width: W }])).toThrow(/layers\[1\]\.activations\[5\].*finite/);
    expect(call([ok(), ok()])).not.toThrow();
  });

  it('a non-finite value far into a large layer is reported at its index (the first of several)', () => {
    const n = 1000;
    const width = 20;
    const big = Float32Array.from({ length: n * width }, (_, i) => Math.sin(i));
    big[613 * width + 7] = Infinity;
    big[613 * width + 9] = NaN;
    big[900 * width] = NaN;
    const call = () => (native.miInformationPlane as Any)([{ activations: big, width }], new Int32Array(n), n, 1, 'fixed', 30, -1, 1, 0, null, 'normal');
    expect(call).toThrow(/layers\[0\]\.activations\[12267\] \(row 613, unit 7\) is inf/i);
  });

  it('miRowSymbols and miBinCodes check their outputs and activations', () => {
    expect(() => native.miRowSymbols(new Int32Array(3), t(), N, W, 'fixed', 30, -1, 1, 0, 'normal')).toThrow(/ids has 3 elements, expected 4/);
    expect(() => (native.miRowSymbols as Any)(new Uint32Array(4), t(), N, W, 'fixed', 30, -1, 1, 0, 'normal')).toThrow(/ids must be an Int32Array/);
    expect(() => native.miRowSymbols(new Int32Array(4), nan(), N, W, 'fixed', 30, -1, 1, 0, 'normal')).toThrow(/activations\[3\].*finite/);
    expect(() => native.miRowSymbols(new Int32Array(4), t(), N, W, 'fixed', 30, -1, 1, 0, 'x' as Any)).toThrow(/hashMode/);
    expect(() => native.miBinCodes(new Int32Array(7), t(), N, W, 'fixed', 30, -1, 1, 0)).toThrow(/codes has 7 elements, expected 8/);
    expect(() => native.miBinCodes(new Int32Array(8), inf(), N, W, 'width', 0, null, null, 0.5)).toThrow(/activations\[5\].*finite/);
    expect(() => native.miBinCodes(new Int32Array(8), t(), N, 0, 'fixed', 30, -1, 1, 0)).toThrow(/width must be an integer/);
    expect(() => native.miBinCodes(new Int32Array(8), t(), N, W, 'idnns', 30.5, -1, 1, 0)).toThrow(/bins must be an integer/);
  });
});

describe.each(engines)('engine %s rejects bad arguments, naming them', (_name, engine: MiEngine) => {
  const call = (a: Any[]) => () =>
    engine.informationPlane(a[0], a[1], a[2], a[3], { scheme: a[4], bins: a[5], lo: a[6], hi: a[7], binWidth: a[8] }, a[9], a[10]);
  it.each(cases)('%s', (_what, args, ctor, pattern) => {
    expect(call(args)).toThrow(ctor);
    expect(call(args)).toThrow(pattern);
  });
});
