// Claim 4: 65% of global weights and 40% of global neurons are the limits of
// trainability. The report's "fails to train" means stuck at ~51%: a net at
// chance level (a constant predictor, or collapsed), not one that falls a
// few points short of 98%. So the test is on the chance fraction; degraded
// runs are shown beside it, and so is where the trained fraction falls
// through 50%.
import { amountText, type Claim, type ClaimPart, type ClaimTable, figure, type MeasuredFigure, pc, type SweepResult } from '../claim.ts';
import { atLeast, atMost, combineVerdicts, proportionEstimate, regionVerdict, type Verdict } from '../estimates.ts';
import { NAMED } from '../settings.ts';
import { CLAIM_THRESHOLDS as T, type ClaimThresholds } from '../thresholds.ts';
import type { Proportion } from '../../trials/wilson.ts';

/** The sweep's point at the report's limit and the first amount above it (within limitNextWithin). */
export function limitPoints(sw: SweepResult, t: ClaimThresholds) {
  const pts = sw.series.points;
  const at = pts.find((p) => Math.abs(p.x - sw.reportLimit) < 1e-9);
  const above = pts.find((p) => p.x > sw.reportLimit + 1e-9 && p.x <= sw.reportLimit + t.limitNextWithin + 1e-9);
  return { at, above };
}

/**
 * Claim 4 per sweep, on the fraction of runs at chance level (chance or
 * collapse). Reproduced when runs are clearly not at chance at the limit
 * (Wilson upper bound < 50%) and clearly are at the next amount (lower bound
 * ≥ 50%); not reproduced when they clearly are at the limit (lower bound >
 * 50%) or clearly are not at the next amount (upper bound < 50%); partly
 * otherwise. (The test is made at the grid points themselves: a crossing
 * interpolated between them cannot be compared more finely than the grid.)
 */
export function limitVerdict(atChance: Proportion | null, aboveChance: Proportion | null): Verdict {
  if (!atChance || !aboveChance || atChance.total === 0 || aboveChance.total === 0) return 'no data';
  if (atChance.wilson95[0] > 0.5 || aboveChance.wilson95[1] < 0.5) return 'not reproduced';
  if (atChance.wilson95[1] < 0.5 && aboveChance.wilson95[0] >= 0.5) return 'reproduced';
  return 'partly';
}

export const globalLimits: Claim = {
  text: {
    id: 4,
    key: 'global-limits',
    title: '65% of global weights and 40% of global neurons are the limits of trainability',
    quote: 'below these percentages, the model trains to completion, while above these values, the model fails to train',
    where: '§5.2, Figure 3',
    ours: `Global pruning at init up to ${pc(T.weightLimit)} of all weights, or ${pc(T.neuronLimit)} of all hidden neurons, still trains; more leaves the net stuck at chance level (~51%, the report’s failure).`,
    test: `“Fails to train” is read as the report shows it: stuck at chance level, i.e. the run is labelled chance (it predicts one class, or its accuracy is within 1 point of a constant predictor of either class) or collapse (no input→output path). For each sweep, the fraction of runs at chance level at the report’s limit and at the sweep’s next amount above it (at most ${T.limitNextWithin} higher), with Wilson 95% intervals (error runs left out). Reproduced when runs are clearly not at chance at the limit (upper bound < 50%) and clearly are at the next amount (lower bound ≥ 50%); not reproduced when they clearly are at the limit (lower bound > 50%) or clearly are not at the next amount (upper bound < 50%); partly otherwise, and for the claim when one limit holds and the other does not. Beside it: the degraded fraction (learned, short of 96%), the trained fraction, and the amount where the trained fraction falls through 50%.`,
  },
  settings: [NAMED.baseline, NAMED.gw65, NAMED.gn40],
  evaluate(ctx) {
    const { t } = ctx;
    const parts: ClaimPart[] = ctx.sweeps.map((sw) => {
      const { at, above } = limitPoints(sw, t);
      const verdict = limitVerdict(at?.chance ?? null, above?.chance ?? null);
      const figures: MeasuredFigure[] = [];
      const p = (q: Proportion) => proportionEstimate(q.count, q.total);
      if (at) figures.push(figure(`runs at chance level at the report’s limit, ${amountText(at.x)}`, 'fraction', p(at.chance), atMost(0.5, '< 50% (trains)')));
      if (above)
        figures.push(figure(`runs at chance level at the next amount, ${amountText(above.x)}`, 'fraction', p(above.chance), atLeast(0.5, '≥ 50% (fails)')));
      for (const f of figures) f.verdict = regionVerdict(f.estimate.interval, f.region!);
      for (const q of [at, above])
        if (q) figures.push(figure(`runs degraded (short of ${pc(t.accuracyTarget - 0.02)}, not at chance) at ${amountText(q.x)}`, 'fraction', p(q.degraded)));
      for (const q of [at, above]) if (q) figures.push(figure(`runs that train at ${amountText(q.x)}`, 'fraction', p(q.trained)));
      figures.push(figure('amount where the trained fraction falls through 50%', 'amount', sw.limit));
      return { label: sw.label, verdict, figures };
    });
    const tables: ClaimTable[] = ctx.sweeps
      .filter((sw) => sw.atInit.length > 0)
      .map((sw) => {
        const what = sw.kind === 'global-weight' ? 'keptFraction' : 'aliveFraction';
        return {
          kind: `at-init-${sw.kind}`,
          columns: ['amount', ...sw.atInit[0].layers.map((l) => `L${l.layer}`), 'collapsed', 'trained', 'degraded', 'at chance'],
          rows: sw.atInit.map((p) => {
            const tp = sw.series.points.find((q) => q.x === p.x);
            const frac = (q: Proportion | undefined) => (q && tp ? `${q.count}/${tp.runs}` : '—');
            return [
              { value: p.x, unit: 'amount' as const },
              ...p.layers.map((l) => ({ value: l[what], unit: 'fraction' as const })),
              `${p.collapse.count}/${p.collapse.total}`,
              frac(tp?.trained),
              frac(tp?.degraded),
              frac(tp?.chance),
            ];
          }),
        };
      });
    return { verdict: combineVerdicts(parts.map((p) => p.verdict)), figures: [], parts, tables };
  },
};
