// The outputs of `infoplane reproduce`: reproduction.json (the evaluation:
// every claim's figures and verdict, every setting's summary), plots/*.svg
// and reproduction.html, rendered from the settings' journals (and the
// curves files, for the planes at other bin counts).
import type { MiRecord } from '../experiment/mi-measure.ts';
import type { AssumptionKey, BudgetFacts } from '../experiment/reproduce/budget.ts';
import type { Reproduction, SettingRuns } from '../experiment/reproduce/evaluate.ts';
import type { InvocationTiming, ReproductionPlan } from '../experiment/reproduce/plan.ts';
import { sustainedFall } from '../experiment/trials/classify.ts';
import { planeFacts, type TrialRecord } from '../experiment/trials/record.ts';
import { band } from '../experiment/trials/stats.ts';
import type { OutcomeCount } from '../experiment/trials/summary.ts';
import type { Incompleteness } from '../experiment/trials/shard-record.ts';
import type { OutcomeThresholds } from '../experiment/trials/thresholds.ts';
import type { AssumptionReproduction, ClaimDependence } from '../experiment/reproduce/assumptions.ts';
import { runsUnder } from '../experiment/reproduce/assumptions.ts';
import type { VaryAxis, VaryScope } from '../experiment/reproduce/variations.ts';
import { assumptionFigures, runPlane } from './assumption-figures.ts';
import { checkText } from './claim-sentences.ts';
import { renderSvg } from './render.ts';
import {
  type AccuracyRow,
  accuracyCurvesSpec,
  type BinsRow,
  binsPlaneSpec,
  type CompressionRow,
  compressionSpec,
  type PlaneRow,
  planePanelsSpec,
  pruningAtInitSpec,
  trainabilityLimitsSpec,
} from './reproduction-plots.ts';
import { renderReproductionPage } from './reproduction-page.ts';
import type { Figure } from './run-figures.ts';
import { outcomeFrequencySpec } from './trials-plots.ts';

/** The full curves of a kept run (curves/seed-N.json), or null. */
export type CurvesLoader = (settingId: string, seed: number) => { mi: MiRecord[] } | null;

export interface ReproductionInputs {
  plan: ReproductionPlan;
  reproduction: Reproduction;
  runs: readonly SettingRuns[];
  curves: CurvesLoader;
  timing: readonly InvocationTiming[];
  /** The directory, for replay commands on the page. */
  dir: string;
  /** The trials labels the runs were given (the settings' spec.outcomes over the defaults). */
  labels: OutcomeThresholds;
  budget: BudgetFacts;
  assumptions: { key: AssumptionKey; value: string }[];
  variations: VariationInputs;
  /** Only in a merge made with --allow-incomplete: what is missing. */
  incomplete?: Incompleteness;
}

/** The reproduction under each variation of the unstated assumptions (assumptions.ts). */
export interface VariationInputs {
  vary: readonly VaryAxis[];
  scope: VaryScope;
  /** The varied keys' values under the defaults, e.g. `lr=0.001`. */
  defaultLabel: string;
  results: AssumptionReproduction[];
  dependence: ClaimDependence[];
  /** Every setting's runs, the variations' included (ids `<setting>@<variation>`); `runs` holds the defaults' alone. */
  allRuns: readonly SettingRuns[];
}

/** A figure of a variation: `<figure>@<variation>`. */
export const variationFigureName = (name: string, variation: string) => `${name}@${variation}`;

/** The settings the report names: each gets its information plane. */
const planeSettings = (r: Reproduction) => r.settings.filter((s) => s.named).map((s) => s.id);

function rareText(rare: Reproduction['settings'][number]['rare'][number]): string {
  if (rare.kind === 'minority-outcome') return `${rare.outcome}, ${rare.acc === null || rare.acc === undefined ? '—' : `${(rare.acc * 100).toFixed(2)}%`}`;
  return rare.kind === 'odd-plane' ? `odd: ${checkText(rare.check!)}` : 'usual plane (rare here)';
}

const okRuns = (records: readonly TrialRecord[]) => records.filter((r) => r.status === 'ok' && r.outcome.accuracy !== 'diverged' && r.curve);

/** Median (I(X;T), I(T;Y)) per layer and epoch over the runs' first-estimator curves. */
export function medianPlane(records: readonly TrialRecord[]): Omit<PlaneRow, 'panel' | 'order'>[] {
  const curves = okRuns(records).map((r) => r.curve!);
  const rows: Omit<PlaneRow, 'panel' | 'order'>[] = [];
  const layers = [...new Set(curves.flatMap((c) => Object.keys(c.ixt)))];
  const epochs = [...new Set(curves.flatMap((c) => c.miEpochs))].sort((a, b) => a - b);
  for (const layer of layers) {
    for (const epoch of epochs) {
      const at = curves.map((c) => ({ c, i: c.miEpochs.indexOf(epoch) })).filter(({ c, i }) => i >= 0 && c.ixt[layer]?.[i] !== undefined);
      if (at.length === 0) continue;
      rows.push({ layer, epoch, ixt: band(at.map(({ c, i }) => c.ixt[layer][i])).median, ity: band(at.map(({ c, i }) => c.ity[layer][i])).median });
    }
  }
  return rows;
}

