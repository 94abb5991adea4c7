// From the trial records of every setting to the reproduction: per setting
// its figures (accuracy, odd planes, MI per layer), per claim its measured
// figures with 95% intervals and a verdict. Pure: the same records give the
// same result, whatever order they come in; tests feed it synthetic records.
import { ACCURACY_OUTCOMES, type AccuracyOutcome } from '../trials/classify.ts';
import type { TrialRecord } from '../trials/record.ts';
import type { TrainabilitySeries } from '../trials/trainability.ts';
import { type Proportion, proportion } from '../trials/wilson.ts';
import { CLAIM_TEXTS, CLAIM_THRESHOLDS, type ClaimText, type ClaimThresholds } from './claims.ts';
import {
  atLeast,
  atMost,
  combineVerdicts,
  type Estimate,
  medianDifference,
  medianEstimate,
  proportionEstimate,
  type Region,
  regionVerdict,
  type Verdict,
  within,
} from './estimates.ts';
import { formatEstimate, formatInterval, formatValue, percentText, type Unit } from './format.ts';
import { limitEstimate, type LimitEstimate, type PruningAtInit, pruningAtInit, type SweepPoint, trainabilitySeries } from './limits.ts';
import { checkPlane, finalPoints, isOdd, lastLayers, meanFinalIxt, ODD_TAGS, type OddTag, type PlaneCheck, planeReference, type PlaneReference } from './planes.ts';
import { FIRST_ESTIMATOR, onSweep, type ReproductionSetting } from './settings.ts';

export interface SettingRuns {
  setting: ReproductionSetting;
  records: readonly TrialRecord[];
}

export interface MeasuredFigure {
  label: string;
  unit: Unit;
  estimate: Estimate;
  /** Where the claim holds; absent for figures shown for context. */
  region?: Region;
  verdict?: Verdict;
}

export interface ClaimPart {
  label: string;
  verdict: Verdict;
  figures: MeasuredFigure[];
  note?: string;
  /** Shown for context; not part of the claim's verdict. */
  context?: boolean;
}

export interface ClaimTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

export interface ClaimResult extends ClaimText {
  verdict: Verdict;
  /** The measured figure(s) in a few words, for the verdict table. */
  headline: string;
  /** Why, from the data, in one or two sentences. */
  why: string;
  figures: MeasuredFigure[];
  parts: ClaimPart[];
  tables: ClaimTable[];
  /** Where our measurement disagrees with the report, and what shows why. */
  disagreement?: string;
}

export interface RareRun {
  seed: number;
  why: string;
}

export interface SettingSummary {
  id: string;
  title: string;
  kind: ReproductionSetting['kind'];
  amount: number;
  layer?: number;
  named: boolean;
  preset: string;
  seedsPlanned: number;
  runs: number;
  errors: number;
  outcomes: Record<AccuracyOutcome, number>;
  trained: Proportion;
  finalAcc: Estimate;
  /** Mean over layers of the final I(X;T) (first estimator). */
  meanIxt: Estimate;
  /** Per layer, final I(X;T) and I(T;Y) medians. */
  layers: Record<string, { ixt: Estimate; ity: Estimate }>;
  /** Odd planes (planes.ts) among the measured runs. */
  odd: Estimate;
  tags: Record<OddTag, number>;
  checks: PlaneCheck[];
  /** Watched layer → runs labelled compression, of the measured runs. */
  compression: Record<string, { count: number; total: number }>;
  /** The runs unlike most of the setting's: shown beside its median plane. */
  rare: RareRun[];
}

export interface SweepResult {
  kind: 'global-weight' | 'global-neuron';
  label: string;
  reportLimit: number;
  series: TrainabilitySeries;
  limit: LimitEstimate;
  atInit: PruningAtInit[];
}

export interface Reproduction {
  estimator: string;
  thresholds: ClaimThresholds;
  reference: PlaneReference | null;
  /** "Very high accuracy" of claim 7: the unpruned median − the margin. */
  veryHighAccuracy: number;
  settings: SettingSummary[];
  sweeps: SweepResult[];
  claims: ClaimResult[];
}

const ok = (r: TrialRecord) => r.status === 'ok';
const finalAcc = (r: TrialRecord): number | null => (ok(r) && typeof r.final?.testAcc === 'number' && Number.isFinite(r.final.testAcc) ? r.final.testAcc : null);
const numbers = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
const verdictWord = (v: Verdict, region: Region) =>
  v === 'reproduced' ? `inside ${region.text}` : v === 'not reproduced' ? `wholly outside ${region.text}` : v === 'partly' ? `straddling ${region.text}` : 'no data';

function figure(label: string, unit: Unit, estimate: Estimate, region?: Region): MeasuredFigure {
  return region ? { label, unit, estimate, region, verdict: regionVerdict(estimate.interval, region) } : { label, unit, estimate };
}

function rareRuns(records: readonly TrialRecord[], checks: readonly PlaneCheck[], limit = 3): RareRun[] {
  const measured = checks.filter((c) => c.measured);
  const odd = measured.filter(isOdd);
  const oddIsRare = odd.length * 2 < measured.length;
  const planeRare = oddIsRare ? odd : measured.filter((c) => !isOdd(c));
  const out: RareRun[] = planeRare.map((c) => ({ seed: c.seed, why: oddIsRare ? `odd: ${c.summary}` : 'usual plane (rare here)' }));
  // Then runs whose accuracy outcome is the setting's minority.
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.outcome.accuracy, (counts.get(r.outcome.accuracy) ?? 0) + 1);
  for (const r of records) {
    if (!ok(r) || (counts.get(r.outcome.accuracy) ?? 0) * 2 >= records.length || out.some((o) => o.seed === r.seed)) continue;
    out.push({ seed: r.seed, why: `${r.outcome.accuracy}, ${formatValue(finalAcc(r), 'accuracy')}` });
  }
  return out.sort((a, b) => a.seed - b.seed).slice(0, limit);
}

