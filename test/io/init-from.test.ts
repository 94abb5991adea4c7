// --init-from: a .npz of torch state_dict names onto the net, validated; and
// the save schedule of --save-epochs.
import { InputError } from '../../src/core/input-error.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveEpochs } from '../../src/experiment/array-export.ts';
import { initFromNpz } from '../../src/io/init-from.ts';
import type { NdArray } from '../../src/io/npy.ts';
import { encodeNpz } from '../../src/io/npz.ts';
import { createNetwork } from '../../src/train/network.ts';
import { repoRoot } from '../helpers/cli.ts';

const dir = join(repoRoot, 'test/fixtures/npy');
const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as { init: Record<string, { first: number; sum: number }> };
const tmp = mkdtempSync(join(tmpdir(), 'infoplane-init-'));
let files = 0;
function npz(arrays: Record<string, NdArray>): string {
  const path = join(tmp, `w${files++}.npz`);
  writeFileSync(path, encodeNpz(Object.entries(arrays).map(([name, array]) => ({ name, array }))));
  return path;
}
const f32 = (shape: number[], v = 0.01) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v), shape });
const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('initFromNpz', () => {
  it('loads a state_dict numpy wrote for nn.Sequential(Linear, Tanh, Linear)', () => {
    const net = createNetwork([784, 8, 2], 'tanh');
    const report = initFromNpz(net, join(dir, 'init-784-8-2.npz'));
    expect(report.layers).toEqual([
      { weight: '0.weight', bias: '0.bias' },
      { weight: '2.weight', bias: '2.bias' },
    ]);
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    const params = { '0.weight': net.layers[0].weight, '0.bias': net.layers[0].bias, '2.weight': net.layers[1].weight, '2.bias': net.layers[1].bias };
    for (const [name, values] of Object.entries(params)) {
      expect(values[0]).toBe(fixtures.init[name].first);
      expect(sum(values)).toBeCloseTo(fixtures.init[name].sum, 4);
    }
  });

  it('takes layers.K names, float64 (rounded to float32) and any common prefix', () => {
    const net = createNetwork([3, 2, 1], 'tanh');
    initFromNpz(
      net,
      npz({
        'layers.0.weight': { data: Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), shape: [2, 3] },
        'layers.0.bias': f32([2], 1),
        'layers.1.weight': f32([1, 2], 2),
        'layers.1.bias': f32([1], 3),
      }),
    );
    expect(net.layers[0].weight).toEqual(Float32Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6));
    expect([...net.layers[1].weight, ...net.layers[1].bias]).toEqual([2, 2, 3]);
    initFromNpz(
      net,
      npz({ 'module.net.0.weight': f32([2, 3]), 'module.net.0.bias': f32([2]), 'module.net.4.weight': f32([1, 2], 5), 'module.net.4.bias': f32([1]) }),
    );
    expect(net.layers[1].weight[0]).toBe(5);
  });

  const net = () => createNetwork([3, 2, 1], 'tanh');
  const good = { '0.weight': f32([2, 3]), '0.bias': f32([2]), '2.weight': f32([1, 2]), '2.bias': f32([1]) };
  const bad: [string, Record<string, NdArray>, RegExp][] = [
    [
      'a weight of the wrong shape',
      { ...good, '0.weight': f32([3, 2]) },
      /:0\.weight: shape \(3, 2\) does not fit layer 1 of the net 3-2-1: expected \(2, 3\) = \(out, in\)/,
    ],
    ['a bias of the wrong shape', { ...good, '2.bias': f32([2]) }, /:2\.bias: shape \(2,\) does not fit layer 2 .*expected \(1,\)/],
    ['too few layers', { '0.weight': f32([2, 3]), '0.bias': f32([2]) }, /holds 1 Linear layer \(indices 0\), the net 3-2-1 has 2/],
    ['a missing bias', { '0.weight': f32([2, 3]), '0.bias': f32([2]), '2.weight': f32([1, 2]) }, /layer 2 \(index 2\) has no bias; expected 2\.bias/],
    ['an unexpected name', { ...good, 'bn.running_mean': f32([2]) }, /:bn\.running_mean: unexpected array name/],
    [
      'a pruned torch module',
      { ...good, '0.weight_orig': f32([2, 3]), '0.weight_mask': f32([2, 3]) },
      /:0\.weight_orig: this is a pruned torch module's state_dict/,
    ],
    ['integer weights', { ...good, '0.bias': { data: Int32Array.of(1, 2), shape: [2] } }, /:0\.bias: weights must be float32 or float64, got int32/],
    ['a NaN', { ...good, '2.weight': { data: Float32Array.of(0, NaN), shape: [1, 2] } }, /:2\.weight: element 1 is NaN/],
    ['mixed prefixes', { '0.weight': f32([2, 3]), '0.bias': f32([2]), 'layers.1.weight': f32([1, 2]), 'layers.1.bias': f32([1]) }, /different prefixes/],
  ];
  it.each(bad)('refuses %s, naming the file and array, and leaves the net untouched', (_name, arrays, message) => {
    const n = net();
    const path = npz(arrays);
    expect(() => initFromNpz(n, path)).toThrow(InputError);
    expect(() => initFromNpz(n, path)).toThrow(message);
    expect(n.layers.every((l) => l.weight.every((v) => v === 0) && l.bias.every((v) => v === 0))).toBe(true);
  });

  it('refuses a file that is not an archive', () => {
    expect(() => initFromNpz(net(), join(dir, 'f4-c.npy'))).toThrow(/f4-c\.npy: not a \.npz file: bad magic/);
    expect(() => initFromNpz(net(), join(tmp, 'none.npz'))).toThrow(/none\.npz: cannot read: no such file/);
  });
});

describe('saveEpochs', () => {
  it('reads all, lists and log:K like MI', () => {
    expect(saveEpochs('all', 3)).toEqual([0, 1, 2, 3]);
    expect(saveEpochs('5,0,2,1', 20)).toEqual([0, 1, 2, 5]);
    expect(saveEpochs('0,log:4', 100)).toEqual([0, 1, 5, 22, 100]);
    expect(() => saveEpochs('0,30', 20)).toThrow(/spec\.save\.epochs: epoch 30 is after the last epoch of training \(20\)/);
  });
});