const clip = (s: string, n = 46) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function accuracyRows(runs: readonly SettingRuns[], ids: readonly string[]): AccuracyRow[] {
  return ids.flatMap((id) => {
    const r = runs.find((x) => x.setting.id === id);
    if (!r) return [];
    const curves = okRuns(r.records).map((x) => x.curve!);
    if (curves.length === 0) return [];
    const epochs = Math.max(...curves.map((c) => c.testAcc.length));
    return Array.from({ length: epochs }, (_, i) => {
      const b = band(curves.map((c) => c.testAcc[i]).filter((v): v is number => typeof v === 'number'));
      return { setting: `${id} (${curves.length})`, epoch: i + 1, median: b.median, q1: b.q1, q3: b.q3 };
    }).filter((row) => Number.isFinite(row.median));
  });
}

function binsRows(inputs: ReproductionInputs, ids: readonly string[]): BinsRow[] {
  const rows: BinsRow[] = [];
  for (const id of ids) {
    const r = inputs.runs.find((x) => x.setting.id === id);
    if (!r || r.setting.binnings.length < 2) continue;
    const mi = okRuns(r.records)
      .map((rec) => inputs.curves(id, rec.seed)?.mi ?? null)
      .filter((m): m is MiRecord[] => m !== null);
    if (mi.length === 0) continue;
    const groups = new Map<string, { ixt: number[]; ity: number[]; key: Omit<BinsRow, 'ixt' | 'ity'> }>();
    for (const records of mi) {
      for (const m of records) {
        const key = `${m.estimator}|${m.layer}|${m.epoch}`;
        let g = groups.get(key);
        if (!g)
          groups.set(
            key,
            (g = {
              ixt: [],
              ity: [],
              key: {
                setting: `${id} (${mi.length} runs)`,
                estimator: m.estimator,
                bins: Number(m.estimator.split(':')[1]) || 0,
                layer: m.layer,
                epoch: m.epoch,
              },
            }),
          );
        g.ixt.push(m.ixt);
        g.ity.push(m.ity);
      }
    }
    for (const g of groups.values()) rows.push({ ...g.key, ixt: band(g.ixt).median, ity: band(g.ity).median });
  }
  return rows;
}

function compressionRows(inputs: ReproductionInputs): CompressionRow[] {
  const est = inputs.reproduction.estimator;
  return inputs.runs.flatMap((r) =>
    r.records
      .filter((rec) => rec.status === 'ok' && rec.outcome.accuracy !== 'diverged' && typeof rec.final?.testAcc === 'number')
      .flatMap((rec) =>
        Object.keys(rec.outcome.planes).flatMap((layer) => {
          const facts = planeFacts(rec, layer, est);
          if (!facts) return [];
          const fall = sustainedFall(facts.epochs, facts.ixt, inputs.labels.lateEpochs)?.fall ?? 0;
          return [{ layer, setting: r.setting.id, kind: r.setting.kind, seed: rec.seed, accuracy: rec.final!.testAcc, drop: fall }];
        }),
      ),
  );
}

