// Varying the report's unstated assumptions: --vary parsing and its
// refusals (exit 2 naming the key and the value), which settings run under
// which combination with which spec, and what --dry-run projects.
import { describe, expect, it } from 'vitest';
import { projectReproduction } from '../../src/experiment/reproduce/budget.ts';
import { buildPlan, planDifferences } from '../../src/experiment/reproduce/plan.ts';
import { DEFAULT_OPTIONS, type ReproductionOptions } from '../../src/experiment/reproduce/settings.ts';
import { parseVaryArg, variations } from '../../src/experiment/reproduce/variations.ts';
import { parseSpec } from '../../src/experiment/spec.ts';
import { inProcess } from '../trials/cli.ts';

const defaults: ReproductionOptions = {
  ...DEFAULT_OPTIONS,
  weightAmounts: [...DEFAULT_OPTIONS.weightAmounts],
  neuronAmounts: [...DEFAULT_OPTIONS.neuronAmounts],
};
const DEFAULT_IDS = [
  'baseline',
  'lw95-L1',
  'lw95-L2',
  'lw95-L3',
  'lw95-L4',
  'lw95-L5',
  'ln90-L2',
  'gw50',
  'gw65',
  'gw70',
  'gw80',
  'gw85',
  'gw90',
  'gw95',
  'gn20',
  'gn30',
  'gn40',
  'gn45',
  'gn50',
  'gn60',
  'gn70',
];

describe('--vary KEY=V1,V2,…', () => {
  it('parses every key to the value the spec takes', () => {
    expect(parseVaryArg('lr=0.001,0.010, 3e-2')).toEqual({ key: 'lr', values: [0.001, 0.01, 0.03] });
    expect(parseVaryArg('optimizer=adam,sgd')).toEqual({ key: 'optimizer', values: ['adam', 'sgd'] });
    expect(parseVaryArg('epochs=5,20')).toEqual({ key: 'epochs', values: [5, 20] });
    expect(parseVaryArg('init=torch,glorot,idnns')).toEqual({ key: 'init', values: ['torch', 'glorot', 'idnns'] });
    expect(parseVaryArg('batch-size=32,512')).toEqual({ key: 'batch-size', values: [32, 512] });
    expect(parseVaryArg('data=mnist,mnist-full')).toEqual({ key: 'data', values: ['mnist', 'mnist-full'] });
  });

  it.each([
    ['lr=-0.1', /^--vary lr: "-0.1" is not a positive number \(train\.lr\)/],
    ['lr=abc', /^--vary lr: "abc"/],
    ['epochs=2.5', /^--vary epochs: "2.5" is not an integer/],
    ['batch-size=0', /^--vary batch-size: "0" is not an integer in 1 … 65536/],
    ['optimizer=rmsprop', /^--vary optimizer: "rmsprop" is not one of adam, sgd/],
    ['init=he', /^--vary init: "he" is not one of torch, idnns, glorot/],
    ['data=idx:', /^--vary data: "idx:" is not a data source \(mnist, mnist-full, idx:DIR or mat:FILE\)/],
    ['momentum=0.9', /^--vary: unknown key "momentum" \(known: lr, optimizer, epochs, init, batch-size, data\)/],
    ['lr', /^--vary: expected KEY=V1,V2,…/],
    ['lr=', /^--vary lr: no values/],
    ['lr=0.01,0.010', /^--vary lr: value 0.01 appears twice/],
  ])('refuses %s, naming the key and the value', (arg, message) => {
    expect(() => parseVaryArg(arg)).toThrow(message);
  });

  it('makes every combination, without the one that is the default, named by the values that differ', () => {
    const spec = parseSpec({ preset: 'seed-report' });
    const v = variations([parseVaryArg('lr=0.001,0.03'), parseVaryArg('optimizer=adam,sgd')], spec);
    expect(v).toEqual([
      { name: 'optimizer=sgd', values: { optimizer: 'sgd' } },
      { name: 'lr=0.03', values: { lr: 0.03 } },
      { name: 'lr=0.03_optimizer=sgd', values: { lr: 0.03, optimizer: 'sgd' } },
    ]);
    expect(variations([parseVaryArg('lr=0.001')], spec)).toEqual([]);
  });
});

