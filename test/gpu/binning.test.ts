// The binning step through gpu.js: bin codes bit for bit equal to the
// reference's (src/mi/reference.ts) in every scheme, and information planes
// equal to the counting engine's on the original activations, in gpu.js's CPU
// and WebAssembly modes. Inputs aim at the hard cases: values within a few
// ulps of every bin edge, ±0, subnormals, ±FLT_MAX, ranges beyond float32.
import { describe, expect, it } from 'vitest';
import { FLT_MAX, binThresholds, codeFromThresholds, float32FromKey, float32Key } from '../../src/backend/gpu/bin-thresholds.ts';
import { GpuBinner, MAX_FLOAT_CODE, UNIT_WIDTH_BINNING, gpuMiEngine } from '../../src/backend/gpu/binning.ts';
import { type BinningParams, binningParams, parseBinning } from '../../src/mi/binning.ts';
import type { MiEngine } from '../../src/backend/mi-kernels.ts';
import { informationPlane } from '../../src/mi/information-plane.ts';
import { binCodesReference, numpyLinspace, referenceMiEngine } from '../../src/backend/reference/mi.ts';
import { Rng } from '../../src/core/rng.ts';
import { engines } from '../mi/engines.ts';
import { CPU_MODES, gpuFor } from './modes.ts';

const params = (text: string, activation: 'tanh' | 'relu' = 'tanh'): BinningParams => binningParams(parseBinning(text), activation);

/** Every float32 within `ulps` of each value (and the value), deduplicated. */
function around(values: Iterable<number>, ulps = 3): number[] {
  const out = new Set<number>();
  for (const v of values) {
    if (!Number.isFinite(v) || Math.abs(v) > FLT_MAX) continue;
    const key = float32Key(v);
    for (let d = -ulps; d <= ulps; d++) {
      const f = float32FromKey(Math.max(-0x7f7fffff, Math.min(0x7f7fffff, key + d)));
      if (Number.isFinite(f)) out.add(f);
    }
  }
  return [...out];
}

/** Boundary-heavy float32 inputs for a binning: every edge ±3 ulps, specials, and seeded random values. */
function hardInputs(p: BinningParams, seed: number, randomCount = 2000): Float32Array {
  const edges: number[] = [];
  if (p.scheme === 'width') for (let k = -40; k <= 40; k++) edges.push(k * p.binWidth);
  else if (p.scheme === 'idnns') edges.push(...numpyLinspace(p.lo as number, p.hi as number, p.bins));
  else if (p.lo !== null) for (let k = 0; k <= Math.min(p.bins, 2000); k++) edges.push((p.lo as number) + (((p.hi as number) - (p.lo as number)) * k) / p.bins);
  const specials = [0, -0, 1e-45, -1e-45, 2e-45, -2e-45, 1.1754942e-38, -1.1754942e-38, 2 ** -126, -(2 ** -126), 1, -1, 0.5, -0.5];
  // Width codes of ±FLT_MAX overflow int32: both engines refuse them (tested apart).
  if (p.scheme !== 'width') specials.push(FLT_MAX, -FLT_MAX);
  const rng = new Rng(seed);
  const random = Array.from({ length: randomCount }, () => Math.tanh(3 * rng.nextNormal()) * 1.2);
  return Float32Array.from([...around(edges), ...specials, ...random]);
}

const BINNINGS = [
  'fixed:30',
  'fixed:7:0:1',
  'fixed:1',
  'fixed:1000',
  'fixed:4:-1e-40:1e-40',
  'fixed:10:-1e300:1e300',
  'fixed:3:1e30:3e38',
  'idnns:30',
  'idnns:3',
  'idnns:2',
  'idnns:5:-1e39:1e39',
  'idnns:4:0:1e-44',
  'adaptive:30',
  'adaptive:7:-0.3:0.9',
  'adaptive:1',
  'width:0.5',
  'width:0.1',
  'width:1',
  'width:3',
  'width:1e-6',
  'width:1e-8',
];

