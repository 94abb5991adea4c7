// xoshiro128** and its splitmix32 seeding against values computed outside
// this code base: the reference C of prng.di.unimi.it (xoshiro128starstar.c)
// with a splitmix32 written from the same constants, compiled with gcc in a
// scratch program. Hand check of the third output from state {1, 2, 3, 4}:
// after two steps s1 = 1029, and rotl(1029·5, 7)·9 = 5 927 040.
// FNV-1a vectors (stream names) are the published ones ("a" → 0xe40c292c).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';

// Rng keeps its 128-bit state in four private fields; there is no public way to
// set a raw state (a `Rng.fromState` would make this cleaner), so the test writes
// them, after checking they exist under these names.
type State = { s0: number; s1: number; s2: number; s3: number };
function rawState(rng: Rng): State {
  const s = rng as unknown as State;
  for (const k of ['s0', 's1', 's2', 's3'] as const) expect(typeof s[k], `Rng field ${k}`).toBe('number');
  return s;
}
function withState(state: [number, number, number, number]): Rng {
  const rng = new Rng(0);
  const s = rawState(rng);
  [s.s0, s.s1, s.s2, s.s3] = state;
  return rng;
}
const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('xoshiro128**', () => {
  it('matches the reference C from state {1, 2, 3, 4}', () => {
    expect(draw(withState([1, 2, 3, 4]), 8)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it.each([
    [0, [1684164658, 3653269916, 2939563536, 2141751570], [1789933344, 44971166, 2521387044, 3848737593, 1138324114, 749234105]],
    [1, [1580013426, 350525680, 3524174333, 3011703609], [393288148, 2174103013, 3814759091, 2092745082, 1865176206, 2179171167]],
    [42, [551831576, 144025891, 322543647, 3034809370], [660444221, 3652823732, 77672526, 910233633, 2297337756, 3786072677]],
    [0xffffffff, [3950124170, 4293442868, 1302505678, 2762329221], [4104197751, 1825856343, 1152209388, 2427537429, 3685145430, 609215610]],
  ])('seed %i: splitmix32 state and first outputs match the C reference', (seed, state, outputs) => {
    const rng = new Rng(seed);
    const s = rawState(rng);
    expect([s.s0, s.s1, s.s2, s.s3]).toEqual(state);
    expect(draw(rng, 6)).toEqual(outputs);
  });

  it('rejects seeds outside [0, 2^32) and non-integers', () => {
    for (const bad of [-1, 1.5, 2 ** 32, NaN, Infinity]) expect(() => new Rng(bad)).toThrow(RangeError);
  });
});

describe('named streams', () => {
  it('stream(seed, name) seeds with seed XOR FNV-1a(name)', () => {
    expect(draw(Rng.stream(7, 'a'), 4)).toEqual(draw(new Rng((7 ^ 0xe40c292c) >>> 0), 4));
    expect(draw(Rng.stream(7, 'foobar'), 4)).toEqual(draw(new Rng((7 ^ 0xbf9cf968) >>> 0), 4));
    expect(draw(Rng.stream(7, ''), 4)).toEqual(draw(new Rng((7 ^ 0x811c9dc5) >>> 0), 4));
  });

  it('different names and seeds give different streams; the same ones repeat', () => {
    const first = (seed: number, name: string) => draw(Rng.stream(seed, name), 4).join();
    expect(new Set([first(1, 'init'), first(1, 'split'), first(1, 'shuffle'), first(2, 'init')]).size).toBe(4);
    expect(first(1, 'init')).toBe(first(1, 'init'));
  });
});

describe('derived draws', () => {
  it('nextFloat is a float32 in [0, 1) with 24 random bits', () => {
    const rng = new Rng(11);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const v = rng.nextFloat();
      if (!(v >= 0 && v < 1) || Math.fround(v) !== v || !Number.isInteger(v * 2 ** 24)) expect.fail(`nextFloat gave ${v}`);
      sum += v;
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
    // It is the top 24 bits of nextUint32.
    const [a, b] = [new Rng(12), new Rng(12)];
    expect(a.nextFloat()).toBe((b.nextUint32() >>> 8) / 2 ** 24);
  });

  it('nextInt has no modulo bias: for n = 3·2^30, values below 2^30 come a third of the time (plain modulo: half)', () => {
    const rng = new Rng(13);
    const n = 3 * 2 ** 30;
    let low = 0;
    for (let i = 0; i < 30000; i++) {
      const v = rng.nextInt(n);
      if (!(Number.isInteger(v) && v >= 0 && v < n)) expect.fail(`nextInt(${n}) gave ${v}`);
      if (v < 2 ** 30) low++;
    }
    expect(Math.abs(low / 30000 - 1 / 3)).toBeLessThan(0.015);
  });

  it('nextInt(10) is uniform and in range; bad bounds are RangeErrors', () => {
    const rng = new Rng(14);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 50000; i++) counts[rng.nextInt(10)]++;
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(300); // ~4.4 standard deviations
    expect(new Rng(1).nextInt(1)).toBe(0);
    expect(() => new Rng(1).nextInt(2 ** 32)).not.toThrow();
    for (const bad of [0, -1, 1.5, 2 ** 32 + 1, NaN]) expect(() => new Rng(1).nextInt(bad)).toThrow(RangeError);
  });

  it('nextNormal has mean 0 and variance 1', () => {
    const rng = new Rng(15);
    const n = 40000;
    let [s, s2] = [0, 0];
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      if (!Number.isFinite(z)) expect.fail(`nextNormal gave ${z}`);
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02); // standard error 0.005
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.04); // standard error 0.007
  });

  it('shuffle is a seeded permutation', () => {
    const shuffled = (seed: number) => Array.from(new Rng(seed).shuffle(Int32Array.from({ length: 100 }, (_, i) => i)));
    const a = shuffled(16);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(a).toEqual(shuffled(16));
    expect(a).not.toEqual(shuffled(17));
    expect(a).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
