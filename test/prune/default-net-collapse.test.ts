// DESIGN.md, "Pruning": global L1 at init on 784-1024-20-20-20-2 removes the
// whole 1024→20 layer at 90%, because its init bound 1/√1024 = 1/32 is below
// layer 1's 1/√784 = 1/28, and the tool must flag this as layer collapse.
//
// Why, independently of this code: with nn.Linear's init w ~ U(±1/√fan_in),
// a global threshold t keeps about 802 816 (1 − 28t) of layer 1's weights
// (t < 1/28), 20 480 (1 − 32t) of layer 2's, and about 840 (1 − √20 t) of
// the 20-wide layers'. Keeping 10% of 824 136 = 82 414 weights needs
// 802 816 (1 − 28t) ≈ 81 700, i.e. t ≈ 0.0321 > 1/32: nothing of layer 2
// survives. At 65% pruned, t ≈ 0.65/28 ≈ 0.0232 < 1/32 keeps ≈ 26% of layer 2.

import { describe, expect, it } from 'vitest';
import { analyzeMasks, applyPrunePlan } from '../../src/prune/index.ts';
import { Rng } from '../../src/core/rng.ts';

const SIZES = [784, 1024, 20, 20, 20, 2];

/** PyTorch nn.Linear init: weights U(−1/√fan_in, 1/√fan_in), as float32. */
function initNet(seed: number) {
  const rng = new Rng(seed);
  return SIZES.slice(1).map((out, l) => {
    const fanIn = SIZES[l];
    const bound = 1 / Math.sqrt(fanIn);
    const weight = new Float32Array(out * fanIn);
    for (let i = 0; i < weight.length; i++) weight[i] = (2 * rng.nextFloat() - 1) * bound;
    return { out, in: fanIn, weight };
  });
}

const TOTAL = 784 * 1024 + 1024 * 20 + 20 * 20 + 20 * 20 + 20 * 2; // 824 136

describe.each([1, 2, 3])('default net, global L1 at init (seed %i)', (seed) => {
  const net = initNet(seed);

  it('at 0.9 prunes the whole 1024→20 layer and flags collapse', () => {
    const { weightMasks } = applyPrunePlan(net, [{ mode: 'global-weight', amount: 0.9 }]);
    const report = analyzeMasks(net, weightMasks);
    expect(report.total).toBe(TOTAL);
    expect(report.kept).toBe(TOTAL - Math.round(0.9 * TOTAL)); // 0.9 × 824136 = 741722.4 → 741722
    expect(report.layers[1].kept).toBe(0);
    expect(report.layers[0].kept).toBeGreaterThan(0);
    expect(report.collapse).toBe(true);
    expect(report.reason).toMatch(/^layer 2 \(1024→20\) has all 20480 weights pruned/);
    expect(report.layers.map((l) => l.collapsed)).toEqual([false, true, true, true, true]);

    // global means one threshold: every kept |w| is >= every pruned |w|
    let maxPruned = 0;
    let minKept = Infinity;
    net.forEach((layer, l) => {
      for (let i = 0; i < layer.weight.length; i++) {
        const v = Math.abs(layer.weight[i]);
        if (weightMasks[l][i]) minKept = Math.min(minKept, v);
        else maxPruned = Math.max(maxPruned, v);
      }
    });
    expect(minKept).toBeGreaterThanOrEqual(maxPruned);
    expect(minKept).toBeGreaterThan(1 / 32);
    expect(minKept).toBeLessThan(1 / 28);
  });

  it('at 0.65 keeps part of every layer and does not collapse', () => {
    const { weightMasks } = applyPrunePlan(net, [{ mode: 'global-weight', amount: 0.65 }]);
    const report = analyzeMasks(net, weightMasks);
    expect(report.kept).toBe(TOTAL - 535688); // round(0.65 × 824136 = 535688.4)
    expect(report.collapse).toBe(false);
    expect(report.reason).toBeUndefined();
    for (const layer of report.layers) {
      expect(layer.collapsed).toBe(false);
      expect(layer.neuronsConnected).toBeGreaterThan(0);
    }
    // ≈ 26% of layer 2 (see above); allow for sampling noise
    expect(report.layers[1].kept / report.layers[1].total).toBeGreaterThan(0.2);
    expect(report.layers[1].kept / report.layers[1].total).toBeLessThan(0.32);
  });
});
