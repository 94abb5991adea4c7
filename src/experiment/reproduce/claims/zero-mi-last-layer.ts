// Claim 5: at 40% global neuron pruning the last layer carries no information about the input.
import { type Claim, figure, finalAcc, type MeasuredFigure, numbers, pc } from '../claim.ts';
import { medianEstimate, proportionEstimate } from '../estimates.ts';
import { lastLayers } from '../planes.ts';
import { NAMED } from '../settings.ts';
import { CLAIM_THRESHOLDS as T } from '../thresholds.ts';
import { appearsVerdict, layerMedianTable, rateCounts } from './odd-rates.ts';

export const zeroMiLastLayer: Claim = {
  text: {
    id: 5,
    key: 'zero-mi-last-layer',
    title: 'At 40% global neuron pruning the last layer carries no information about the input',
    quote: 'the information plane shows no mutual information between the final layer and the input layer. However, we also get a bit lesser accuracy',
    where: '§5.2, Figure 3b',
    ours: 'With 40% of hidden neurons pruned globally, the last layer (the last hidden layer or the output) ends training with I(X;T) ≈ 0, and such runs are a little less accurate.',
    test: `Rate of 40%-global-neuron runs whose last hidden layer or output ends with I(X;T) < ${T.plane.zeroMiBits} bit. Reproduced when its Wilson 95% lower bound is ≥ ${pc(T.appearsRate)} and it exceeds the unpruned rate; not reproduced when its upper bound is < ${pc(T.appearsRate)}; partly otherwise.`,
  },
  settings: [NAMED.baseline, NAMED.gn40],
  evaluate(ctx) {
    const s = ctx.summary(NAMED.gn40);
    const rate = rateCounts(s, 'zero-mi');
    const baseRate = rateCounts(ctx.summary(NAMED.baseline), 'zero-mi');
    const verdict = appearsVerdict(rate, baseRate, ctx.t.appearsRate);
    const figures: MeasuredFigure[] = [
      {
        label: 'runs whose last layer ends with zero I(X;T), 40% global neurons',
        unit: 'fraction',
        estimate: proportionEstimate(rate.count, rate.total),
        verdict,
      },
      figure('the same, unpruned', 'fraction', proportionEstimate(baseRate.count, baseRate.total)),
    ];
    const records = ctx.runs(NAMED.gn40);
    const zeroSeeds = new Set(s?.checks.filter((c) => c.tags.includes('zero-mi')).map((c) => c.seed) ?? []);
    for (const l of s ? lastLayers(Object.keys(s.layers)) : [])
      figures.push(figure(`median final I(X;T) of ${l}, 40% global neurons`, 'bits', s!.layers[l].ixt));
    figures.push(
      figure('median final test accuracy, zero-MI runs', 'accuracy', medianEstimate(numbers(records.filter((r) => zeroSeeds.has(r.seed)).map(finalAcc)))),
    );
    figures.push(
      figure('median final test accuracy, other runs', 'accuracy', medianEstimate(numbers(records.filter((r) => !zeroSeeds.has(r.seed)).map(finalAcc)))),
    );
    const table = layerMedianTable(ctx, [NAMED.gn40]);
    return { verdict, figures, parts: [], tables: table ? [table] : [] };
  },
};
