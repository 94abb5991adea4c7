// Claim 2: 95% weight pruning of one layer keeps ~90% accuracy with much lower MI.
import { type Cell, type Claim, type ClaimPart, type ClaimTable, figure, finalAcc, numbers, pc } from '../claim.ts';
import { atLeast, combineVerdicts, medianDifference, medianEstimate } from '../estimates.ts';
import { meanFinalIxt } from '../planes.ts';
import { NAMED } from '../settings.ts';
import { CLAIM_THRESHOLDS as T } from '../thresholds.ts';

export const layerWeightPruning: Claim = {
  text: {
    id: 2,
    key: 'layer-weight-pruning',
    title: '95% weight pruning of one layer keeps ~90% accuracy with much lower MI',
    quote: 'the model conserves a good portion of accuracy ∼90% while the mutual information is significantly lower than what we expected',
    where: '§5.1, Figure 1',
    ours: 'Removing 95% of the weights (smallest |w| at init) of any single layer still leaves a net that classifies well, yet its layers end up holding much less information about the input than the unpruned net’s.',
    test: `For each layer L = 1…5: (a) median final test accuracy ≥ ${pc(T.keptAccuracy)} (interval wholly above: holds; wholly below: fails); (b) the plane’s mean final I(X;T) (mean over h1…h4 and out, fixed:30 bins) is at least ${T.muchLowerBits} bit below the unpruned runs’: the difference of medians with its Bonferroni 95% interval lies in [${T.muchLowerBits}, ∞). A layer is reproduced when (a) and (b) hold, not reproduced when both fail, partly otherwise; the claim combines the five layers the same way.`,
  },
  settings: [NAMED.baseline, ...NAMED.lw95],
  evaluate(ctx) {
    const { t, reference } = ctx;
    const baseIxt = numbers(ctx.runs(NAMED.baseline).map((r) => meanFinalIxt(r, ctx.estimator)));
    const accRegion = atLeast(t.keptAccuracy, `≥ ${pc(t.keptAccuracy)}`);
    const miRegion = atLeast(t.muchLowerBits, `≥ ${t.muchLowerBits} bit lower`);
    const parts: ClaimPart[] = [];
    const rows: Cell[][] = [];
    for (const setting of NAMED.lw95) {
      const records = ctx.runs(setting);
      const acc = figure('median final test accuracy', 'accuracy', medianEstimate(numbers(records.map(finalAcc))), accRegion);
      const mi = figure(
        'unpruned − pruned: median mean final I(X;T) over layers',
        'bits',
        medianDifference(baseIxt, numbers(records.map((r) => meanFinalIxt(r, ctx.estimator)))),
        miRegion,
      );
      parts.push({
        label: `95% of layer ${setting.layer}'s weights (${setting.id})`,
        verdict: combineVerdicts([acc.verdict!, mi.verdict!]),
        figures: [acc, mi],
      });
      const summary = ctx.summary(setting);
      if (summary && reference)
        rows.push([
          `layer ${setting.layer}`,
          ...Object.keys(reference.layers).map((l) => ({ value: summary.layers[l]?.ixt.value, unit: 'bits' as const })),
          { value: summary.finalAcc.value, unit: 'accuracy' },
        ]);
    }
    const tables: ClaimTable[] = [];
    if (reference) {
      const base = ctx.summary(NAMED.baseline);
      tables.push({
        kind: 'layer-medians-with-accuracy',
        columns: ['setting', ...Object.keys(reference.layers), 'test accuracy'],
        rows: [
          [
            'unpruned',
            ...Object.keys(reference.layers).map((l) => ({ value: reference.layers[l].ixt.median, unit: 'bits' as const })),
            { value: base?.finalAcc.value, unit: 'accuracy' },
          ],
          ...rows,
        ],
      });
    }
    return { verdict: combineVerdicts(parts.map((p) => p.verdict)), figures: [], parts, tables };
  },
};