describe('float32 thresholds reproduce the reference formulas', () => {
  it.each(BINNINGS.filter((b) => !b.startsWith('width') && b !== 'adaptive:30' && b !== 'adaptive:1'))(
    '%s: code(h) = #{t ≤ h} on every edge ±3 ulps',
    (text) => {
      const p = params(text);
      const t = hardInputs(p, 1);
      const expected = new Int32Array(t.length);
      binCodesReference(expected, t, t.length, 1, p);
      const thresholds = binThresholds(p, p.lo as number, p.hi as number);
      for (let k = 1; k < thresholds.length; k++) expect(thresholds[k]).toBeGreaterThanOrEqual(thresholds[k - 1]);
      for (let k = 0; k < t.length; k++) {
        const got = codeFromThresholds(thresholds, t[k]);
        if (got !== expected[k]) expect(`code(${t[k]}) = ${got}`).toBe(`code(${t[k]}) = ${expected[k]}`);
      }
    },
  );

  it('float32Key orders floats and round-trips', () => {
    expect(float32Key(0)).toBe(0);
    expect(float32Key(-0)).toBe(-0);
    expect(float32Key(1e-45)).toBe(1);
    expect(float32Key(-1e-45)).toBe(-1);
    expect(float32FromKey(float32Key(1.5) + 1)).toBe(Math.fround(1.5 + 2 ** -23));
    expect(float32FromKey(0x7f7fffff)).toBe(FLT_MAX);
  });
});

describe('native histogram on float codes with width:1 counts the codes themselves', () => {
  // floor(c / 1) = c for every integer |c| ≤ 2^24: float32 holds them exactly and both engines divide in float64.
  it.each(engines)('%s engine: integer codes up to ±2^24 come back unchanged', (_name, engine) => {
    const ints = [0, -0, 1, -1, 2, 29, 30, -30, 12345, -98765, 2 ** 23 - 1, 2 ** 23, 2 ** 24 - 1, 2 ** 24, -(2 ** 24), -(2 ** 24 - 1)];
    const rng = new Rng(3);
    for (let k = 0; k < 500; k++) ints.push(Math.floor((2 * rng.nextFloat() - 1) * MAX_FLOAT_CODE));
    const codes = new Int32Array(ints.length);
    engine.binCodes(codes, Float32Array.from(ints), ints.length, 1, UNIT_WIDTH_BINNING);
    expect(Array.from(codes)).toEqual(ints.map((v) => v | 0));
  });
});