export function summarizeSetting(runs: SettingRuns, reference: PlaneReference | null, estimator = FIRST_ESTIMATOR): SettingSummary {
  const records = [...runs.records].sort((a, b) => a.seed - b.seed);
  const s = runs.setting;
  const checks = records.map((r) => checkPlane(r, reference));
  const measured = checks.filter((c) => c.measured);
  const points = records.map((r) => finalPoints(r, estimator)).filter((p) => p !== null);
  const layerNames = [...new Set(points.flatMap((p) => Object.keys(p)))];
  const layers = Object.fromEntries(
    layerNames.map((l) => [l, { ixt: medianEstimate(numbers(points.map((p) => p[l]?.ixt ?? null))), ity: medianEstimate(numbers(points.map((p) => p[l]?.ity ?? null))) }]),
  );
  const compression: Record<string, { count: number; total: number }> = {};
  const labelled = records.filter((r) => ok(r) && r.outcome.accuracy !== 'diverged');
  for (const layer of [...new Set(labelled.flatMap((r) => Object.keys(r.outcome.planes)))]) {
    const withLabel = labelled.filter((r) => r.outcome.planes[layer] !== undefined && r.outcome.planes[layer] !== 'unmeasured');
    compression[layer] = { count: withLabel.filter((r) => r.outcome.planes[layer] === 'compression').length, total: withLabel.length };
  }
  const outcomes = Object.fromEntries(ACCURACY_OUTCOMES.map((o) => [o, records.filter((r) => r.outcome.accuracy === o).length])) as Record<AccuracyOutcome, number>;
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    amount: s.amount,
    ...(s.layer === undefined ? {} : { layer: s.layer }),
    named: s.named,
    preset: s.preset,
    seedsPlanned: s.seeds,
    runs: records.length,
    errors: records.filter((r) => !ok(r)).length,
    outcomes,
    trained: proportion(outcomes.trained, records.length),
    finalAcc: medianEstimate(numbers(records.map(finalAcc))),
    meanIxt: medianEstimate(numbers(records.map((r) => meanFinalIxt(r, estimator)))),
    layers,
    odd: proportionEstimate(measured.filter(isOdd).length, measured.length),
    tags: Object.fromEntries(ODD_TAGS.map((t) => [t, measured.filter((c) => c.tags.includes(t)).length])) as Record<OddTag, number>,
    checks,
    compression,
    rare: rareRuns(records, checks),
  };
}

// ---------------------------------------------------------------- claims

interface Context {
  t: ClaimThresholds;
  runs: Map<string, SettingRuns>;
  summaries: Map<string, SettingSummary>;
  reference: PlaneReference | null;
  estimator: string;
  veryHigh: number;
  sweeps: SweepResult[];
}

const text = (id: number) => CLAIM_TEXTS.find((c) => c.id === id)!;
const recordsOf = (ctx: Context, id: string) => ctx.runs.get(id)?.records ?? [];

function claim1(ctx: Context): ClaimResult {
  const { t } = ctx;
  const base = recordsOf(ctx, 'baseline');
  const region = within(t.accuracyTarget - t.accuracyTolerance, t.accuracyTarget + t.accuracyTolerance, `${percentText(t.accuracyTarget)} ± ${percentText(t.accuracyTolerance)}`);
  const acc = figure('median final test accuracy, unpruned', 'accuracy', medianEstimate(numbers(base.map(finalAcc))), region);
  const best = figure('median best test accuracy (any epoch), unpruned', 'accuracy', medianEstimate(numbers(base.map((r) => (ok(r) ? (r.bestTestAcc ?? null) : null)))));
  const trained = ctx.summaries.get('baseline')?.trained ?? proportion(0, 0);
  const trainedFig = figure(`runs that train (≥ ${percentText(t.accuracyTarget - 0.02)})`, 'fraction', proportionEstimate(trained.count, trained.total));
  const verdict = acc.verdict!;
  const why = acc.estimate.value === null ? 'No unpruned run has finished.' : `The unpruned runs end at ${formatEstimate(acc.estimate, 'accuracy')}: ${verdictWord(verdict, region)}.`;
  const headline = `median final test accuracy ${formatValue(acc.estimate.value, 'accuracy')} ${formatInterval(acc.estimate.interval, 'accuracy')}`;
  return { ...text(1), verdict, headline, why, figures: [acc, best, trainedFig], parts: [], tables: [] };
}