describe('the plan under variations', () => {
  it('runs the default sensitivity set (Adam lr 0.01 and 0.03) on the settings claim 4 tests, with the rate in their specs', () => {
    const { plan, specs } = buildPlan(defaults);
    expect(plan.settings.filter((s) => s.variation === null).map((s) => s.id)).toEqual(DEFAULT_IDS);
    const varied = plan.settings.filter((s) => s.variation !== null);
    expect(varied.map((s) => `${s.id}:${s.seeds}`)).toEqual(
      ['lr=0.01', 'lr=0.03'].flatMap((v) => [`baseline@${v}:8`, `gw65@${v}:8`, `gw70@${v}:4`, `gn40@${v}:8`, `gn45@${v}:4`]),
    );
    for (const [i, s] of plan.settings.entries()) {
      expect(specs[i].train.lr).toBe(s.variation === null ? 0.001 : Number(s.variation.slice(3)));
      const base = plan.settings.find((d) => d.id === s.of)!;
      expect(specs[i].prune).toEqual(specs[plan.settings.indexOf(base)].prune);
    }
    expect(new Set(plan.settings.map((s) => s.specHash)).size).toBe(plan.settings.length);
  });

  it('runs every setting under each combination of --vary, and refuses to resume a directory of other variations', () => {
    const { plan, specs } = buildPlan({ ...defaults, vary: [parseVaryArg('epochs=20,5'), parseVaryArg('init=torch,glorot')], varyScope: 'all' });
    const names = [...new Set(plan.settings.map((s) => s.variation))];
    expect(names).toEqual([null, 'init=glorot', 'epochs=5', 'epochs=5_init=glorot']);
    for (const name of names.slice(1)) expect(plan.settings.filter((s) => s.variation === name).map((s) => s.of)).toEqual(DEFAULT_IDS);
    const at = (id: string) => specs[plan.settings.findIndex((s) => s.id === id)];
    expect(at('gn40@epochs=5_init=glorot')).toMatchObject({ train: { epochs: 5 }, net: { init: 'glorot' } });
    expect(at('gn40@init=glorot').train.epochs).toBe(20);
    const other = buildPlan({ ...defaults, vary: [], varyScope: 'all' }).plan;
    expect(planDifferences(plan, other)[0]).toMatch(/^vary: \[\{"key":"epochs","values":\[20,5\]\}.* in the directory, \[\] in this command/);
  });

  it('projects the variations’ cost from each setting’s epochs and data', () => {
    const none = projectReproduction(buildPlan({ ...defaults, vary: [], varyScope: 'all' }).plan, 2);
    const withDefault = projectReproduction(buildPlan(defaults).plan, 2);
    expect(withDefault.runs - none.runs).toBe(64);
    const longer = projectReproduction(buildPlan({ ...defaults, vary: [parseVaryArg('epochs=40')], varyScope: 'all' }).plan, 2);
    // Twice the epochs under the variation: about three times the worker time of the defaults alone.
    expect((longer.seconds - 30) / (none.seconds - 30)).toBeCloseTo(3, 1);
    const embedded = projectReproduction(buildPlan({ ...defaults, vary: [parseVaryArg('data=mnist')], varyScope: 'all' }).plan, 2);
    expect(embedded.seconds - none.seconds).toBeLessThan((none.seconds - 30) * 0.2);
  });
});

describe('infoplane reproduce --vary (command line)', () => {
  it.each([
    [['--vary', 'lr=fast'], /--vary lr: "fast" is not a positive number/],
    [['--vary', 'width=10'], /--vary: unknown key "width"/],
    [['--vary', 'lr=0.01', '--vary', 'lr=0.03'], /--vary lr: the key is given twice/],
  ])('exits 2 on %j before running anything', async (args, message) => {
    const r = await inProcess(['reproduce', 'seed-report', ...args, '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--dry-run lists each variation’s settings and what they add', async () => {
    const r = await inProcess(['reproduce', 'seed-report', '--dry-run', '--workers', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^defaults: 21 settings, 120 runs/m);
    expect(r.stdout).toMatch(/^under lr=0\.01: 5 settings, 32 runs/m);
    expect(r.stdout).toMatch(/^under lr=0\.03: 5 settings, 32 runs/m);
    expect(r.stdout).toMatch(/the variations add 64 runs, 5\d% of the defaults' worker time/);
    const alone = await inProcess(['reproduce', 'seed-report', '--dry-run', '--no-vary']);
    expect(alone.stdout).not.toMatch(/under /);
    const all = await inProcess(['reproduce', 'seed-report', '--dry-run', '--vary', 'optimizer=sgd']);
    expect(all.stdout).toMatch(/^under optimizer=sgd: 21 settings, 120 runs/m);
  });
});
