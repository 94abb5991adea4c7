// The reproduction under varied assumptions on synthetic journals: each
// variation's runs evaluated as the report's settings, whether each claim's
// verdict depends on the assumption, and reproduction.html showing the
// verdicts and figures side by side (opened in headless Chromium).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimDependence, dependenceOf, evaluateAssumptions, runsUnder } from '../../src/experiment/reproduce/assumptions.ts';
import { budgetFacts, reproductionAssumptions } from '../../src/experiment/reproduce/budget.ts';
import { evaluateReproduction, type SettingRuns } from '../../src/experiment/reproduce/evaluate.ts';
import { buildPlan } from '../../src/experiment/reproduce/plan.ts';
import { DEFAULT_OPTIONS, type ReproductionSetting, settingSpec } from '../../src/experiment/reproduce/settings.ts';
import { defaultValuesLabel } from '../../src/experiment/reproduce/variations.ts';
import { thresholdsOf } from '../../src/experiment/trials/thresholds.ts';
import { chanceAndTrained, whereItFailsCells } from '../../src/report/assumption-figures.ts';
import { dependenceReading } from '../../src/report/assumption-sentences.ts';
import { reproductionFiles } from '../../src/report/reproduction-files.ts';
import { haveChromium, openInChromium, warnIfNoChromium } from '../helpers/chromium.ts';
import { record, runs } from './synthetic.ts';

warnIfNoChromium('reproduction page under assumptions');

const options = { ...DEFAULT_OPTIONS, weightAmounts: [...DEFAULT_OPTIONS.weightAmounts], neuronAmounts: [...DEFAULT_OPTIONS.neuronAmounts] };
const { plan } = buildPlan(options);
const stuck = (n: number) => Array.from({ length: n }, (_, i) => record(i + 1, { acc: 0.507, accuracy: 'chance' }));

/**
 * Under the defaults (lr 0.001) and lr=0.01: trains at both limits, stuck at
 * chance at the next amounts (claim 4 reproduced). Under lr=0.03: stuck at
 * chance at both limits too (claim 4 not reproduced), and in 3 of 8
 * unpruned runs.
 */
function fill(s: ReproductionSetting) {
  if (s.of === 'gw70' || s.of === 'gn45') return stuck(s.seeds);
  if (s.variation === 'lr=0.03' && (s.of === 'gw65' || s.of === 'gn40')) return stuck(8);
  if (s.variation === 'lr=0.03' && s.of === 'baseline') return runs(8, (i) => (i < 3 ? { acc: 0.507, accuracy: 'chance' } : {}));
  return runs(s.seeds);
}
const all: SettingRuns[] = plan.settings.map((setting) => ({ setting, records: fill(setting) }));
const defaults = evaluateReproduction(runsUnder(all, null));
const under = evaluateAssumptions(all);
const dependence = claimDependence(defaults.claims, under);

describe('claims under varied assumptions', () => {
  it('evaluates each variation on its own runs, as the report’s settings', () => {
    expect(under.map((a) => a.name)).toEqual(['lr=0.01', 'lr=0.03']);
    expect(under[1].ran).toEqual(['baseline', 'gw65', 'gw70', 'gn40', 'gn45']);
    expect(under[1].values).toEqual({ lr: 0.03 });
    const gw = under[1].sweeps.find((s) => s.kind === 'global-weight')!;
    expect(gw.series.points.map((p) => [p.x, p.chance.count, p.chance.total])).toEqual([
      [0, 3, 8],
      [0.65, 8, 8],
      [0.7, 4, 4],
    ]);
  });

  it('says a claim depends on the assumption when its verdict flips, and which claims were not varied', () => {
    const c4 = dependence.find((d) => d.id === 4)!;
    expect(c4.verdicts.map((v) => [v.assumption, v.verdict])).toEqual([
      [null, 'reproduced'],
      ['lr=0.01', 'reproduced'],
      ['lr=0.03', 'not reproduced'],
    ]);
    expect(c4.dependence).toBe('flips');
    expect(dependenceReading(c4, 'lr=0.001')).toBe(
      'Depends on the assumption: reproduced under lr=0.001 (default); reproduced under lr=0.01; not reproduced under lr=0.03.',
    );
    // The layer settings are outside the default sensitivity set: claim 2 is not varied; claim 8 is, on 2 of its 8 pruned settings.
    expect(dependence.find((d) => d.id === 2)!.dependence).toBe('untested');
    expect(dependence.find((d) => d.id === 8)!.verdicts[1].coverage).toEqual({ ran: 2, of: 8 });
  });

  it('tells a flip from a shift between decided and undecided verdicts', () => {
    expect(dependenceOf(['reproduced', 'reproduced'])).toBe('same');
    expect(dependenceOf(['reproduced', 'no data'])).toBe('same');
    expect(dependenceOf(['reproduced', 'partly'])).toBe('shifts');
    expect(dependenceOf(['partly', 'not reproduced', 'reproduced'])).toBe('flips');
  });

  it('draws where it fails from every assumption, and finds a run stuck at chance beside a trained one', () => {
    const cells = whereItFailsCells(defaults, under, 'lr=0.001');
    const at = (series: string, panel: string, amount: number) => cells.find((c) => c.series === series && c.panel === panel && c.amount === amount);
    expect(at('lr=0.03', 'global weight pruning', 0.65)).toMatchObject({ count: 8, total: 8 });
    expect(at('lr=0.001 (default)', 'global weight pruning', 0.65)).toMatchObject({ count: 0, total: 8 });
    expect(at('lr=0.01', 'global neuron pruning', 0.45)).toMatchObject({ count: 4, total: 4, fraction: 1 });
    const pair = chanceAndTrained(all)!;
    expect([pair.chance.runs.setting.id, pair.chance.record.outcome.accuracy]).toEqual(['gw70', 'chance']);
    expect([pair.trained!.runs.setting.id, pair.trained!.record.outcome.accuracy]).toEqual(['baseline', 'trained']);
  });
});

