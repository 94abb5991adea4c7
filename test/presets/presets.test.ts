import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPreset, findPreset, mergeDocuments, PRESET_NAMES, PRESETS } from '../../src/experiment/presets.ts';
import { parseSpec, specHash } from '../../src/experiment/spec.ts';
import { infoplane, repoRoot } from '../helpers/cli.ts';

const varU = resolve(repoRoot, '../shared/data/var_u.mat');
const haveVarU = existsSync(varU);
if (!haveVarU) console.warn(`skipping the preset runs on var_u.mat: ${varU} is absent (see shared/data/README.md)`);
const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-presets-'));

describe('the presets', () => {
  it("are the issue's set-ups, with the seed report's pruning settings as named variants", () => {
    expect(PRESET_NAMES).toEqual([
      'saxe-mnist',
      'tishby',
      'tishby-relu',
      'seed-report',
      'seed-report/lw95-L1',
      'seed-report/lw95-L2',
      'seed-report/lw95-L3',
      'seed-report/lw95-L4',
      'seed-report/lw95-L5',
      'seed-report/ln90-L2',
      'seed-report/gw65',
      'seed-report/gn40',
    ]);
  });

  it('saxe-mnist: 784-1024-20-20-20-10 tanh on full MNIST, SGD 0.001, batch 128, width:0.5 on the test set', () => {
    const s = parseSpec({ preset: 'saxe-mnist' });
    expect(s.data).toMatchObject({ source: 'mnist-full', task: 'label' });
    expect(s.net).toEqual({ hidden: [1024, 20, 20, 20], activation: 'tanh', init: 'glorot' });
    expect(s.train).toMatchObject({ optimizer: 'sgd', lr: 0.001, batchSize: 128, momentum: 0 });
    expect(s.mi).toMatchObject({ binning: ['width:0.5'], on: 'test' });
  });

  it('tishby / tishby-relu: IDNNs set-up, ordered split, MI on all patterns at log-spaced epochs', () => {
    for (const [name, activation, binning] of [
      ['tishby', 'tanh', 'idnns:30'],
      ['tishby-relu', 'relu', 'adaptive:30'],
    ]) {
      const s = parseSpec({ preset: name, data: { source: 'mat:some.mat' } });
      expect(s.data).toEqual({ source: 'mat:some.mat', task: 'label', split: 'ordered' });
      expect(s.net).toEqual({ hidden: [10, 7, 5, 4, 3], activation, init: 'idnns' });
      expect(s.train).toMatchObject({ optimizer: 'adam', lr: 4e-4, batchSize: 256, epochs: 8000 });
      expect(s.mi).toMatchObject({ binning: [binning], on: 'all', epochs: 'log:100' });
      expect(s.preset).toBe(name);
    }
  });

  it('seed-report and its variants: the default net on mnist-full with one pruning step each', () => {
    const base = parseSpec({ preset: 'seed-report' });
    expect(base.data).toEqual({ source: 'mnist-full', task: 'parity', split: 'stratified' });
    expect(base.net.hidden).toEqual([1024, 20, 20, 20]);
    expect(base.prune.steps).toEqual([]);
    const steps = (name: string) => parseSpec({ preset: name }).prune.steps;
    expect(steps('seed-report/lw95-L3')).toEqual([{ mode: 'layer-weight', amount: 0.95, layers: [3] }]);
    expect(steps('seed-report/lw95-L5')).toEqual([{ mode: 'layer-weight', amount: 0.95, layers: [5] }]);
    expect(steps('seed-report/ln90-L2')).toEqual([{ mode: 'layer-neuron', amount: 0.9, layers: [2] }]);
    expect(steps('seed-report/gw65')).toEqual([{ mode: 'global-weight', amount: 0.65 }]);
    expect(steps('seed-report/gn40')).toEqual([{ mode: 'global-neuron', amount: 0.4 }]);
    // Apart from pruning, every variant is the baseline.
    for (const p of PRESETS.filter((q) => q.name.startsWith('seed-report/'))) {
      const { prune: _p, preset: _n, ...rest } = parseSpec({ preset: p.name });
      const { prune: _bp, preset: _bn, ...baseRest } = base;
      expect(rest).toEqual(baseRest);
    }
  });

  it('every preset resolves to a valid spec', () => {
    for (const p of PRESETS) expect(() => parseSpec({ preset: p.name, ...(p.requires ? { data: { source: 'mat:x.mat' } } : {}) })).not.toThrow();
  });
});