function claim2(ctx: Context): ClaimResult {
  const { t } = ctx;
  const baseIxt = numbers(recordsOf(ctx, 'baseline').map((r) => meanFinalIxt(r, ctx.estimator)));
  const accRegion = atLeast(t.keptAccuracy, `≥ ${percentText(t.keptAccuracy)}`);
  const miRegion = atLeast(t.muchLowerBits, `≥ ${t.muchLowerBits} bit lower`);
  const parts: ClaimPart[] = [];
  const rows: string[][] = [];
  const reference = ctx.reference;
  for (const layer of [1, 2, 3, 4, 5]) {
    const id = `lw95-L${layer}`;
    const records = recordsOf(ctx, id);
    const acc = figure('median final test accuracy', 'accuracy', medianEstimate(numbers(records.map(finalAcc))), accRegion);
    const mi = figure('unpruned − pruned: median mean final I(X;T) over layers', 'bits', medianDifference(baseIxt, numbers(records.map((r) => meanFinalIxt(r, ctx.estimator)))), miRegion);
    const verdict = combineVerdicts([acc.verdict!, mi.verdict!]);
    const summary = ctx.summaries.get(id);
    let note: string | undefined;
    if (summary && reference) {
      const drops = Object.entries(summary.layers)
        .filter(([l]) => reference.layers[l])
        .map(([l, e]) => ({ l, d: (e.ixt.value ?? Number.NaN) - reference.layers[l].ixt }))
        .filter((x) => Number.isFinite(x.d));
      const most = drops.sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0];
      if (most) note = `largest change: ${most.l} ends at ${most.d >= 0 ? '+' : '−'}${Math.abs(most.d).toFixed(2)} bits I(X;T) against the unpruned median`;
      rows.push([`layer ${layer}`, ...Object.keys(reference.layers).map((l) => formatValue(summary.layers[l]?.ixt.value, 'bits')), formatValue(summary.finalAcc.value, 'accuracy')]);
    }
    parts.push({ label: `95% of layer ${layer}'s weights (${id})`, verdict, figures: [acc, mi], ...(note ? { note } : {}) });
  }
  const tables: ClaimTable[] = [];
  if (reference) {
    const base = ctx.summaries.get('baseline');
    tables.push({
      caption: 'Median final I(X;T) per layer (fixed:30 bins) and median final test accuracy',
      columns: ['setting', ...Object.keys(reference.layers), 'test accuracy'],
      rows: [['unpruned', ...Object.keys(reference.layers).map((l) => formatValue(reference.layers[l].ixt, 'bits')), formatValue(base?.finalAcc.value, 'accuracy')], ...rows],
    });
  }
  const verdict = combineVerdicts(parts.map((p) => p.verdict));
  const held = (f: (p: ClaimPart) => Verdict | undefined) => parts.filter((p) => f(p) === 'reproduced').map((p) => p.label.match(/layer (\d)/)![1]);
  const accHeld = held((p) => p.figures[0].verdict);
  const miHeld = held((p) => p.figures[1].verdict);
  const layersText = (ls: string[]) => (ls.length === 0 ? 'no layer' : `layer${ls.length === 1 ? '' : 's'} ${ls.join(', ')}`);
  const why = `Accuracy stays ≥ ${percentText(t.keptAccuracy)} when pruning ${layersText(accHeld)}; the plane’s mean final I(X;T) ends ≥ ${t.muchLowerBits} bit below the unpruned net’s when pruning ${layersText(miHeld)} (of layers 1–5).`;
  const lossless = parts
    .map((p, i) => ({ layer: i + 1, acc: p.figures[0].estimate.value }))
    .filter((p) => p.acc !== null && p.acc >= t.accuracyTarget - t.accuracyTolerance);
  const disagreement = lossless.length
    ? `The report saw accuracy drop to ~90%; here 95% pruning of layer${lossless.length === 1 ? '' : 's'} ${lossless.map((p) => p.layer).join(', ')} costs (almost) nothing: median ${lossless.map((p) => formatValue(p.acc, 'accuracy')).join(', ')}, within a point of the unpruned net.`
    : undefined;
  const headline = `accuracy ≥ ${percentText(t.keptAccuracy)}: ${accHeld.length} of 5 layers; mean I(X;T) ≥ ${t.muchLowerBits} bit lower: ${miHeld.length} of 5`;
  return { ...text(2), verdict, headline, why, figures: [], parts, tables, ...(disagreement ? { disagreement } : {}) };
}

/** Claims 3 and 5: does the odd plane appear, at a rate ≥ appearsRate and above the unpruned runs' rate? */
export function appearsVerdict(p: Proportion, base: Proportion | null, rate: number): Verdict {
  if (p.total === 0) return 'no data';
  const [lo, hi] = p.wilson95;
  const baseKnown = base !== null && base.total > 0;
  if (hi < rate || (baseKnown && hi < base.wilson95[0])) return 'not reproduced';
  if (lo >= rate && (!baseKnown || p.fraction! > base.fraction!)) return 'reproduced';
  return 'partly';
}

/** What a plane never seen rules out: " Not seen in 8 runs: if it occurs, in fewer than 32.4% of runs (Wilson upper bound)." */
function unseen(p: Proportion): string {
  return p.count === 0 && p.total > 0 ? ` Not seen in ${p.total} runs: if it occurs, then in fewer than ${formatValue(p.wilson95[1], 'fraction')} of runs (Wilson upper bound); more seeds narrow this.` : '';
}

function tagText(s: SettingSummary): string {
  const parts = ODD_TAGS.filter((t) => s.tags[t] > 0).map((t) => `${t} ${s.tags[t]}`);
  return parts.length ? parts.join(', ') : 'none';
}

function rateCounts(s: SettingSummary | undefined, tag?: OddTag): Proportion {
  if (!s) return proportion(0, 0);
  const measured = s.checks.filter((c) => c.measured);
  return proportion(measured.filter((c) => (tag ? c.tags.includes(tag) : c.tags.length > 0)).length, measured.length);
}

