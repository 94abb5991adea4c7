import { describe, expect, it } from 'vitest';
import { analyzeMasks, biasMaskFromWeightMask, skippableInputColumns } from '../../src/prune/index.ts';

const mask = (xs: number[]) => Uint8Array.from(xs);
// A 2-2-2-1 net: layers 1 and 2 are 2 → 2 (rows = neurons, 2 inputs each), layer 3 is 2 → 1.
const shapes = [
  { out: 2, in: 2 },
  { out: 2, in: 2 },
  { out: 1, in: 2 },
];
const full = () => [mask([1, 1, 1, 1]), mask([1, 1, 1, 1]), mask([1, 1])];

describe('analyzeMasks', () => {
  it('an unpruned net: everything kept, alive and connected, no collapse', () => {
    const r = analyzeMasks(shapes, full());
    expect(r.collapse).toBe(false);
    expect(r.reason).toBeUndefined();
    expect(r.kept).toBe(10);
    expect(r.total).toBe(10);
    expect(r.layers).toEqual([
      { layer: 1, kept: 4, effectiveKept: 4, total: 4, neurons: 2, neuronsAlive: 2, neuronsConnected: 2, constantUnits: 0, collapsed: false },
      { layer: 2, kept: 4, effectiveKept: 4, total: 4, neurons: 2, neuronsAlive: 2, neuronsConnected: 2, constantUnits: 0, collapsed: false },
      { layer: 3, kept: 2, effectiveKept: 2, total: 2, neurons: 1, neuronsAlive: 1, neuronsConnected: 1, constantUnits: 0, collapsed: false },
    ]);
    expect(r.effectiveKept).toBe(10);
  });

  it('a layer with all weights pruned collapses the net and is named as the reason', () => {
    const m = full();
    m[1] = mask([0, 0, 0, 0]);
    const r = analyzeMasks(shapes, m);
    expect(r.collapse).toBe(true);
    expect(r.reason).toMatch(/^layer 2 \(2→2\) has all 4 weights pruned/);
    expect(r.layers.map((l) => l.collapsed)).toEqual([false, true, true]);
    // layer 1 still carries input information, but none of it reaches the output
    expect(r.layers[0].neuronsAlive).toBe(2);
    expect(r.layers[0].neuronsConnected).toBe(0);
    expect(r.layers[1].neuronsAlive).toBe(0);
  });

  it('a disconnected path collapses the net although every layer keeps weights', () => {
    // layer 1: neuron 1's row is pruned (it outputs the constant act(b));
    // layer 2 keeps only the weights that read neuron 1 → nothing reachable.
    const m = [mask([1, 1, 0, 0]), mask([0, 1, 0, 1]), mask([1, 1])];
    const r = analyzeMasks(shapes, m);
    expect(r.layers.map((l) => l.kept)).toEqual([2, 2, 2]);
    expect(r.layers[1].neuronsAlive).toBe(2); // locally both rows have kept weights...
    expect(r.layers[1].collapsed).toBe(true); // ...but neither reads a reachable unit
    expect(r.collapse).toBe(true);
    expect(r.reason).toMatch(/^layer 2 \(2→2\) keeps 2 weights, but all of them read units cut off from the inputs/);
  });

  it('follows paths through the layers: the output must read a reachable neuron', () => {
    // layer 1 neuron 1 dead; layer 2 neuron 0 reads layer-1 neuron 0 (reachable),
    // layer 2 neuron 1 reads only the dead layer-1 neuron 1 (unreachable).
    const reads = (outMask: number[]) => analyzeMasks(shapes, [mask([1, 1, 0, 0]), mask([1, 0, 0, 1]), mask(outMask)]);
    const viaUnreachable = reads([0, 1]);
    expect(viaUnreachable.collapse).toBe(true);
    expect(viaUnreachable.reason).toMatch(/^layer 3 \(2→1\) keeps 1 weights/);
    expect(viaUnreachable.layers[1].collapsed).toBe(false);
    const viaReachable = reads([1, 0]);
    expect(viaReachable.collapse).toBe(false);
    expect(viaReachable.layers.map((l) => l.neuronsConnected)).toEqual([1, 1, 1]);
  });

  it('a neuron whose outgoing weights are all pruned is alive but not connected', () => {
    const m = full();
    m[2] = mask([1, 0]); // the output ignores layer-2 neuron 1
    const r = analyzeMasks(shapes, m);
    expect(r.collapse).toBe(false);
    expect(r.layers[1].neuronsAlive).toBe(2);
    expect(r.layers[1].neuronsConnected).toBe(1);
    expect(r.layers[0].neuronsConnected).toBe(2);
  });

  it('effective kept weights: only those on an input→output path; unreachable units are constants', () => {
    // layer 1: neuron 1 has no kept row (constant act(b)); layer 2: neuron 0 reads
    // layer-1 neuron 0 (on a path) and neuron 1 (a constant: ineffective); neuron 1
    // reads both but the output ignores it (ineffective); the output reads neuron 0.
    const r = analyzeMasks(shapes, [mask([1, 1, 0, 0]), mask([1, 1, 1, 1]), mask([1, 0])]);
    expect(r.layers.map((l) => l.kept)).toEqual([2, 4, 1]);
    expect(r.layers.map((l) => l.effectiveKept)).toEqual([2, 1, 1]);
    expect(r.layers.map((l) => l.constantUnits)).toEqual([1, 0, 0]);
    expect(r.effectiveKept).toBe(4);
    expect(r.collapse).toBe(false);
    // A collapsed net has no effective weight anywhere, though every layer keeps some.
    const cut = analyzeMasks(shapes, [mask([1, 1, 0, 0]), mask([0, 1, 0, 1]), mask([1, 1])]);
    expect(cut.layers.map((l) => l.effectiveKept)).toEqual([0, 0, 0]);
    expect(cut.layers.map((l) => l.constantUnits)).toEqual([1, 2, 1]);
  });

  it('rejects shapes that do not chain and masks that do not fit', () => {
    expect(() =>
      analyzeMasks(
        [
          { out: 2, in: 2 },
          { out: 1, in: 3 },
        ],
        [mask([1, 1, 1, 1]), mask([1, 1, 1])],
      ),
    ).toThrow(/layers\[1\]\.in: is 3, but the previous layer has 2 outputs/);
    expect(() => analyzeMasks(shapes, [mask([1, 1, 1, 1]), mask([1, 1, 1, 1])])).toThrow(/masks: has 2 entries, expected one per layer \(3\)/);
    expect(() => analyzeMasks(shapes, [mask([1, 1, 1]), mask([1, 1, 1, 1]), mask([1, 1])])).toThrow(/layers\[0\]\.mask: has 3 entries, expected 4/);
  });
});

describe('skippableInputColumns and biasMaskFromWeightMask', () => {
  // 3 neurons × 2 inputs; neurons 0 and 2 have their whole row pruned, neuron 1 half of it
  const m = mask([0, 0, 1, 0, 0, 0]);
  const shape = { out: 3, in: 2 };

  it('lists the next layer’s input columns fed by dead neurons', () => {
    expect(Array.from(skippableInputColumns(m, shape))).toEqual([0, 2]);
    expect(Array.from(skippableInputColumns(mask([1, 1, 1, 1, 1, 1]), shape))).toEqual([]);
  });

  it('bias mask zeroes exactly the neurons with a fully pruned row', () => {
    expect(biasMaskFromWeightMask(m, shape)).toEqual(mask([0, 1, 0]));
  });
});