describe('resolving a preset', () => {
  it('fields given by the user win; objects merge, arrays replace', () => {
    const s = parseSpec({ preset: 'saxe-mnist', seed: 4, net: { activation: 'relu' }, train: { epochs: 3 }, mi: { binning: ['fixed:10'] } });
    expect(s.seed).toBe(4);
    expect(s.net).toEqual({ hidden: [1024, 20, 20, 20], activation: 'relu', init: 'glorot' });
    expect(s.train).toMatchObject({ epochs: 3, optimizer: 'sgd', lr: 0.001 });
    expect(s.mi.binning).toEqual(['fixed:10']);
    expect(mergeDocuments({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 1, e: 2 });
  });

  it('the preset name is a record, not part of the setting: equal settings hash equally', () => {
    const viaPreset = parseSpec({ preset: 'seed-report' });
    const { preset: _, ...plain } = viaPreset;
    expect(specHash(parseSpec(plain))).toBe(specHash(viaPreset));
    expect(specHash(parseSpec({ preset: 'seed-report/gw65' }))).not.toBe(specHash(viaPreset));
  });

  it('refuses an unknown preset, and a missing or wrong data file for tishby, naming the field', () => {
    expect(() => parseSpec({ preset: 'tishbi' })).toThrow(/^spec\.preset: unknown preset "tishbi": expected one of saxe-mnist, tishby, /);
    expect(() => parseSpec({ preset: 3 })).toThrow(/^spec\.preset: must be a preset name, got 3/);
    expect(() => parseSpec({ preset: 'tishby' })).toThrow(/^spec\.data\.source: preset tishby needs the Shwartz-Ziv & Tishby 12-bit set: give --data mat:FILE/);
    expect(() => parseSpec({ preset: 'tishby-relu', data: { source: 'mnist' } })).toThrow(
      /^spec\.data\.source: preset tishby-relu needs a mat:FILE source, got "mnist"/,
    );
    expect(applyPreset({ seed: 2 })).toEqual({ seed: 2 });
    expect(findPreset('tishby').requires?.kind).toBe('mat');
  });
});

describe('infoplane presets / run --preset', () => {
  it('prints every preset in full as JSON, or one by name; an unknown name exits 2', () => {
    const all = infoplane(['presets']);
    expect(all.status, all.stderr).toBe(0);
    const doc = JSON.parse(all.stdout);
    expect(Object.keys(doc)).toEqual(PRESET_NAMES);
    // In full: every section with its defaults filled in.
    expect(Object.keys(doc['seed-report'].spec).sort()).toEqual(['backend', 'data', 'mi', 'net', 'preset', 'prune', 'seed', 'train']);
    expect(doc['seed-report'].spec.train).toMatchObject({ beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(doc.tishby.spec.data.source).toBe('mat:FILE');
    expect(doc.tishby.requires['data.source']).toMatch(/^mat:FILE — /);
    const one = infoplane(['presets', 'seed-report/gw65']);
    expect(Object.keys(JSON.parse(one.stdout))).toEqual(['seed-report/gw65']);
    const bad = infoplane(['presets', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/presets: unknown preset "nope"/);
  });

  it.skipIf(!haveVarU)('tishby runs on var_u.mat with flags and spec fields overriding it (needs ../shared/data/var_u.mat)', () => {
    const dir = tmp();
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ preset: 'saxe-mnist', data: { source: `mat:${varU}` }, train: { epochs: 30 }, mi: { epochs: 'log:4' } }));
    // --preset overrides the file's preset; the file's fields override the preset's; flags override both.
    const out = join(dir, 'run');
    const r = infoplane(['run', '--spec', spec, '--preset', 'tishby', '--epochs', '12', '--seed', '3', '--quiet', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const resolved = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8'));
    expect(resolved).toMatchObject({
      preset: 'tishby',
      seed: 3,
      data: { source: `mat:${varU}`, task: 'label', split: 'ordered' },
      net: { hidden: [10, 7, 5, 4, 3], init: 'idnns' },
    });
    expect(resolved.train).toMatchObject({ epochs: 12, lr: 4e-4, batchSize: 256, optimizer: 'adam' });
    expect(resolved.mi).toMatchObject({ epochs: 'log:4', binning: ['idnns:30'], on: 'all' });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.data).toMatchObject({ trainRows: 3277, testRows: 819, features: 12, classes: 2 });
    const mi = readFileSync(join(out, 'mi.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(new Set(mi.map((m) => m.epoch))).toEqual(new Set([0, 1, 2, 5, 12]));
    expect(mi[0]).toMatchObject({ estimator: 'idnns:30', ceilingX: 12 }); // all 4096 patterns
  });

  it('run --preset tishby without --data exits 2 naming what to give, and writes nothing', () => {
    const out = join(tmp(), 'never');
    const r = infoplane(['run', '--preset', 'tishby', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/spec\.data\.source: preset tishby needs .*--data mat:FILE/);
    expect(existsSync(out)).toBe(false);
  });
});