describe.each(CPU_MODES)('gpu.js bin codes, mode %s', (mode) => {
  const binner = new GpuBinner(gpuFor(mode));

  it.each(BINNINGS)(`binCodes(%s, gpu.js ${mode}) = reference bit for bit`, (text) => {
    const p = params(text);
    const width = 7;
    const raw = hardInputs(p, 2);
    const n = Math.floor(raw.length / width);
    const t = raw.subarray(0, n * width);
    const [got, expected] = [new Int32Array(n * width), new Int32Array(n * width)];
    const usedGpu = binner.binCodes(got, t, n, width, p);
    const usedRef = binCodesReference(expected, t, n, width, p);
    expect(usedGpu).toEqual(usedRef);
    let first = -1;
    for (let k = 0; k < got.length && first < 0; k++) if (got[k] !== expected[k]) first = k;
    expect(first < 0 ? 'equal' : `[${first}] h = ${t[first]}: ${got[first]} vs ${expected[first]}`).toBe('equal');
  });

  it(`width codes beyond ±2^24 are not sent as floats, and still come out right (gpu.js ${mode})`, () => {
    const p = params('width:1e-9');
    const t = Float32Array.from([0.5, -0.25, 0, 1e-9, 0.016777216, -0.016777217]);
    expect(binner.codes(t, 6, 1, p).codes).toBeUndefined();
    const [got, expected] = [new Int32Array(6), new Int32Array(6)];
    binner.binCodes(got, t, 6, 1, p);
    binCodesReference(expected, t, 6, 1, p);
    expect(Array.from(got)).toEqual(Array.from(expected));
    expect(Math.abs(expected[0])).toBeGreaterThan(MAX_FLOAT_CODE);
  });

  it(`width codes beyond int32 are refused like the reference refuses them (gpu.js ${mode})`, () => {
    const p = params('width:0.5');
    const t = Float32Array.from([0.1, -FLT_MAX, 0.3]);
    const codes = new Int32Array(3);
    expect(() => binCodesReference(codes, t, 3, 1, p)).toThrow(
      'miBinCodes: activations[1] = -3.4028234663852886e+38: with binWidth 0.5 the codes floor(h / binWidth) overflow int32',
    );
    expect(() => binner.binCodes(codes, t, 3, 1, p)).toThrow(
      'miBinCodes: activations[1] = -3.4028234663852886e+38: with binWidth 0.5 the codes floor(h / binWidth) overflow int32',
    );
  });

  it(`rejects what the reference rejects, with its messages (gpu.js ${mode})`, () => {
    const codes = new Int32Array(4);
    const bad = Float32Array.of(0.1, NaN, 0.3, 0.4);
    expect(() => binner.binCodes(codes, bad, 2, 2, params('fixed:30'))).toThrow(
      'miBinCodes: activations[1] (row 0, unit 1) is NaN; activations must be finite to be binned',
    );
    expect(() => binner.binCodes(codes, Float32Array.of(0, Infinity, 0, 0), 2, 2, params('fixed:30'))).toThrow(/is Infinity/);
    expect(() => binner.binCodes(codes, new Float32Array(3), 2, 2, params('fixed:30'))).toThrow('miBinCodes: activations has 3 elements, expected 4');
    const badParams = { scheme: 'fixed', bins: 30, lo: 1, hi: -1, binWidth: 0 } as const;
    expect(() => binner.binCodes(codes, new Float32Array(4), 2, 2, badParams)).toThrow('miBinCodes: lo must be < hi, got lo = 1, hi = -1');
  });

  describe.each([['reference', referenceMiEngine] as [string, MiEngine], ...engines.filter(([n]) => n === 'native')])(
    'counted by the %s histogram',
    (counterName, counter) => {
      const engine = gpuMiEngine(binner, counter);
      const rng = new Rng(11);
      const n = 600;
      const widths = [1, 5, 40];
      const layers = widths.map((w) => ({ activations: Float32Array.from({ length: n * w }, () => Math.tanh(2 * rng.nextNormal())), width: w }));
      const labels = Int32Array.from({ length: n }, () => rng.nextInt(3));

      it.each(['fixed:30', 'idnns:30', 'adaptive:30', 'width:0.5', 'fixed:4'])(
        `informationPlane(%s, gpu.js ${mode}, ${counterName}) = ${counterName}'s`,
        (text) => {
          const p = params(text);
          expect(engine.informationPlane(layers, labels, n, 3, p, null)).toEqual(counter.informationPlane(layers, labels, n, 3, p, null));
          const xSymbols = Int32Array.from({ length: n }, (_, r) => r % 50);
          expect(engine.informationPlane(layers, labels, n, 3, p, xSymbols, 'collide-all')).toEqual(
            counter.informationPlane(layers, labels, n, 3, p, xSymbols, 'collide-all'),
          );
        },
      );

      it(`rowSymbols and the public informationPlane() agree with ${counterName} (gpu.js ${mode})`, () => {
        const p = params('adaptive:10');
        const [a, b] = [new Int32Array(n), new Int32Array(n)];
        expect(engine.rowSymbols(a, layers[1].activations, n, 5, p)).toEqual(counter.rowSymbols(b, layers[1].activations, n, 5, p));
        expect(Array.from(a)).toEqual(Array.from(b));
        const plane = (e: MiEngine) =>
          informationPlane(
            layers.map((l) => ({ ...l })),
            labels,
            { binning: 'idnns:12', engine: e, classes: 3 },
          );
        expect(plane(engine)).toEqual(plane(counter));
      });

      it(`a width layer whose codes exceed ±2^24 is counted from the activations (gpu.js ${mode}, ${counterName})`, () => {
        const p = params('width:1e-9');
        const big = [{ activations: Float32Array.from({ length: n }, () => 0.5 * rng.nextNormal()), width: 1 }, layers[0]];
        expect(engine.informationPlane(big, labels, n, 3, p, null)).toEqual(counter.informationPlane(big, labels, n, 3, p, null));
      });
    },
  );
});
