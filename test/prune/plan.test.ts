import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { type PruneStep, applyMask, applyMaskInPlace, applyPrunePlan, resolvePruneSteps } from '../../src/prune/index.ts';

const f32 = (xs: number[]) => Float32Array.from(xs);
const mask = (xs: number[]) => Uint8Array.from(xs);

// A 2-2-2-1 net (3 layers). Magnitudes are distinct so every pick is forced.
const net = () => [
  { out: 2, in: 2, weight: f32([0.9, 0.05, 0.6, 0.7]) }, // layer 1: rows L2 0.901, 0.922
  { out: 2, in: 2, weight: f32([0.3, 0.35, 0.8, 0.02]) }, // layer 2: rows 0.461, 0.800
  { out: 1, in: 2, weight: f32([0.01, 0.5]) }, // layer 3 (output)
];

describe('applyPrunePlan', () => {
  it('layer-weight prunes each listed layer on its own (default: every layer)', () => {
    const { weightMasks } = applyPrunePlan(net(), [{ mode: 'layer-weight', amount: 0.5 }]);
    expect(weightMasks).toEqual([mask([1, 0, 0, 1]), mask([0, 1, 1, 0]), mask([0, 1])]);
    const only2 = applyPrunePlan(net(), [{ mode: 'layer-weight', amount: 0.5, layers: [2] }]).weightMasks;
    expect(only2).toEqual([mask([1, 1, 1, 1]), mask([0, 1, 1, 0]), mask([1, 1])]);
  });

  it('global-weight ranks all layers together by default, the output layer included', () => {
    // |w| sorted: .01 (L3) .02 (L2) .05 (L1) .3 (L2) .35 .5 .6 .7 .8 .9; 0.3 × 10 = 3
    const { weightMasks } = applyPrunePlan(net(), [{ mode: 'global-weight', amount: 0.3 }]);
    expect(weightMasks).toEqual([mask([1, 0, 1, 1]), mask([1, 1, 1, 0]), mask([0, 1])]);
  });

  it('layer-neuron (dim 0) defaults to the hidden layers and leaves the output layer alone', () => {
    // row norms: layer 1 0.901 < 0.922 → row 0; layer 2 0.461 < 0.800 → row 0
    const { weightMasks } = applyPrunePlan(net(), [{ mode: 'layer-neuron', amount: '1' }]);
    expect(weightMasks).toEqual([mask([0, 0, 1, 1]), mask([0, 0, 1, 1]), mask([1, 1])]);
  });

  it('layer-neuron with dim 1 prunes input columns, also of the output layer', () => {
    const { weightMasks } = applyPrunePlan(net(), [{ mode: 'layer-neuron', amount: '1', dim: 1, layers: [3] }]);
    expect(weightMasks[2]).toEqual(mask([0, 1]));
  });

  it('global-neuron ranks hidden neurons of layers 1..L−1 by default', () => {
    // row norms: L1 0.901, 0.922; L2 0.461, 0.800 → 0.5 of 4 = 2 → L2 row 0 and L2 row 1
    const { weightMasks } = applyPrunePlan(net(), [{ mode: 'global-neuron', amount: 0.5 }]);
    expect(weightMasks).toEqual([mask([1, 1, 1, 1]), mask([0, 0, 0, 0]), mask([1, 1])]);
  });

  it('applies steps in order, each on what the previous left (0.5 then 0.5 = 75%)', () => {
    const steps: PruneStep[] = [
      { mode: 'global-weight', amount: 0.5 },
      { mode: 'global-weight', amount: 0.5 },
    ];
    const { weightMasks } = applyPrunePlan(net(), steps);
    const kept = weightMasks.reduce((s, m) => s + m.reduce((t, x) => t + x, 0), 0);
    // 10 → prune 5 → 5 left → prune round(2.5) = 2 → 3 kept: the three largest .9 .8 .7
    expect(kept).toBe(3);
    expect(weightMasks).toEqual([mask([1, 0, 0, 1]), mask([0, 0, 1, 0]), mask([0, 0])]);
  });

  it('mixes modes: a neuron step after a weight step sees the earlier zeros', () => {
    const { weightMasks } = applyPrunePlan(net(), [
      { mode: 'layer-weight', amount: '2', layers: [1] }, // drops .05 and .6 → row norms 0.9 and 0.7
      { mode: 'layer-neuron', amount: '1', layers: [1] }, // → row 1 goes (on the original weights row 0 would)
    ]);
    expect(weightMasks[0]).toEqual(mask([1, 0, 0, 0]));
  });

  it('starts from given masks without modifying them', () => {
    const start = [mask([1, 1, 1, 1]), mask([1, 1, 1, 1]), mask([0, 1])];
    const { weightMasks } = applyPrunePlan(net(), [{ mode: 'global-weight', amount: '1' }], { masks: start });
    expect(weightMasks[2]).toEqual(mask([0, 1]));
    expect(weightMasks[1]).toEqual(mask([1, 1, 1, 0])); // .02 is the smallest kept
    expect(start[1]).toEqual(mask([1, 1, 1, 1]));
  });

  it('bias masks are all ones by default (torch) and follow dead rows with pruneBias', () => {
    const steps: PruneStep[] = [{ mode: 'layer-neuron', amount: '1', layers: [2] }];
    expect(applyPrunePlan(net(), steps).biasMasks).toEqual([mask([1, 1]), mask([1, 1]), mask([1])]);
    expect(applyPrunePlan(net(), steps, { pruneBias: true }).biasMasks).toEqual([mask([1, 1]), mask([0, 1]), mask([1])]);
  });
});

