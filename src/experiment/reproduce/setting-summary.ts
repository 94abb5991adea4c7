// Per setting of the reproduction, its figures from the trial records:
// accuracy outcomes, final accuracy and MI per layer with 95% intervals, odd
// planes against the unpruned runs' spread, compression counts, and the rare
// runs shown beside the median plane. Pure: the same records give the same
// summary, whatever order they come in.
import { ACCURACY_OUTCOMES, type AccuracyOutcome } from '../trials/classify.ts';
import type { TrialRecord } from '../trials/record.ts';
import { type Proportion, proportion } from '../trials/wilson.ts';
import { finalAcc, numbers, ok } from './claim.ts';
import { type Estimate, medianEstimate, proportionEstimate } from './estimates.ts';
import { checkPlane, finalPoints, isOdd, lastLayers, meanFinalIxt, ODD_TAGS, type OddTag, type PlaneCheck, type PlaneReference } from './planes.ts';
import type { ReproductionSetting } from './settings.ts';

export interface SettingRuns {
  setting: ReproductionSetting;
  records: readonly TrialRecord[];
}

/** A run unlike most of its setting's, shown beside the median plane. */
export interface RareRun {
  seed: number;
  /** odd-plane: an odd plane where most are not; usual-plane: the reverse; minority-outcome: an accuracy outcome most runs do not have. */
  kind: 'odd-plane' | 'usual-plane' | 'minority-outcome';
  check?: PlaneCheck;
  outcome?: AccuracyOutcome;
  acc?: number | null;
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
  /** The layers "the last layer" can mean: the last hidden layer and the output. */
  lastLayers: string[];
  /** Odd planes (planes.ts) among the measured runs. */
  odd: Estimate;
  tags: Record<OddTag, number>;
  checks: PlaneCheck[];
  /** Watched layer → runs labelled compression, of the measured runs. */
  compression: Record<string, { count: number; total: number }>;
  rare: RareRun[];
}

function rareRuns(records: readonly TrialRecord[], checks: readonly PlaneCheck[], limit = 3): RareRun[] {
  const measured = checks.filter((c) => c.measured);
  const odd = measured.filter(isOdd);
  const oddIsRare = odd.length * 2 < measured.length;
  const planeRare = oddIsRare ? odd : measured.filter((c) => !isOdd(c));
  const out: RareRun[] = planeRare.map((c) => ({ seed: c.seed, kind: oddIsRare ? 'odd-plane' : 'usual-plane', check: c }));
  // Then runs whose accuracy outcome is the setting's minority.
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.outcome.accuracy, (counts.get(r.outcome.accuracy) ?? 0) + 1);
  for (const r of records) {
    if (!ok(r) || (counts.get(r.outcome.accuracy) ?? 0) * 2 >= records.length || out.some((o) => o.seed === r.seed)) continue;
    out.push({ seed: r.seed, kind: 'minority-outcome', outcome: r.outcome.accuracy, acc: finalAcc(r) });
  }
  return out.sort((a, b) => a.seed - b.seed).slice(0, limit);
}

export function summarizeSetting(runs: SettingRuns, reference: PlaneReference | null, estimator: string): SettingSummary {
  const records = [...runs.records].sort((a, b) => a.seed - b.seed);
  const s = runs.setting;
  // The unpruned runs are the reference: each is checked against the others.
  const checks = records.map((r) => checkPlane(r, reference, s.kind === 'baseline'));
  const measured = checks.filter((c) => c.measured);
  const points = records.map((r) => finalPoints(r, estimator)).filter((p) => p !== null);
  const layerNames = [...new Set(points.flatMap((p) => Object.keys(p)))];
  const layers = Object.fromEntries(
    layerNames.map((l) => [
      l,
      { ixt: medianEstimate(numbers(points.map((p) => p[l]?.ixt ?? null))), ity: medianEstimate(numbers(points.map((p) => p[l]?.ity ?? null))) },
    ]),
  );
  const compression: Record<string, { count: number; total: number }> = {};
  const labelled = records.filter((r) => ok(r) && r.outcome.accuracy !== 'diverged');
  for (const layer of [...new Set(labelled.flatMap((r) => Object.keys(r.outcome.planes)))]) {
    const withLabel = labelled.filter((r) => r.outcome.planes[layer] !== undefined && r.outcome.planes[layer] !== 'unmeasured');
    compression[layer] = { count: withLabel.filter((r) => r.outcome.planes[layer] === 'compression').length, total: withLabel.length };
  }
  const outcomes = Object.fromEntries(ACCURACY_OUTCOMES.map((o) => [o, records.filter((r) => r.outcome.accuracy === o).length])) as Record<
    AccuracyOutcome,
    number
  >;
  const finished = records.filter(ok).length;
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
    errors: records.length - finished,
    outcomes,
    trained: proportion(outcomes.trained, finished),
    finalAcc: medianEstimate(numbers(records.map(finalAcc))),
    meanIxt: medianEstimate(numbers(records.map((r) => meanFinalIxt(r, estimator)))),
    layers,
    lastLayers: lastLayers(layerNames),
    odd: proportionEstimate(measured.filter(isOdd).length, measured.length),
    tags: Object.fromEntries(ODD_TAGS.map((t) => [t, measured.filter((c) => c.tags.includes(t)).length])) as Record<OddTag, number>,
    checks,
    compression,
    rare: rareRuns(records, checks),
  };
}