function layerMedianTable(ctx: Context, ids: string[], caption: string): ClaimTable | null {
  const reference = ctx.reference;
  if (!reference) return null;
  const layers = Object.keys(reference.layers);
  const rows = [['unpruned (reference)', ...layers.map((l) => `${formatValue(reference.layers[l].ixt, 'bits')} / ${reference.layers[l].ity.toFixed(3)}`)]];
  for (const id of ids) {
    const s = ctx.summaries.get(id);
    if (s) rows.push([id, ...layers.map((l) => `${formatValue(s.layers[l]?.ixt.value, 'bits')} / ${s.layers[l]?.ity.value?.toFixed(3) ?? '—'}`)]);
  }
  return { caption, columns: ['setting', ...layers.map((l) => `${l}: I(X;T) / I(T;Y)`)], rows };
}

function claim3(ctx: Context): ClaimResult {
  const { t } = ctx;
  const s = ctx.summaries.get('ln90-L2');
  const base = ctx.summaries.get('baseline');
  const rate = rateCounts(s);
  const baseRate = rateCounts(base);
  const verdict = appearsVerdict(rate, baseRate, t.appearsRate);
  const fig: MeasuredFigure = { label: 'odd planes, 90% neurons of layer 2', unit: 'fraction', estimate: proportionEstimate(rate.count, rate.total), verdict };
  const baseFig = figure('odd planes, unpruned', 'fraction', proportionEstimate(baseRate.count, baseRate.total));
  const typical = s?.checks.filter(isOdd).map((c) => c.summary) ?? [];
  const why =
    rate.total === 0
      ? 'No 90%-layer-2 run has MI measured.'
      : `${rate.count} of ${rate.total} runs end with an odd plane (${formatValue(rate.fraction, 'fraction')}; unpruned: ${baseRate.count} of ${baseRate.total}); kinds: ${s ? tagText(s) : '—'}.${typical.length ? ` E.g. ${typical[0]}.` : ''}${unseen(rate)}`;
  const table = layerMedianTable(ctx, ['ln90-L2'], 'Median final I(X;T) / I(T;Y) per layer (fixed:30 bins)');
  const headline = `odd planes ${rate.count}/${rate.total} ${formatInterval(fig.estimate.interval, 'fraction')} (unpruned ${baseRate.count}/${baseRate.total})`;
  return { ...text(3), verdict, headline, why, figures: [fig, baseFig], parts: [], tables: table ? [table] : [] };
}

function sweepWhy(sw: SweepResult): string {
  const atLimit = sw.series.points.find((p) => p.x === sw.reportLimit);
  const x = sw.limit.value !== null ? formatValue(sw.limit.value, 'amount') : sw.limit.beyondGrid === 'above' ? `above ${formatValue(sw.series.points[sw.series.points.length - 1]?.x, 'amount')}` : 'below the grid';
  return `${sw.label}: trained fraction crosses 50% at ${x} (interval ${sw.limit.interval ? `${formatValue(sw.limit.interval[0], 'amount')} … ${formatValue(sw.limit.interval[1], 'amount')}` : '—'})${atLimit ? `; at the report’s ${formatValue(sw.reportLimit, 'amount')}, ${atLimit.trained.count} of ${atLimit.runs} runs train` : ''}`;
}

function keptList(p: PruningAtInit, what: 'keptFraction' | 'aliveFraction'): string {
  return p.layers.map((l) => `L${l.layer} ${(l[what] * 100).toFixed(1)}%`).join(', ');
}

/** The sweep's point at the report's limit and the first amount above it (within limitNextWithin). */
function limitPoints(sw: SweepResult, t: ClaimThresholds) {
  const pts = sw.series.points;
  const at = pts.find((p) => Math.abs(p.x - sw.reportLimit) < 1e-9);
  const above = pts.find((p) => p.x > sw.reportLimit + 1e-9 && p.x <= sw.reportLimit + t.limitNextWithin + 1e-9);
  return { at, above };
}

/**
 * Claim 4 per sweep: "below the limit the model trains, above it it fails".
 * Reproduced when runs clearly train at the limit (Wilson lower bound of the
 * trained fraction ≥ 50%) and clearly fail at the next amount above it
 * (upper bound < 50%); not reproduced when they clearly train above it, or
 * clearly fail at it; partly otherwise. (A 50% crossing interpolated between
 * grid points cannot be compared with the report's limit more finely than
 * the grid, so the test is made at the grid points themselves.)
 */
export function limitVerdict(at: Proportion | null, above: Proportion | null): Verdict {
  if (!at || !above || at.total === 0 || above.total === 0) return 'no data';
  if (above.wilson95[0] > 0.5 || at.wilson95[1] < 0.5) return 'not reproduced';
  if (at.wilson95[0] >= 0.5 && above.wilson95[1] < 0.5) return 'reproduced';
  return 'partly';
}

