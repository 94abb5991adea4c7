// From the trial records of every setting to the reproduction: per setting
// its figures, per sweep its trainability curve and what pruning left at
// init, per claim (claims/*.ts) its figures with 95% intervals and a
// verdict. Pure: the same records give the same result, whatever order they
// come in; tests feed it synthetic records. The wording is report/'s.
import type { ClaimContext, ClaimEvaluation, SweepResult } from './claim.ts';
import { CLAIMS } from './claims/index.ts';
import { limitEstimate, pruningAtInit, type SweepPoint, trainabilitySeries } from './limits.ts';
import { type PlaneReference, planeReference } from './planes.ts';
import { FIRST_ESTIMATOR, NAMED, onSweep, type SettingRef } from './settings.ts';
import { type SettingRuns, type SettingSummary, summarizeSetting } from './setting-summary.ts';
import { CLAIM_THRESHOLDS, type ClaimThresholds } from './thresholds.ts';

export type { SettingRuns, SettingSummary } from './setting-summary.ts';
export type { ClaimEvaluation, SweepResult } from './claim.ts';

export interface Reproduction {
  estimator: string;
  thresholds: ClaimThresholds;
  reference: PlaneReference | null;
  /** "Very high accuracy" of claim 7: the unpruned median − the margin. */
  veryHighAccuracy: number;
  settings: SettingSummary[];
  sweeps: SweepResult[];
  claims: ClaimEvaluation[];
}

export function evaluateReproduction(input: readonly SettingRuns[], thresholds: ClaimThresholds = CLAIM_THRESHOLDS): Reproduction {
  const estimator = FIRST_ESTIMATOR;
  const runs = new Map(input.map((r) => [r.setting.id, r]));
  const reference = planeReference(runs.get(NAMED.baseline.id)?.records ?? [], estimator);
  const settings = input.map((r) => summarizeSetting(r, reference, estimator));
  const summaries = new Map(settings.map((s) => [s.id, s]));
  const baseAcc = summaries.get(NAMED.baseline.id)?.finalAcc.value ?? null;
  const veryHigh = (baseAcc ?? thresholds.accuracyTarget) - thresholds.veryHighMargin;
  const sweeps: SweepResult[] = (['global-weight', 'global-neuron'] as const).map((kind) => {
    const points: SweepPoint[] = input.filter((r) => onSweep(r.setting, kind)).map((r) => ({ x: r.setting.amount, cell: r.setting.id, records: r.records }));
    const label = kind === 'global-weight' ? 'global weight pruning' : 'global neuron pruning';
    const series = trainabilitySeries(label, points);
    return {
      kind,
      label,
      reportLimit: kind === 'global-weight' ? thresholds.weightLimit : thresholds.neuronLimit,
      series,
      limit: limitEstimate(series),
      atInit: pruningAtInit(points.filter((p) => p.x > 0)),
    };
  });
  const ctx: ClaimContext = {
    t: thresholds,
    runs: (ref: SettingRef) => runs.get(ref.id)?.records ?? [],
    summary: (ref: SettingRef) => summaries.get(ref.id),
    all: input,
    reference,
    estimator,
    veryHigh,
    sweeps,
  };
  const claims = CLAIMS.map((c) => ({ ...c.text, ...c.evaluate(ctx) }));
  return { estimator, thresholds, reference, veryHighAccuracy: veryHigh, settings, sweeps, claims };
}
