// The reproduction's settings and plan: which specs run, how many seeds each,
// the seed-major job order and its shards, and what a directory refuses.
import { describe, expect, it } from 'vitest';
import { projectReproduction } from '../../src/experiment/reproduce/budget.ts';
import { buildPlan, planDifferences } from '../../src/experiment/reproduce/plan.ts';
import { DEFAULT_OPTIONS, plannedJobs, type ReproductionOptions } from '../../src/experiment/reproduce/settings.ts';
import { shardItems } from '../../src/experiment/trials/shard.ts';

const defaults: ReproductionOptions = {
  ...DEFAULT_OPTIONS,
  weightAmounts: [...DEFAULT_OPTIONS.weightAmounts],
  neuronAmounts: [...DEFAULT_OPTIONS.neuronAmounts],
};

describe('reproduction settings', () => {
  const { plan, specs } = buildPlan(defaults);

  it('runs the report’s named settings with every seed and the sweep-only amounts with half', () => {
    expect(plan.settings.filter((s) => s.variation === null).map((s) => `${s.id}:${s.seeds}`)).toEqual([
      'baseline:8',
      'lw95-L1:8',
      'lw95-L2:8',
      'lw95-L3:8',
      'lw95-L4:8',
      'lw95-L5:8',
      'ln90-L2:8',
      'gw50:4',
      'gw65:8',
      'gw70:4',
      'gw80:4',
      'gw85:4',
      'gw90:4',
      'gw95:4',
      'gn20:4',
      'gn30:4',
      'gn40:8',
      'gn45:4',
      'gn50:4',
      'gn60:4',
      'gn70:4',
    ]);
    expect(new Set(plan.settings.map((s) => s.specHash)).size).toBe(plan.settings.length);
  });

  it('builds each spec from its seed-report preset, with MI on the test images and the report’s 98% as the baseline', () => {
    const spec = (id: string) => specs[plan.settings.findIndex((s) => s.id === id)];
    for (const s of specs.filter((_, i) => plan.settings[i].variation === null)) {
      expect(s).toMatchObject({
        data: { source: 'mnist-full', task: 'parity' },
        net: { hidden: [1024, 20, 20, 20], activation: 'tanh' },
        train: { epochs: 20, optimizer: 'adam', lr: 0.001, batchSize: 128 },
        mi: { on: 'test', epochs: 'every' },
        outcomes: { baselineAcc: 0.98 },
      });
      expect(s.data.trainSize).toBeUndefined();
    }
    expect(spec('baseline').mi.binning).toEqual(['fixed:30', 'fixed:10', 'fixed:100']);
    expect(spec('gw65').mi.binning).toEqual(['fixed:30', 'fixed:10', 'fixed:100']);
    expect(spec('gn40').mi.binning).toEqual(['fixed:30']);
    expect(spec('lw95-L3').prune.steps).toEqual([{ mode: 'layer-weight', amount: 0.95, layers: [3] }]);
    expect(spec('ln90-L2').prune.steps).toEqual([{ mode: 'layer-neuron', amount: 0.9, layers: [2] }]);
    expect(spec('gn70').prune.steps).toEqual([{ mode: 'global-neuron', amount: 0.7 }]);
    expect(spec('baseline').preset).toBe('seed-report');
    expect(spec('gw65').preset).toBe('seed-report/gw65');
    const small = buildPlan({ ...defaults, subset: 2000, epochs: 2 });
    expect(small.specs[0].data).toMatchObject({ trainSize: 1600, testSize: 400 });
    expect(planDifferences(plan, small.plan)).toEqual([
      'epochs: 20 in the directory, 2 in this command',
      'subset: null in the directory, 2000 in this command',
    ]);
    expect(planDifferences(plan, buildPlan({ ...defaults, seeds: 50 }).plan)).toEqual([]);
  });

  it('orders jobs seed-major, so that every shard and every early stop covers every setting', () => {
    const jobs = plannedJobs([{ seeds: 2 }, { seeds: 1 }, { seeds: 3 }]);
    expect(jobs).toEqual([
      { setting: 0, seed: 1 },
      { setting: 1, seed: 1 },
      { setting: 2, seed: 1 },
      { setting: 0, seed: 2 },
      { setting: 2, seed: 2 },
      { setting: 2, seed: 3 },
    ]);
    const all = plannedJobs(plan.settings);
    expect(all).toHaveLength(plan.settings.reduce((n, s) => n + s.seeds, 0));
    const shards = [0, 1, 2].map((index) => shardItems(all, { index, count: 3 }));
    expect(shards.flat().length).toBe(all.length);
    expect(new Set(shards.flat().map((j) => `${j.setting}/${j.seed}`)).size).toBe(all.length);
  });

  it('projects the default budget, its sensitivity set included, at about an hour on this 2-core machine', () => {
    const p = projectReproduction(plan, 2);
    expect(p.runs).toBe(120 + 64);
    expect(p.seconds).toBeLessThan(3700);
    expect(projectReproduction(buildPlan({ ...defaults, vary: [] }).plan, 2).seconds).toBeLessThan(2400);
    expect(projectReproduction(buildPlan({ ...defaults, seeds: 80 }).plan, 2, 10).seconds).toBeLessThan(p.seconds * 1.2);
  });
});