describe('validation: every error names the field and the value', () => {
  const bad: [string, PruneStep[], RegExp][] = [
    ['a float above 1', [{ mode: 'layer-weight', amount: 1.5 }], /^steps\[0\]\.amount: 1\.5 is neither/],
    ['a negative amount', [{ mode: 'layer-weight', amount: -0.2 }], /^steps\[0\]\.amount: -0\.2 is neither/],
    [
      'an unknown mode',
      [{ mode: 'random' as 'layer-weight', amount: 0.5 }],
      /^steps\[0\]\.mode: must be one of layer-weight, layer-neuron, global-weight, global-neuron, got "random"/,
    ],
    ['an unknown layer', [{ mode: 'layer-weight', amount: 0.5, layers: [4] }], /^steps\[0\]\.layers\[0\]: no layer 4: the net has layers 1\.\.3/],
    ['layer 0', [{ mode: 'layer-weight', amount: 0.5, layers: [1, 0] }], /^steps\[0\]\.layers\[1\]: no layer 0/],
    ['a fractional layer', [{ mode: 'layer-weight', amount: 0.5, layers: [1.5] }], /^steps\[0\]\.layers\[0\]: no layer 1\.5/],
    ['a duplicate layer', [{ mode: 'global-weight', amount: 0.5, layers: [2, 2] }], /^steps\[0\]\.layers\[1\]: layer 2 is listed twice/],
    ['no layers', [{ mode: 'global-weight', amount: 0.5, layers: [] }], /^steps\[0\]\.layers: must name at least one layer/],
    ['layer-neuron on the output layer', [{ mode: 'layer-neuron', amount: 0.5, layers: [3] }], /^steps\[0\]\.layers\[0\]: layer 3 is the output layer/],
    ['global-neuron on the output layer', [{ mode: 'global-neuron', amount: 0.5, layers: [1, 3] }], /^steps\[0\]\.layers\[1\]: layer 3 is the output layer/],
    ['dim on a weight mode', [{ mode: 'layer-weight', amount: 0.5, dim: 1 }], /^steps\[0\]\.dim: is not an option of mode layer-weight/],
    [
      'normalize on layer-neuron',
      [{ mode: 'layer-neuron', amount: 0.5, normalize: 'fan-in' }],
      /^steps\[0\]\.normalize: is not an option of mode layer-neuron/,
    ],
    ['a bad norm order', [{ mode: 'global-neuron', amount: 0.5, n: -1 }], /^steps\[0\]\.n: norm order must be a number > 0.*got -1/],
    ['a bad dim', [{ mode: 'layer-neuron', amount: 0.5, dim: 2 as 0 }], /^steps\[0\]\.dim: must be 0 .*got 2/],
    [
      'an unknown score',
      [{ mode: 'global-weight', amount: 0.5, score: 'taylor' as 'snip' }],
      /^steps\[0\]\.score: must be one of magnitude, random, snip, grasp, synflow, got "taylor"/,
    ],
    ['zero rounds', [{ mode: 'global-weight', amount: 0.5, rounds: 0 }], /^steps\[0\]\.rounds: must be an integer in \[1, 10000\], got 0/],
    [
      'an unknown schedule',
      [{ mode: 'layer-weight', amount: 0.5, schedule: 'cubic' as 'linear' }],
      /^steps\[0\]\.schedule: must be one of exponential, linear, got "cubic"/,
    ],
    [
      'an unknown ablation',
      [{ mode: 'layer-weight', amount: 0.5, ablate: 'drop' as 'invert' }],
      /^steps\[0\]\.ablate: must be one of shuffle, reinit, invert, got "drop"/,
    ],
    ['a score on a neuron mode', [{ mode: 'layer-neuron', amount: 0.5, score: 'snip' }], /^steps\[0\]\.score: is not an option of mode layer-neuron/],
    [
      'a bad normalisation',
      [{ mode: 'global-neuron', amount: 0.5, normalize: 'l2' as 'none' }],
      /^steps\[0\]\.normalize: must be 'none' or 'fan-in', got "l2"/,
    ],
  ];
  it.each(bad)('rejects %s', (_, steps, message) => {
    expect(() => resolvePruneSteps(steps, 3)).toThrow(InputError);
    expect(() => resolvePruneSteps(steps, 3)).toThrow(message);
  });

  it('names the step in a later position', () => {
    expect(() =>
      resolvePruneSteps(
        [
          { mode: 'layer-weight', amount: 0.5 },
          { mode: 'layer-weight', amount: '2.5' },
        ],
        3,
      ),
    ).toThrow(/^steps\[1\]\.amount: .*"2\.5"/);
  });

  it("a scored step without the net's kernels and data says what it needs", () => {
    expect(() => applyPrunePlan(net(), [{ mode: 'global-weight', amount: 0.5, score: 'snip' }])).toThrow(
      /^steps\[0\]\.score: snip scoring needs the net's kernels and data/,
    );
  });

  it('refuses a count above what remains (torch raises), naming step and layer', () => {
    expect(() =>
      applyPrunePlan(net(), [
        { mode: 'layer-weight', amount: 0.5, layers: [2] },
        { mode: 'layer-weight', amount: '3', layers: [2] },
      ]),
    ).toThrow(/^steps\[1\]\.amount \(layer 2\): cannot prune 3 weights: only 2 remain unpruned/);
    expect(() => applyPrunePlan(net(), [{ mode: 'global-neuron', amount: '5' }])).toThrow(/^steps\[0\]\.amount: cannot prune 5 neurons: only 4 remain/);
  });

  it('checks the net: shapes that chain, weights of the right size', () => {
    const broken = net();
    broken[1] = { out: 2, in: 3, weight: f32([1, 1, 1, 1, 1, 1]) };
    expect(() => applyPrunePlan(broken, [])).toThrow(/^layers\[1\]\.in: is 3, but the previous layer has 2 outputs/);
    const short = net();
    short[0] = { out: 2, in: 2, weight: f32([1, 1, 1]) };
    expect(() => applyPrunePlan(short, [])).toThrow(/^layers\[0\]\.weight: has 3 values, expected out × in = 2 × 2/);
  });

  it('resolves defaults', () => {
    expect(resolvePruneSteps([{ mode: 'global-weight', amount: 0.9 }], 5)[0]).toEqual({
      mode: 'global-weight',
      amount: { kind: 'fraction', value: 0.9 },
      layers: [1, 2, 3, 4, 5],
      n: 2,
      dim: 0,
      normalize: 'none',
      scoring: { score: 'magnitude', rounds: 1, schedule: 'exponential', scoreBatches: 1 },
    });
    expect(resolvePruneSteps([{ mode: 'layer-weight', amount: 0.9, score: 'synflow' }], 5)[0].scoring).toEqual({
      score: 'synflow',
      rounds: 100,
      schedule: 'exponential',
      scoreBatches: 1,
    });
    expect(resolvePruneSteps([{ mode: 'global-neuron', amount: 0.5 }], 5)[0].layers).toEqual([1, 2, 3, 4]);
    expect(resolvePruneSteps([{ mode: 'layer-neuron', amount: 0.5, layers: [3, 1] }], 5)[0].layers).toEqual([1, 3]);
  });
});

describe('applyMask', () => {
  it('zeroes pruned entries exactly (+0, also for negative weights) and keeps the rest bit for bit', () => {
    const w = f32([-0.5, 0.25, -1e-30, 3]);
    const out = applyMask(w, mask([0, 1, 0, 1]));
    expect(Object.is(out[0], 0)).toBe(true);
    expect(Object.is(out[2], 0)).toBe(true);
    expect(out[1]).toBe(w[1]);
    expect(out[3]).toBe(w[3]);
    expect(w[0]).toBe(-0.5); // not modified
    applyMaskInPlace(w, mask([1, 1, 0, 0]));
    expect(Array.from(w)).toEqual([-0.5, 0.25, 0, 0]);
    expect(() => applyMask(w, mask([1]))).toThrow(/mask: has 1 entries, expected 4/);
  });
});
