// The figures of reproduction.html that read across the assumptions: where
// training fails (the chance fraction over the amount under each assumption,
// the report's limits marked), and the information plane of a run stuck at
// chance beside a trained run of the same setting.
import type { AssumptionReproduction } from '../experiment/reproduce/assumptions.ts';
import type { Reproduction, SettingRuns } from '../experiment/reproduce/evaluate.ts';
import type { TrialRecord } from '../experiment/trials/record.ts';
import { assumptionLabel } from './assumption-sentences.ts';
import { type ChanceCell, chanceLinesSpec } from './chance-plots.ts';
import { renderSvg } from './render.ts';
import { type PlaneRow, planePanelsSpec } from './reproduction-plots.ts';
import type { Figure } from './run-figures.ts';

/** Per sweep and assumption (the defaults first), the chance fraction at each amount that ran. */
export function whereItFailsCells(defaults: Reproduction, under: readonly AssumptionReproduction[], defaultLabel: string): ChanceCell[] {
  const all: [string, Reproduction][] = [
    [assumptionLabel(null, defaultLabel), defaults],
    ...under.map((a): [string, Reproduction] => [assumptionLabel(a.name, defaultLabel), a]),
  ];
  return all.flatMap(([series, r]) =>
    r.sweeps.flatMap((sw) =>
      sw.series.points.map((p) => ({
        panel: sw.label,
        series,
        amount: p.x,
        count: p.chance.count,
        total: p.chance.total,
        fraction: p.chance.fraction,
        lo: p.chance.wilson95[0],
        hi: p.chance.wilson95[1],
      })),
    ),
  );
}

const measured = (r: TrialRecord) => r.status === 'ok' && (r.curve?.miEpochs.length ?? 0) > 0;
const acc = (r: TrialRecord) => (typeof r.final?.testAcc === 'number' ? `${(r.final.testAcc * 100).toFixed(1)}%` : '—');

/** The first run at chance level with a measured plane (defaults first, then each variation), and a trained run of the same setting (else of the unpruned defaults). */
export function chanceAndTrained(
  all: readonly SettingRuns[],
): { chance: { runs: SettingRuns; record: TrialRecord }; trained: { runs: SettingRuns; record: TrialRecord } | null } | null {
  for (const runs of all) {
    const record = [...runs.records].sort((a, b) => a.seed - b.seed).find((r) => measured(r) && r.outcome.accuracy === 'chance');
    if (!record) continue;
    const trainedOf = (s: SettingRuns | undefined) =>
      s ? [...s.records].sort((a, b) => a.seed - b.seed).find((r) => measured(r) && r.outcome.accuracy === 'trained') : undefined;
    const base = all.find((s) => s.setting.kind === 'baseline' && (s.setting.variation ?? null) === null);
    const same = trainedOf(runs);
    const trained = same ? { runs, record: same } : trainedOf(base) ? { runs: base!, record: trainedOf(base)! } : null;
    return { chance: { runs, record }, trained };
  }
  return null;
}

/** A run's plane from its journal line's curve (first estimator). */
export function runPlane(record: TrialRecord): Omit<PlaneRow, 'panel' | 'order'>[] {
  const c = record.curve;
  if (!c) return [];
  return Object.keys(c.ixt).flatMap((layer) => c.miEpochs.map((epoch, i) => ({ layer, epoch, ixt: c.ixt[layer][i], ity: c.ity[layer][i] })));
}

export async function assumptionFigures(
  defaults: Reproduction,
  under: readonly AssumptionReproduction[],
  defaultLabel: string,
  all: readonly SettingRuns[],
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const cells = whereItFailsCells(defaults, under, defaultLabel);
  if (cells.some((c) => c.total > 0)) {
    const limits = defaults.sweeps.map((sw) => ({ panel: sw.label, limit: sw.reportLimit }));
    const varied = under.length
      ? ` under each assumption (${[assumptionLabel(null, defaultLabel), ...under.map((a) => assumptionLabel(a.name, defaultLabel))].join('; ')})`
      : '';
    const svg = await renderSvg(
      chanceLinesSpec(
        cells,
        limits,
        'Runs at chance level (constant predictor or collapse) against the amount, Wilson 95% intervals; the report’s limits in red',
      ),
    );
    figures.push({ name: 'where-it-fails', title: `Where it fails: the fraction of runs stuck at chance against the pruned amount${varied}`, svg });
  }
  const pair = chanceAndTrained(all);
  if (pair) {
    const { chance, trained } = pair;
    const predicted = chance.record.predictedClassFractions;
    const which = predicted
      ? `; it predicts class ${predicted.indexOf(Math.max(...predicted))} for ${(Math.max(...predicted) * 100).toFixed(0)}% of the test inputs`
      : '';
    const rows: PlaneRow[] = runPlane(chance.record).map((p) => ({
      ...p,
      panel: `${chance.runs.setting.id} seed ${chance.record.seed}: chance, ${acc(chance.record)}`,
      order: 0,
    }));
    if (trained)
      rows.push(
        ...runPlane(trained.record).map((p) => ({
          ...p,
          panel: `${trained.runs.setting.id} seed ${trained.record.seed}: trained, ${acc(trained.record)}`,
          order: 1,
        })),
      );
    const title = trained
      ? 'A run stuck at chance level (left) beside a trained run (right)'
      : 'A run stuck at chance level (no run trained to compare it with)';
    const svg = await renderSvg(planePanelsSpec(rows, `${title}: information planes${which}`));
    figures.push({ name: 'chance-plane', title: 'What a run stuck at chance looks like in the information plane, beside a trained run', svg });
  }
  return figures;
}