function sweepDisagreement(sw: SweepResult, t: ClaimThresholds): string | undefined {
  const { at, above } = limitPoints(sw, t);
  const v = limitVerdict(at?.trained ?? null, above?.trained ?? null);
  if (v === 'reproduced' || v === 'no data') return undefined;
  const what = sw.kind === 'global-weight' ? 'keptFraction' : 'aliveFraction';
  const noun = sw.kind === 'global-weight' ? 'weights kept' : 'neurons alive';
  const atLimit = sw.atInit.find((p) => p.x === sw.reportLimit);
  const collapseFrom = sw.atInit.find((p) => p.collapse.total > 0 && p.collapse.count * 2 >= p.collapse.total);
  const parts: string[] = [];
  if (atLimit) {
    const tp = sw.series.points.find((p) => p.x === sw.reportLimit);
    parts.push(`At the report’s ${formatValue(sw.reportLimit, 'amount')} the masks at init leave (${noun}, median over seeds) ${keptList(atLimit, what)}${atLimit.collapse.count ? `; ${atLimit.collapse.count} of ${atLimit.collapse.total} nets collapse` : ': every layer stays connected'}${tp ? `, and ${tp.trained.count} of ${tp.runs} runs train` : ''}.`);
  }
  if (collapseFrom) {
    const emptiest = [...collapseFrom.layers].sort((a, b) => a[what] - b[what])[0];
    parts.push(`From ${formatValue(collapseFrom.x, 'amount')} layer ${emptiest.layer} keeps ${(emptiest[what] * 100).toFixed(1)}% of its ${sw.kind === 'global-weight' ? 'weights' : 'neurons'}: the net collapses (no input→output path) in ${collapseFrom.collapse.count} of ${collapseFrom.collapse.total} runs and predicts the majority class.`);
  } else if (sw.atInit.length) {
    parts.push('No amount of this sweep collapses the net at init.');
  }
  if (sw.kind === 'global-weight') {
    parts.push('Why: global L1 ranks |w| across all layers, and PyTorch’s init draws layer weights from U(±1/√fan_in), so the 1024→20 layer (|w| ≤ 1/32) holds smaller weights than the 784→1024 layer (≤ 1/28) and the 20→20 layers (≤ 0.22): it empties first, and only near 90% (DESIGN.md) — the report’s 65% leaves every layer connected.');
  } else {
    const last = sw.atInit[sw.atInit.length - 1];
    const hidden = last ? last.layers.slice(0, -1) : [];
    const least = [...hidden].sort((a, b) => a.aliveFraction - b.aliveFraction)[0];
    parts.push(
      `Why: global neuron pruning (no torch equivalent) ranks hidden neurons across layers by the L2 norm of their incoming weights; with PyTorch’s init the row norms of every layer centre on 1/√3 (fan_in · (1/√fan_in)² / 3), so the pruned neurons spread over all layers and each keeps some${least ? ` — even at ${formatValue(last!.x, 'amount')} the emptiest hidden layer, L${least.layer}, keeps ${(least.aliveFraction * 100).toFixed(0)}% of its neurons` : ''}. A layer of 20 tanh units with a few alive still carries the parity bit.`,
    );
  }
  const lead = v === 'not reproduced' ? `our limit differs from the report’s ${formatValue(sw.reportLimit, 'amount')}.` : `these runs cannot tell whether training stops at the report’s ${formatValue(sw.reportLimit, 'amount')}.`;
  return `${sw.label}: ${lead} ${parts.join(' ')}`;
}

function claim4(ctx: Context): ClaimResult {
  const { t } = ctx;
  const parts: ClaimPart[] = ctx.sweeps.map((sw) => {
    const { at, above } = limitPoints(sw, t);
    const verdict = limitVerdict(at?.trained ?? null, above?.trained ?? null);
    const figures: MeasuredFigure[] = [];
    if (at) figures.push({ ...figure(`runs that train at the report’s limit, ${formatValue(at.x, 'amount')}`, 'fraction', proportionEstimate(at.trained.count, at.runs)), region: atLeast(0.5, '≥ 50% (trains)') });
    if (above) figures.push({ ...figure(`runs that train at the next amount, ${formatValue(above.x, 'amount')}`, 'fraction', proportionEstimate(above.trained.count, above.runs)), region: atMost(0.5, '< 50% (fails)') });
    for (const f of figures) f.verdict = regionVerdict(f.estimate.interval, f.region!);
    figures.push(figure(`amount where the trained fraction crosses 50%${sw.limit.beyondGrid ? ` (${sw.limit.beyondGrid} every amount tried)` : ''}`, 'amount', sw.limit));
    return { label: sw.label, verdict, figures, note: sweepWhy(sw) };
  });
  const tables: ClaimTable[] = ctx.sweeps
    .filter((sw) => sw.atInit.length > 0)
    .map((sw) => {
      const what = sw.kind === 'global-weight' ? 'keptFraction' : 'aliveFraction';
      const layers = sw.atInit[0].layers.map((l) => `L${l.layer}`);
      return {
        caption: `${sw.label}: ${sw.kind === 'global-weight' ? 'weights kept' : 'neurons alive'} per layer at init (pruning analysis, median over seeds), nets collapsed, and runs that train`,
        columns: ['amount', ...layers, 'collapsed', 'trained'],
        rows: sw.atInit.map((p) => {
          const tp = sw.series.points.find((q) => q.x === p.x);
          return [formatValue(p.x, 'amount'), ...p.layers.map((l) => `${(l[what] * 100).toFixed(1)}%`), `${p.collapse.count}/${p.collapse.total}`, tp ? `${tp.trained.count}/${tp.runs}` : '—'];
        }),
      };
    });
  const verdict = combineVerdicts(parts.map((p) => p.verdict));
  const why = ctx.sweeps.map(sweepWhy).join('. ') + '.';
  const disagreement = ctx.sweeps.map((sw) => sweepDisagreement(sw, t)).filter(Boolean).join('\n\n') || undefined;
  const headline = ctx.sweeps
    .map((sw) => `${sw.kind === 'global-weight' ? 'weights' : 'neurons'}: 50% train at ${sw.limit.value !== null ? formatValue(sw.limit.value, 'amount') : sw.limit.beyondGrid === 'above' ? `> ${formatValue(sw.series.points[sw.series.points.length - 1]?.x, 'amount')}` : '—'} ${formatInterval(sw.limit.interval, 'amount')} (report ${formatValue(sw.reportLimit, 'amount')})`)
    .join('; ');
  return { ...text(4), verdict, headline, why, figures: [], parts, tables, ...(disagreement ? { disagreement } : {}) };
}