describe.skipIf(!haveChromium)('reproduction.html under varied assumptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infoplane-assumptions-'));
  let json: { assumptions: { dependence: { id: number; dependence: string }[]; variations: { name: string }[] } };

  beforeAll(async () => {
    const spec = settingSpec(plan.settings[0], options);
    const files = await reproductionFiles({
      plan,
      reproduction: defaults,
      runs: runsUnder(all, null),
      curves: () => null,
      timing: [],
      dir: 'runs/reproduce-seed-report',
      labels: thresholdsOf(spec),
      budget: budgetFacts(plan.options, 20),
      assumptions: reproductionAssumptions(spec, plan.options),
      variations: {
        vary: plan.options.vary,
        scope: plan.options.varyScope,
        defaultLabel: defaultValuesLabel(plan.options.vary, spec),
        results: under,
        dependence,
        allRuns: all,
      },
    });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    json = JSON.parse(files['reproduction.json']);
  }, 120_000);

  it('holds the verdicts per assumption in reproduction.json', () => {
    expect(json.assumptions.variations.map((v) => v.name)).toEqual(['lr=0.01', 'lr=0.03']);
    expect(json.assumptions.dependence.find((d) => d.id === 4)!.dependence).toBe('flips');
  });

  it('shows each claim’s verdict and figure under each assumption beside the default, without console errors', async () => {
    const { errors, seen } = await openInChromium(join(dir, 'reproduction.html'), (page) =>
      page.evaluate(() => {
        const c4 = document.querySelector('#claim-4')!;
        const size = (f: Element) => {
          const box = f.querySelector('svg')?.getBoundingClientRect();
          return { id: f.id, width: box?.width ?? 0, height: box?.height ?? 0 };
        };
        const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
        return {
          dependence: c4.querySelector('.under-assumptions')?.getAttribute('data-dependence'),
          reading: c4.querySelector('.under-assumptions .reading')?.textContent,
          rows: [...c4.querySelectorAll('.assumption-verdicts tbody tr')].map((r) => [
            r.getAttribute('data-assumption'),
            r.querySelector('.verdict')?.textContent,
          ]),
          sideBySide: [...c4.querySelectorAll('.side-by-side[data-figure="trainability"] figure')].map(size),
          whereItFails: [...c4.querySelectorAll('#fig-where-it-fails')].map(size),
          chancePlane: [...c4.querySelectorAll('#fig-chance-plane')].map(size),
          claim2Varied: document.querySelector('#claim-2 .under-assumptions') !== null,
          dependenceColumn: [...document.querySelectorAll('#verdicts tbody tr')].map((r) => r.lastElementChild?.textContent),
          varied: document.querySelector('#varied')?.textContent ?? '',
          duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
        };
      }),
    );
    expect(errors).toEqual([]);
    expect(seen.dependence).toBe('flips');
    expect(seen.reading).toMatch(/^Depends on the assumption: reproduced under lr=0.001 \(default\)/);
    expect(seen.rows).toEqual([
      ['default', 'reproduced'],
      ['lr=0.01', 'reproduced'],
      ['lr=0.03', 'not reproduced'],
    ]);
    expect(seen.sideBySide.map((f) => f.id)).toEqual(['fig-trainability', 'fig-trainability@lr=0.01', 'fig-trainability@lr=0.03']);
    for (const f of [...seen.sideBySide, ...seen.whereItFails, ...seen.chancePlane]) {
      expect(f.width, f.id).toBeGreaterThan(150);
      expect(f.height, f.id).toBeGreaterThan(100);
    }
    expect(seen.whereItFails).toHaveLength(1);
    expect(seen.chancePlane).toHaveLength(1);
    expect(seen.claim2Varied).toBe(false);
    expect(seen.dependenceColumn[3]).toBe('depends');
    expect(seen.dependenceColumn[1]).toBe('not varied');
    expect(seen.varied).toMatch(/lr = 0.001, 0.01, 0.03 .* on the settings claim 4 tests \(baseline, gw65, gw70, gn40, gn45\)/);
    expect(seen.duplicateIds).toEqual([]);
  }, 60_000);
});
