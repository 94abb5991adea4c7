// Claim 1: the unpruned net trains to about 98%.
import { type Claim, figure, finalAcc, numbers, ok, pc } from '../claim.ts';
import { medianEstimate, proportionEstimate, within } from '../estimates.ts';
import { NAMED } from '../settings.ts';
import { CLAIM_THRESHOLDS as T } from '../thresholds.ts';

export const baselineAccuracy: Claim = {
  text: {
    id: 1,
    key: 'baseline-accuracy',
    title: 'The unpruned net trains to about 98%',
    quote: 'unless the parameters were not extreme the network would usually train to the expected accuracy of 98%',
    where: '§5, Appendix A',
    ours: 'Without pruning, the 784-1024-20-20-20-2 tanh net trained on full MNIST (parity) reaches about 98% test accuracy.',
    test: `Median final test accuracy of the unpruned runs, with its order-statistic 95% interval. Reproduced when the interval lies in ${pc(T.accuracyTarget - T.accuracyTolerance)}–${pc(T.accuracyTarget + T.accuracyTolerance)} (98% ± ${pc(T.accuracyTolerance)}); not reproduced when it lies wholly outside; partly otherwise.`,
  },
  settings: [NAMED.baseline],
  evaluate(ctx) {
    const { t } = ctx;
    const base = ctx.runs(NAMED.baseline);
    const region = within(
      t.accuracyTarget - t.accuracyTolerance,
      t.accuracyTarget + t.accuracyTolerance,
      `${pc(t.accuracyTarget)} ± ${pc(t.accuracyTolerance)}`,
    );
    const acc = figure('median final test accuracy, unpruned', 'accuracy', medianEstimate(numbers(base.map(finalAcc))), region);
    const best = figure(
      'median best test accuracy (any epoch), unpruned',
      'accuracy',
      medianEstimate(numbers(base.map((r) => (ok(r) ? (r.bestTestAcc ?? null) : null)))),
    );
    const trained = ctx.summary(NAMED.baseline)?.trained;
    const trainedFig = figure(`runs that train (≥ ${pc(t.accuracyTarget - 0.02)})`, 'fraction', proportionEstimate(trained?.count ?? 0, trained?.total ?? 0));
    return { verdict: acc.verdict!, figures: [acc, best, trainedFig], parts: [], tables: [] };
  },
};
