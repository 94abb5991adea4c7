// Claim 7: compression appears only in runs with very high accuracy.
import { type Claim, type ClaimPart, figure, finalAcc, type MeasuredFigure, ok, pc } from '../claim.ts';
import { atLeast, combineVerdicts, proportionEstimate, type Verdict } from '../estimates.ts';
import { NAMED } from '../settings.ts';
import { CLAIM_THRESHOLDS as T } from '../thresholds.ts';
import { proportion } from '../../trials/wilson.ts';
import type { TrialRecord } from '../../trials/record.ts';

export const compressionAccuracy: Claim = {
  text: {
    id: 7,
    key: 'compression-accuracy',
    title: 'Compression appears only in runs with very high accuracy',
    quote: 'whenever the mutual information was high and the plot showed compression, the network showed extremely high accuracy, even with pruned networks',
    where: '§5.2',
    ours: 'Over all settings, the runs whose information plane compresses (a sustained late fall of I(X;T) after its peak) are the very accurate ones.',
    test: `Over every run of every setting, per watched layer (the last hidden layer h4 and the output), the runs labelled compression (every one of the last three measured I(X;T) values after the peak lies ≥ 0.5 bit below the peak reached after epoch 0). Very high accuracy = final test accuracy ≥ the unpruned median − ${pc(T.veryHighMargin)}. Per layer: untestable when no run compresses (the claim is about runs that compress); reproduced when the fraction of compressing runs with very high accuracy has a Wilson 95% lower bound ≥ ${pc(T.onlyFraction)}; not reproduced when its upper bound is < ${pc(T.onlyFraction)}; partly otherwise. The claim combines the two layers.`,
  },
  settings: Object.values(NAMED).flat(),
  evaluate(ctx) {
    const { t } = ctx;
    const all = ctx.all.flatMap((r) => r.records).filter((r) => ok(r) && r.outcome.accuracy !== 'diverged' && finalAcc(r) !== null);
    const watched = [...new Set(all.flatMap((r) => Object.keys(r.outcome.planes)))].sort((a, b) => (a === 'out' ? 1 : b === 'out' ? -1 : a < b ? -1 : 1));
    const high = (r: TrialRecord) => finalAcc(r)! >= ctx.veryHigh - 1e-9;
    const parts: ClaimPart[] = watched.map((layer) => {
      const compresses = (r: TrialRecord) => r.outcome.planes[layer] === 'compression';
      const compressing = all.filter(compresses);
      const p = proportion(compressing.filter(high).length, compressing.length);
      let verdict: Verdict;
      if (compressing.length === 0) verdict = 'untestable';
      else if (p.wilson95[0] >= t.onlyFraction) verdict = 'reproduced';
      else if (p.wilson95[1] < t.onlyFraction) verdict = 'not reproduced';
      else verdict = 'partly';
      const [highRuns, lowRuns] = [all.filter(high), all.filter((r) => !high(r))];
      const figures: MeasuredFigure[] = [
        {
          label: `compressing runs with very high accuracy (≥ ${pc(ctx.veryHigh)})`,
          unit: 'fraction',
          estimate: proportionEstimate(p.count, p.total),
          region: atLeast(t.onlyFraction, `≥ ${pc(t.onlyFraction)}`),
          verdict,
        },
        figure('very accurate runs that compress', 'fraction', proportionEstimate(highRuns.filter(compresses).length, highRuns.length)),
        figure('less accurate runs that compress', 'fraction', proportionEstimate(lowRuns.filter(compresses).length, lowRuns.length)),
      ];
      return { label: `layer ${layer}`, verdict, figures };
    });
    return { verdict: all.length === 0 ? 'no data' : combineVerdicts(parts.map((p) => p.verdict)), figures: [], parts, tables: [] };
  },
};
