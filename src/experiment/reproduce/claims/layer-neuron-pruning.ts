// Claim 3: 90% neuron pruning of layer 2 gives an abnormal information plane.
import { type Claim, figure, type MeasuredFigure, pc } from '../claim.ts';
import { proportionEstimate } from '../estimates.ts';
import { NAMED } from '../settings.ts';
import { CLAIM_THRESHOLDS as T } from '../thresholds.ts';
import { appearsVerdict, layerMedianTable, rateCounts } from './odd-rates.ts';

export const layerNeuronPruning: Claim = {
  text: {
    id: 3,
    key: 'layer-neuron-pruning',
    title: '90% neuron pruning of layer 2 gives an abnormal information plane',
    quote: 'We see that the information plot is even more bizarre than the previous examples.',
    where: '§5.1, Figure 2',
    ours: 'Removing 90% of layer 2’s neurons (18 of 20, smallest incoming L2 norm at init) produces information planes unlike the unpruned net’s.',
    test: `A run’s plane is odd when some layer ends outside the unpruned runs’ range (over seeds) of final I(X;T) or of final I(T;Y), or the last hidden layer or output ends with I(X;T) < ${T.plane.zeroMiBits} bit; each unpruned run is checked against the range of the others, which gives the unpruned odd rate. Reproduced when the odd rate among 90%-layer-2 runs has a Wilson 95% lower bound ≥ ${pc(T.appearsRate)} and exceeds the unpruned runs’ rate; not reproduced when its upper bound is < ${pc(T.appearsRate)} or below the unpruned rate’s lower bound; partly otherwise.`,
  },
  settings: [NAMED.baseline, NAMED.ln90L2],
  evaluate(ctx) {
    const rate = rateCounts(ctx.summary(NAMED.ln90L2));
    const baseRate = rateCounts(ctx.summary(NAMED.baseline));
    const verdict = appearsVerdict(rate, baseRate, ctx.t.appearsRate);
    const fig: MeasuredFigure = {
      label: 'odd planes, 90% neurons of layer 2',
      unit: 'fraction',
      estimate: proportionEstimate(rate.count, rate.total),
      verdict,
    };
    const baseFig = figure('odd planes, unpruned (each against the others)', 'fraction', proportionEstimate(baseRate.count, baseRate.total));
    const table = layerMedianTable(ctx, [NAMED.ln90L2]);
    return { verdict, figures: [fig, baseFig], parts: [], tables: table ? [table] : [] };
  },
};