function claim5(ctx: Context): ClaimResult {
  const { t } = ctx;
  const s = ctx.summaries.get('gn40');
  const rate = rateCounts(s, 'zero-mi');
  const baseRate = rateCounts(ctx.summaries.get('baseline'), 'zero-mi');
  const verdict = appearsVerdict(rate, baseRate, t.appearsRate);
  const figures: MeasuredFigure[] = [
    { label: 'runs whose last layer ends with zero I(X;T), 40% global neurons', unit: 'fraction', estimate: proportionEstimate(rate.count, rate.total), verdict },
    figure('the same, unpruned', 'fraction', proportionEstimate(baseRate.count, baseRate.total)),
  ];
  const records = recordsOf(ctx, 'gn40');
  const zeroSeeds = new Set(s?.checks.filter((c) => c.tags.includes('zero-mi')).map((c) => c.seed) ?? []);
  const last = s ? lastLayers(Object.keys(s.layers)) : [];
  for (const l of last) if (s?.layers[l]) figures.push(figure(`median final I(X;T) of ${l}, 40% global neurons`, 'bits', s.layers[l].ixt));
  figures.push(figure('median final test accuracy, zero-MI runs', 'accuracy', medianEstimate(numbers(records.filter((r) => zeroSeeds.has(r.seed)).map(finalAcc)))));
  figures.push(figure('median final test accuracy, other runs', 'accuracy', medianEstimate(numbers(records.filter((r) => !zeroSeeds.has(r.seed)).map(finalAcc)))));
  const medians = last.filter((l) => s?.layers[l]).map((l) => `${l} ${formatValue(s!.layers[l].ixt.value, 'bits')}`).join(', ');
  const why =
    rate.total === 0
      ? 'No 40%-global-neuron run has MI measured.'
      : `${rate.count} of ${rate.total} runs end with I(X;T) < ${t.plane.zeroMiBits} bit at ${last.join(' or ')} (unpruned: ${baseRate.count} of ${baseRate.total}); median final I(X;T): ${medians}.${unseen(rate)}`;
  const table = layerMedianTable(ctx, ['gn40'], 'Median final I(X;T) / I(T;Y) per layer (fixed:30 bins)');
  const headline = `zero I(X;T) in the last layer: ${rate.count}/${rate.total} ${formatInterval(figures[0].estimate.interval, 'fraction')} (unpruned ${baseRate.count}/${baseRate.total})`;
  return { ...text(5), verdict, headline, why, figures, parts: [], tables: table ? [table] : [] };
}

/** Per run: the largest |final(other binning) − final(first binning)| over layers and the other binnings, of I(X;T) and I(T;Y). */
export function binShifts(record: TrialRecord, first: string): { ixt: number; ity: number; worst: { layer: string; estimator: string } } | null {
  if (!ok(record) || record.outcome.accuracy === 'diverged' || !record.mi?.[first]) return null;
  const others = Object.keys(record.mi).filter((e) => e !== first);
  if (others.length === 0) return null;
  let ixt = 0;
  let ity = 0;
  let worst = { layer: '', estimator: '' };
  for (const e of others) {
    for (const [layer, tr] of Object.entries(record.mi[first])) {
      const o = record.mi[e][layer];
      if (!o) continue;
      const dx = Math.abs(o.finalIxt - tr.finalIxt);
      if (dx > ixt) [ixt, worst] = [dx, { layer, estimator: e }];
      ity = Math.max(ity, Math.abs(o.finalIty - tr.finalIty));
    }
  }
  return { ixt, ity, worst };
}

function binsPart(ctx: Context, id: string, label: string, context: boolean): { part: ClaimPart; table: ClaimTable | null } {
  const { t } = ctx;
  const records = recordsOf(ctx, id);
  const shifts = records.map((r) => binShifts(r, ctx.estimator)).filter((x) => x !== null);
  const ixt = figure('largest change of a layer’s final I(X;T) across 10/30/100 bins (median over runs)', 'bits', medianEstimate(shifts.map((s) => s.ixt)), atMost(t.binsIxtBits, `< ${t.binsIxtBits} bit`));
  const ity = figure('largest change of a layer’s final I(T;Y) across 10/30/100 bins (median over runs)', 'bits', medianEstimate(shifts.map((s) => s.ity)), atMost(t.binsItyBits, `< ${t.binsItyBits} bit`));
  const where = new Map<string, number>();
  for (const s of shifts) where.set(`${s.worst.layer} at ${s.worst.estimator}`, (where.get(`${s.worst.layer} at ${s.worst.estimator}`) ?? 0) + 1);
  const most = [...where.entries()].sort((a, b) => b[1] - a[1])[0];
  const note = most ? `the largest I(X;T) change is at ${most[0]} in ${most[1]} of ${shifts.length} runs` : undefined;
  const estimators = [...new Set(records.flatMap((r) => Object.keys(r.mi ?? {})))];
  const layers = [...new Set(records.flatMap((r) => Object.keys(r.mi?.[ctx.estimator] ?? {})))];
  let table: ClaimTable | null = null;
  if (estimators.length > 1) {
    table = {
      caption: `${label}: median final I(X;T) / I(T;Y) per layer at each bin count`,
      columns: ['binning', ...layers],
      rows: estimators.map((e) => [
        e,
        ...layers.map((l) => {
          const xs = numbers(records.map((r) => (ok(r) && r.outcome.accuracy !== 'diverged' ? (r.mi?.[e]?.[l]?.finalIxt ?? null) : null)));
          const ys = numbers(records.map((r) => (ok(r) && r.outcome.accuracy !== 'diverged' ? (r.mi?.[e]?.[l]?.finalIty ?? null) : null)));
          return `${formatValue(medianEstimate(xs).value, 'bits')} / ${medianEstimate(ys).value?.toFixed(3) ?? '—'}`;
        }),
      ]),
    };
  }
  return { part: { label, verdict: combineVerdicts([ixt.verdict!, ity.verdict!]), figures: [ixt, ity], ...(note ? { note } : {}), ...(context ? { context } : {}) }, table };
}

