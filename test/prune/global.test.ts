import { describe, expect, it } from 'vitest';
import { globalNeuron, globalUnstructured, l1Unstructured, neuronScores, parseAmount } from '../../src/prune/index.ts';

const f32 = (xs: number[]) => Float32Array.from(xs);
const mask = (xs: number[]) => Uint8Array.from(xs);
const a = parseAmount;

describe('globalUnstructured (torch global_unstructured with L1Unstructured)', () => {
  const A = f32([0.5, -0.05, 0.3, 0.2]);
  const B = f32([0.01, -0.02]);

  it('ranks |w| across matrices: 0.5 of 6 → the 3 smallest overall, wherever they are', () => {
    // all |w|: .5 .05 .3 .2 | .01 .02 → smallest three: .01 .02 (B) and .05 (A)
    const [mA, mB] = globalUnstructured([{ weight: A }, { weight: B }], a(0.5));
    expect(mA).toEqual(mask([1, 0, 1, 1]));
    expect(mB).toEqual(mask([0, 0]));
    // per-layer pruning at the same amount would differ:
    expect(l1Unstructured(A, undefined, a(0.5))).toEqual(mask([1, 0, 1, 0]));
    expect(l1Unstructured(B, undefined, a(0.5))).toEqual(mask([0, 1]));
  });

  it('ties go to the lowest global flat index, in the order the matrices are given', () => {
    const P = f32([0.1, 0.2]);
    const Q = f32([0.1, 0.3]);
    expect(globalUnstructured([{ weight: P }, { weight: Q }], a('1'))).toEqual([mask([0, 1]), mask([1, 1])]);
    expect(globalUnstructured([{ weight: Q }, { weight: P }], a('1'))).toEqual([mask([0, 1]), mask([1, 1])]);
    expect(globalUnstructured([{ weight: P }, { weight: Q }], a('2'))).toEqual([mask([0, 1]), mask([0, 1])]);
  });

  it('takes the amount from the kept entries of all matrices together', () => {
    // A has one entry pruned already: 5 kept in all, 0.5 × 5 = 2.5 → 2 → .01 and .02
    const [mA, mB] = globalUnstructured([{ weight: A, mask: mask([1, 0, 1, 1]) }, { weight: B }], a(0.5));
    expect(mA).toEqual(mask([1, 0, 1, 1]));
    expect(mB).toEqual(mask([0, 0]));
    // with 0.6: 3 of 5 → .01 .02 and then .2 (the pruned .05 is not a candidate)
    const [nA] = globalUnstructured([{ weight: A, mask: mask([1, 0, 1, 1]) }, { weight: B }], a(0.6));
    expect(nA).toEqual(mask([1, 0, 1, 0]));
  });

  it('refuses a count above the kept total', () => {
    expect(() => globalUnstructured([{ weight: A }, { weight: B }], a('7'), 'steps[0].amount')).toThrow(
      /steps\[0\]\.amount: cannot prune 7 weights: only 6 remain unpruned/,
    );
  });
});

describe('globalNeuron (our extension: torch has no global structured pruning)', () => {
  // hidden layer 1: fan-in 4; row 0 = 0.5 × 4 (L2 1.0, RMS 0.5), row 1 = 0.3 × 4 (L2 0.6, RMS 0.3)
  // hidden layer 2: fan-in 2; row 0 = 0.4 × 2 (L2 0.566, RMS 0.4), row 1 = 0.9 × 2 (L2 1.273, RMS 0.9)
  const h1 = { weight: f32([0.5, 0.5, -0.5, 0.5, 0.3, -0.3, 0.3, 0.3]), out: 2, in: 4 };
  const h2 = { weight: f32([0.4, -0.4, 0.9, 0.9]), out: 2, in: 2 };

  it('without normalisation prunes the row with the smallest L2 norm across layers', () => {
    const [m1, m2] = globalNeuron([h1, h2], a('1'));
    expect(m1).toEqual(mask([1, 1, 1, 1, 1, 1, 1, 1]));
    expect(m2).toEqual(mask([0, 0, 1, 1]));
  });

  it("with normalize 'fan-in' divides by fan_in^(1/n): the RMS weight, so a different neuron goes", () => {
    const [m1, m2] = globalNeuron([h1, h2], a('1'), { normalize: 'fan-in' });
    expect(m1).toEqual(mask([1, 1, 1, 1, 0, 0, 0, 0]));
    expect(m2).toEqual(mask([1, 1, 1, 1]));
    const s = neuronScores(h1.weight, mask([1, 1, 1, 1, 1, 1, 1, 1]), h1, 2, 'fan-in');
    expect(s[0]).toBeCloseTo(0.5, 6);
    expect(s[1]).toBeCloseTo(0.3, 6);
    // n = 1: mean |w|; n = Infinity: max |w|, unchanged by fan-in
    expect(neuronScores(h2.weight, mask([1, 1, 1, 1]), h2, 1, 'fan-in')[0]).toBeCloseTo(0.4, 6);
    expect(neuronScores(h2.weight, mask([1, 1, 1, 1]), h2, Infinity, 'fan-in')[1]).toBeCloseTo(0.9, 6);
  });

  it('counts from the alive neurons of all layers: 0.5 of 4 → 2, then 0.5 of the 2 left → 1', () => {
    const first = globalNeuron([h1, h2], a(0.5));
    expect(first).toEqual([mask([1, 1, 1, 1, 0, 0, 0, 0]), mask([0, 0, 1, 1])]);
    const second = globalNeuron(
      [
        { ...h1, mask: first[0] },
        { ...h2, mask: first[1] },
      ],
      a(0.5),
    );
    // alive: layer-1 row 0 (1.0) and layer-2 row 1 (1.273) → row 0 of layer 1 goes
    expect(second).toEqual([mask([0, 0, 0, 0, 0, 0, 0, 0]), mask([0, 0, 1, 1])]);
  });

  it('norms count earlier unstructured zeros as 0', () => {
    // prune 3 of layer-1 row 0's entries: its L2 norm drops to 0.5 < 0.566
    const [m1] = globalNeuron([{ ...h1, mask: mask([1, 0, 0, 0, 1, 1, 1, 1]) }, h2], a('1'));
    expect(m1).toEqual(mask([0, 0, 0, 0, 1, 1, 1, 1]));
  });

  it('ties between layers go to the earlier layer', () => {
    const p = { weight: f32([1, 0, 2, 2]), out: 2, in: 2 };
    const q = { weight: f32([0, 1, 3, 3]), out: 2, in: 2 };
    expect(globalNeuron([p, q], a('1'))).toEqual([mask([0, 0, 1, 1]), mask([1, 1, 1, 1])]);
  });

  it('rejects an unknown normalisation', () => {
    expect(() => globalNeuron([h1], a('1'), { normalize: 'size' as 'none' })).toThrow(/normalize: must be 'none' or 'fan-in', got "size"/);
  });
});