/** Every figure of the page; absent data leaves a figure out. Names: plane-<id>, accuracy-*, trainability, pruning-at-init, bins, compression, odd-planes. */
export async function reproductionFigures(inputs: ReproductionInputs): Promise<Figure[]> {
  const { reproduction, runs } = inputs;
  const figures: Figure[] = [];
  const add = async (name: string, title: string, spec: Parameters<typeof renderSvg>[0]) => figures.push({ name, title, svg: await renderSvg(spec) });
  const named = planeSettings(reproduction);
  for (const id of named) {
    const r = runs.find((x) => x.setting.id === id);
    const summary = reproduction.settings.find((s) => s.id === id);
    if (!r || !summary) continue;
    const median = medianPlane(r.records);
    if (median.length === 0) continue;
    const rows: PlaneRow[] = median.map((p) => ({ ...p, panel: `median of ${okRuns(r.records).length} runs`, order: 0 }));
    summary.rare.forEach((rare, i) => {
      const rec = r.records.find((x) => x.seed === rare.seed);
      if (rec) rows.push(...runPlane(rec).map((p) => ({ ...p, panel: clip(`seed ${rare.seed}: ${rareText(rare)}`), order: i + 1 })));
    });
    await add(
      `plane-${id}`,
      `Information plane, ${id} (${r.setting.title}): median and the rare runs`,
      planePanelsSpec(rows, `${id}: median information plane (${reproduction.estimator}) and the rare runs beside it`),
    );
  }
  const unpruned = accuracyRows(runs, ['baseline']);
  if (unpruned.length)
    await add(
      'accuracy-unpruned',
      'Test accuracy per epoch, unpruned',
      accuracyCurvesSpec(unpruned, reproduction.thresholds.accuracyTarget, 'Unpruned: test accuracy per epoch (median, IQR)'),
    );
  const pruned = accuracyRows(runs, named);
  if (pruned.length)
    await add(
      'accuracy-settings',
      'Test accuracy per epoch, each setting of the report',
      accuracyCurvesSpec(pruned, reproduction.thresholds.accuracyTarget, 'Test accuracy per epoch per setting (median, IQR)'),
    );
  if (reproduction.sweeps.some((s) => s.series.points.length > 0)) {
    await add(
      'trainability',
      'Trainability against the pruned amount, the report’s limits in red',
      trainabilityLimitsSpec(
        reproduction.sweeps,
        `Fraction of runs that train (≥ ${((reproduction.thresholds.accuracyTarget - inputs.labels.trainedMargin) * 100).toFixed(0)}%), degraded and at chance level; where the trained fraction falls through 50% (blue), the report’s limit (red)`,
      ),
    );
  }
  if (reproduction.sweeps.some((s) => s.atInit.length > 0)) {
    await add(
      'pruning-at-init',
      'What global pruning leaves of each layer at init (pruning analysis)',
      pruningAtInitSpec(reproduction.sweeps, 'Per layer at init: weights kept (global weight) and neurons alive (global neuron), median over seeds'),
    );
  }
  const bins = binsRows(inputs, ['baseline', 'gw65']);
  if (bins.length)
    await add(
      'bins',
      'The same runs measured with 10, 30 and 100 bins',
      binsPlaneSpec(bins, `Median information planes at ${inputs.budget.binCounts.join(', ')} bins (fixed:m over [−1, 1]; softmax [0, 1])`),
    );
  const compression = compressionRows(inputs);
  if (compression.length) {
    await add(
      'compression',
      'Compression against accuracy, every run',
      compressionSpec(
        compression,
        inputs.labels.compressionBits,
        reproduction.veryHighAccuracy,
        `Sustained fall of I(X;T) from its post-init peak (held over the last ${inputs.labels.lateEpochs} epochs) against final test accuracy (dashed: the compression label, red: very high accuracy)`,
      ),
    );
  }
  const odd: OutcomeCount[] = reproduction.settings
    .filter((s) => named.includes(s.id) && s.odd.n > 0)
    .map((s) => {
      const seeds = s.checks.filter((c) => c.measured && c.tags.length > 0).map((c) => c.seed);
      return { kind: 'odd plane', label: s.id, count: seeds.length, total: s.odd.n, fraction: s.odd.value, wilson95: s.odd.interval ?? [0, 1], seeds };
    });
  if (odd.length)
    await add('odd-planes', 'How often each setting’s plane is odd', outcomeFrequencySpec(odd, 'Odd information planes per setting (Wilson 95% intervals)'));
  return figures;
}

/** Each variation's figures, named `<figure>@<variation>`, from its own runs as the report's settings. */
async function variationFigures(inputs: ReproductionInputs): Promise<Figure[]> {
  const v = inputs.variations;
  const out: Figure[] = [];
  for (const a of v.results) {
    const figures = await reproductionFigures({
      ...inputs,
      reproduction: a,
      runs: runsUnder(v.allRuns, a.name),
      curves: (id, seed) => inputs.curves(`${id}@${a.name}`, seed),
    });
    out.push(...figures.map((f) => ({ ...f, name: variationFigureName(f.name, a.name), title: `${f.title} — ${a.name.replace(/_/g, ', ')}` })));
  }
  return out;
}

/** reproduction.json, plots/*.svg and reproduction.html. */
export async function reproductionFiles(inputs: ReproductionInputs): Promise<Record<string, string>> {
  const v = inputs.variations;
  const figures = [
    ...(await reproductionFigures(inputs)),
    ...(await assumptionFigures(inputs.reproduction, v.results, v.defaultLabel, v.allRuns)),
    ...(await variationFigures(inputs)),
  ];
  const files: Record<string, string> = {};
  const assumptions = { vary: v.vary, scope: v.scope, default: v.defaultLabel, dependence: v.dependence, variations: v.results };
  const marker = inputs.incomplete ? { incomplete: inputs.incomplete } : {};
  files['reproduction.json'] =
    JSON.stringify({ report: inputs.plan.report, plan: inputs.plan, timing: inputs.timing, ...marker, ...inputs.reproduction, assumptions }, null, 2) + '\n';
  for (const f of figures) files[`plots/${f.name}.svg`] = f.svg;
  files['reproduction.html'] = renderReproductionPage(inputs, figures);
  return files;
}