function claim6(ctx: Context): ClaimResult {
  const unpruned = binsPart(ctx, 'baseline', 'unpruned', false);
  const gw = binsPart(ctx, 'gw65', '65% global weights (for context)', true);
  const verdict = unpruned.part.verdict;
  const [fx, fy] = unpruned.part.figures;
  const why =
    fx.estimate.value === null
      ? 'No unpruned run was measured at several bin counts.'
      : `Across bin counts a layer’s final I(X;T) moves by ${formatEstimate(fx.estimate, 'bits')} (${verdictWord(fx.verdict!, fx.region!)}) and I(T;Y) by ${formatEstimate(fy.estimate, 'bits')} (${verdictWord(fy.verdict!, fy.region!)})${unpruned.part.note ? `; ${unpruned.part.note}` : ''}.`;
  const ceiling = recordsOf(ctx, 'baseline').map((r) => Object.values(r.mi?.[ctx.estimator] ?? {})[0]?.ceilingX).find((c) => typeof c === 'number');
  const worst = unpruned.part.note?.replace(/^the largest I\(X;T\) change is at /, '').replace(/ in \d+ of \d+ runs$/, '');
  const disagreement =
    verdict !== 'reproduced' && fx.estimate.value !== null
      ? `The bin count matters wherever a layer does not already tell every sample apart. Layers that separate all the images MI is measured on sit at the ceiling${ceiling ? ` log2 N = ${ceiling.toFixed(2)} bits` : ''} at any bin count; the narrow layers and the 2-unit softmax output do not, and move most (here: ${worst ?? '—'}). This is a known pitfall of the binning estimator: the plane depends on the bin count and range.`
      : undefined;
  const headline = `largest shift of a layer: I(X;T) ${formatValue(fx.estimate.value, 'bits')} ${formatInterval(fx.estimate.interval, 'bits')}, I(T;Y) ${formatValue(fy.estimate.value, 'bits')}`;
  return { ...text(6), verdict, headline, why, figures: [], parts: [unpruned.part, gw.part], tables: [unpruned.table, gw.table].filter((x): x is ClaimTable => x !== null), ...(disagreement ? { disagreement } : {}) };
}

function claim7(ctx: Context): ClaimResult {
  const { t } = ctx;
  const all = [...ctx.runs.values()].flatMap((r) => r.records).filter((r) => ok(r) && r.outcome.accuracy !== 'diverged' && finalAcc(r) !== null);
  const watched = [...new Set(all.flatMap((r) => Object.keys(r.outcome.planes)))].sort((a, b) => (a === 'out' ? 1 : b === 'out' ? -1 : a < b ? -1 : 1));
  const high = (r: TrialRecord) => finalAcc(r)! >= ctx.veryHigh - 1e-9;
  const parts: ClaimPart[] = watched.map((layer) => {
    const compressing = all.filter((r) => r.outcome.planes[layer] === 'compression');
    const p = proportion(compressing.filter(high).length, compressing.length);
    let verdict: Verdict;
    if (all.length === 0) verdict = 'no data';
    else if (compressing.length === 0) verdict = 'not reproduced';
    else if (p.wilson95[0] >= t.onlyFraction) verdict = 'reproduced';
    else if (p.wilson95[1] < t.onlyFraction) verdict = 'not reproduced';
    else verdict = 'partly';
    const highRuns = all.filter(high);
    const lowRuns = all.filter((r) => !high(r));
    const comp = (rs: TrialRecord[]) => rs.filter((r) => r.outcome.planes[layer] === 'compression').length;
    const figures: MeasuredFigure[] = [
      { label: `compressing runs with very high accuracy (≥ ${formatValue(ctx.veryHigh, 'accuracy')})`, unit: 'fraction', estimate: proportionEstimate(p.count, p.total), region: atLeast(t.onlyFraction, `≥ ${percentText(t.onlyFraction)}`), verdict },
      figure('very accurate runs that compress', 'fraction', proportionEstimate(comp(highRuns), highRuns.length)),
      figure('less accurate runs that compress', 'fraction', proportionEstimate(comp(lowRuns), lowRuns.length)),
    ];
    const note = compressing.length === 0 ? `no run compresses at ${layer}` : `${compressing.length} of ${all.length} runs compress at ${layer}; ${p.count} of them are very accurate`;
    return { label: `layer ${layer}`, verdict, figures, note };
  });
  const verdict = combineVerdicts(parts.map((p) => p.verdict));
  const below = all.filter((r) => !high(r));
  const trainedBelow = below.filter((r) => r.outcome.accuracy !== 'collapse' && r.outcome.accuracy !== 'chance');
  const caveat =
    all.length > 0 && trainedBelow.length === 0
      ? ` Caveat: every run below the bar (${below.length}) is collapsed or at chance level, with no information to compress; among nets that train, accuracy does not vary enough here to test whether compression needs very high accuracy.`
      : '';
  const why = all.length === 0 ? 'No run has finished.' : `${parts.map((p) => p.note).join('; ')} (very high accuracy: ≥ ${formatValue(ctx.veryHigh, 'accuracy')}, the unpruned median − ${percentText(t.veryHighMargin)}).${caveat}`;
  const headline = parts.map((p) => `${p.label.replace('layer ', '')}: ${p.figures[0].estimate.n ? `${formatValue(p.figures[0].estimate.value, 'fraction')} ${formatInterval(p.figures[0].estimate.interval, 'fraction')} of compressing runs very accurate` : 'no run compresses'}`).join('; ');
  return { ...text(7), verdict, headline, why, figures: [], parts, tables: [] };
}

export const REPORT_ODD_SETTINGS = ['lw95-L1', 'lw95-L2', 'lw95-L3', 'lw95-L4', 'lw95-L5', 'ln90-L2', 'gw65', 'gn40'] as const;

function claim8(ctx: Context): ClaimResult {
  const { t } = ctx;
  const region = atMost(t.infrequentRate, `≤ ${percentText(t.infrequentRate)} of runs`);
  const parts: ClaimPart[] = [];
  const rows: string[][] = [];
  for (const id of ['baseline', ...REPORT_ODD_SETTINGS]) {
    const s = ctx.summaries.get(id);
    if (!s) continue;
    const f = figure(`odd planes, ${id}`, 'fraction', s.odd, id === 'baseline' ? undefined : region);
    if (id !== 'baseline') parts.push({ label: `${id}: ${s.title}`, verdict: f.verdict!, figures: [f], note: `kinds: ${tagText(s)}` });
    const odd = rateCounts(s);
    rows.push([id, String(s.runs), `${odd.count}/${odd.total}`, formatValue(s.odd.value, 'fraction'), s.odd.interval ? `${formatValue(s.odd.interval[0], 'fraction')} – ${formatValue(s.odd.interval[1], 'fraction')}` : '—', ...ODD_TAGS.map((tag) => String(s.tags[tag])), id === 'baseline' ? '(reference)' : f.verdict!]);
  }
  const verdict = combineVerdicts(parts.map((p) => p.verdict));
  const count = (v: Verdict) => parts.filter((p) => p.verdict === v).map((p) => p.label.split(':')[0]);
  const why = `Infrequent (Wilson upper bound ≤ ${percentText(t.infrequentRate)}) in ${count('reproduced').join(', ') || 'no setting'}; frequent (lower bound > ${percentText(t.infrequentRate)}) in ${count('not reproduced').join(', ') || 'no setting'}; undecided in ${count('partly').join(', ') || 'no setting'}.`;
  const table: ClaimTable = { caption: 'Odd planes per setting (planes.ts): count, rate and Wilson 95% interval, and how many runs show each kind', columns: ['setting', 'runs', 'odd', 'rate', 'Wilson 95%', ...ODD_TAGS, 'verdict'], rows };
  const headline = `infrequent in ${count('reproduced').length}, frequent in ${count('not reproduced').length}, undecided in ${count('partly').length} of ${parts.length} settings`;
  return { ...text(8), verdict, headline, why, figures: [], parts, tables: [table] };
}

// ---------------------------------------------------------------- all

export function evaluateReproduction(input: readonly SettingRuns[], thresholds: ClaimThresholds = CLAIM_THRESHOLDS): Reproduction {
  const estimator = FIRST_ESTIMATOR;
  const runs = new Map(input.map((r) => [r.setting.id, r]));
  const reference = planeReference(runs.get('baseline')?.records ?? [], estimator);
  const settings = input.map((r) => summarizeSetting(r, reference, estimator));
  const summaries = new Map(settings.map((s) => [s.id, s]));
  const baseAcc = summaries.get('baseline')?.finalAcc.value ?? null;
  const veryHigh = (baseAcc ?? thresholds.accuracyTarget) - thresholds.veryHighMargin;
  const sweeps: SweepResult[] = (['global-weight', 'global-neuron'] as const).map((kind) => {
    const points: SweepPoint[] = input.filter((r) => onSweep(r.setting, kind)).map((r) => ({ x: r.setting.amount, cell: r.setting.id, records: r.records }));
    const label = kind === 'global-weight' ? 'global weight pruning' : 'global neuron pruning';
    const series = trainabilitySeries(label, points);
    return { kind, label, reportLimit: kind === 'global-weight' ? thresholds.weightLimit : thresholds.neuronLimit, series, limit: limitEstimate(series), atInit: pruningAtInit(points.filter((p) => p.x > 0)) };
  });
  const ctx: Context = { t: thresholds, runs, summaries, reference, estimator, veryHigh, sweeps };
  const claims = [claim1, claim2, claim3, claim4, claim5, claim6, claim7, claim8].map((f) => f(ctx));
  return { estimator, thresholds, reference, veryHighAccuracy: veryHigh, settings, sweeps, claims };
}
