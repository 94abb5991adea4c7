// The seed report's claims: what the report says (quoted), the claim in our
// own words, and its operational test. The thresholds of every test are the
// constants below; the page prints them next to each verdict. evaluate.ts
// computes the figures and verdicts from the trial records.
import { PLANE_TOLERANCE } from './planes.ts';
import { REPORT_ACCURACY, REPORT_NEURON_LIMIT, REPORT_WEIGHT_LIMIT } from './settings.ts';

export const CLAIM_THRESHOLDS = Object.freeze({
  /** Claim 1: "the expected accuracy of 98%" read as 98% ± 1 point (PyTorch on this net and data: 98.3–98.6% after 20 epochs). */
  accuracyTarget: REPORT_ACCURACY,
  accuracyTolerance: 0.01,
  /** Claim 2: "conserves … accuracy ∼90%" read as "at least about 90%": ≥ 85%. */
  keptAccuracy: 0.85,
  /** Claim 2: "MI significantly lower": the plane's mean final I(X;T) (over layers) at least 1 bit below the unpruned runs'. */
  muchLowerBits: 1,
  /** Claims 3 and 5: an odd plane "appears" when its rate's Wilson lower bound is ≥ 5% and it is more frequent than without pruning; "not reproduced" when the upper bound is < 5%. */
  appearsRate: 0.05,
  /** Claim 4: the report's limits (65% global weights, 40% global neurons): runs train at the limit and fail at the sweep's next amount, at most 0.15 above it. */
  weightLimit: REPORT_WEIGHT_LIMIT,
  neuronLimit: REPORT_NEURON_LIMIT,
  limitNextWithin: 0.15,
  /** Claim 6: "barely changes": across 10, 30 and 100 bins every layer's final I(X;T) moves < 1 bit and I(T;Y) < 0.1 bit (median over runs). */
  binsIxtBits: 1,
  binsItyBits: 0.1,
  /** Claim 7: "extremely high accuracy" = final test accuracy ≥ the unpruned median − 1 point; "only" = ≥ 90% of the runs that compress. */
  veryHighMargin: 0.01,
  onlyFraction: 0.9,
  /** Claim 8: "infrequent, take multiple attempts" read generously as "in fewer than half of the runs". */
  infrequentRate: 0.5,
  /** What makes a plane odd (planes.ts). */
  plane: PLANE_TOLERANCE,
});

export type ClaimThresholds = typeof CLAIM_THRESHOLDS;

export interface ClaimText {
  id: number;
  key: string;
  title: string;
  /** The report's words, verbatim, and where. */
  quote: string;
  where: string;
  /** The claim in our own words. */
  ours: string;
  /** The operational test, thresholds included. */
  test: string;
}

const pc = (x: number) => `${Number((x * 100).toFixed(2))}%`;
const T = CLAIM_THRESHOLDS;

export const CLAIM_TEXTS: readonly ClaimText[] = [
  {
    id: 1,
    key: 'baseline-accuracy',
    title: 'The unpruned net trains to about 98%',
    quote: 'unless the parameters were not extreme the network would usually train to the expected accuracy of 98%',
    where: '§5, Appendix A',
    ours: 'Without pruning, the 784-1024-20-20-20-2 tanh net trained on full MNIST (parity) reaches about 98% test accuracy.',
    test: `Median final test accuracy of the unpruned runs, with its order-statistic 95% interval. Reproduced when the interval lies in ${pc(T.accuracyTarget - T.accuracyTolerance)}–${pc(T.accuracyTarget + T.accuracyTolerance)} (98% ± ${pc(T.accuracyTolerance)}); not reproduced when it lies wholly outside; partly otherwise.`,
  },
  {
    id: 2,
    key: 'layer-weight-pruning',
    title: '95% weight pruning of one layer keeps ~90% accuracy with much lower MI',
    quote: 'the model conserves a good portion of accuracy ∼90% while the mutual information is significantly lower than what we expected',
    where: '§5.1, Figure 1',
    ours: 'Removing 95% of the weights (smallest |w| at init) of any single layer still leaves a net that classifies well, yet its layers end up holding much less information about the input than the unpruned net’s.',
    test: `For each layer L = 1…5: (a) median final test accuracy ≥ ${pc(T.keptAccuracy)} (interval wholly above: holds; wholly below: fails); (b) the plane’s mean final I(X;T) (mean over h1…h4 and out, fixed:30 bins) is at least ${T.muchLowerBits} bit below the unpruned runs’: the difference of medians with its Bonferroni 95% interval lies in [${T.muchLowerBits}, ∞). A layer is reproduced when (a) and (b) hold, not reproduced when both fail, partly otherwise; the claim combines the five layers the same way.`,
  },
  {
    id: 3,
    key: 'layer-neuron-pruning',
    title: '90% neuron pruning of layer 2 gives an abnormal information plane',
    quote: 'We see that the information plot is even more bizarre than the previous examples.',
    where: '§5.1, Figure 2',
    ours: 'Removing 90% of layer 2’s neurons (18 of 20, smallest incoming L2 norm at init) produces information planes unlike the unpruned net’s.',
    test: `A run’s plane is odd when some layer ends ≥ ${T.plane.ixtBits} bit away from the unpruned runs’ median final I(X;T), or ≥ ${T.plane.ityBits} bit away in I(T;Y), or the last hidden layer or output ends with I(X;T) < ${T.plane.zeroMiBits} bit. Reproduced when the odd rate among 90%-layer-2 runs has a Wilson 95% lower bound ≥ ${pc(T.appearsRate)} and exceeds the unpruned runs’ rate; not reproduced when its upper bound is < ${pc(T.appearsRate)} or below the unpruned rate’s lower bound; partly otherwise.`,
  },
  {
    id: 4,
    key: 'global-limits',
    title: '65% of global weights and 40% of global neurons are the limits of trainability',
    quote: 'below these percentages, the model trains to completion, while above these values, the model fails to train',
    where: '§5.2, Figure 3',
    ours: `Global pruning at init up to ${pc(T.weightLimit)} of all weights, or ${pc(T.neuronLimit)} of all hidden neurons, still trains; more does not.`,
    test: `A run trains when its final test accuracy is ≥ 96% (98% − 2 points). For each sweep, the fraction of runs that train at the report’s limit and at the sweep’s next amount above it (at most ${T.limitNextWithin} higher), with Wilson 95% intervals. Reproduced when runs clearly train at the limit (lower bound ≥ 50%) and clearly fail at the next amount (upper bound < 50%); not reproduced when they clearly train at the next amount (lower bound > 50%) or clearly fail at the limit (upper bound < 50%); partly otherwise, and for the claim when one limit holds and the other does not. The amount where the trained fraction crosses 50% (linear interpolation between amounts; interval where the Wilson bounds cross) is shown beside it.`,
  },
  {
    id: 5,
    key: 'zero-mi-last-layer',
    title: 'At 40% global neuron pruning the last layer carries no information about the input',
    quote: 'the information plane shows no mutual information between the final layer and the input layer. However, we also get a bit lesser accuracy',
    where: '§5.2, Figure 3b',
    ours: 'With 40% of hidden neurons pruned globally, the last layer (the last hidden layer or the output) ends training with I(X;T) ≈ 0, and such runs are a little less accurate.',
    test: `Rate of 40%-global-neuron runs whose last hidden layer or output ends with I(X;T) < ${T.plane.zeroMiBits} bit. Reproduced when its Wilson 95% lower bound is ≥ ${pc(T.appearsRate)} and it exceeds the unpruned rate; not reproduced when its upper bound is < ${pc(T.appearsRate)}; partly otherwise.`,
  },
  {
    id: 6,
    key: 'bins',
    title: 'The number of bins barely changes the unpruned information plane',
    quote: 'in most cases the number of bins did not impact the information plane, especially in the ideal no-pruning case',
    where: '§5.2, Appendix D',
    ours: 'Measuring the same unpruned runs with 10, 30 or 100 bins per unit gives nearly the same information plane.',
    test: `Each unpruned run is measured with fixed:30, fixed:10 and fixed:100 binning at once. Per run, the largest change of any layer’s final I(X;T) between 30 bins and 10 or 100 bins, and the same for I(T;Y). Reproduced when the medians’ 95% intervals lie below ${T.binsIxtBits} bit (I(X;T)) and ${T.binsItyBits} bit (I(T;Y)); not reproduced when both lie wholly above; partly otherwise. The 65%-global runs are measured the same way and shown beside them.`,
  },
  {
    id: 7,
    key: 'compression-accuracy',
    title: 'Compression appears only in runs with very high accuracy',
    quote: 'whenever the mutual information was high and the plot showed compression, the network showed extremely high accuracy, even with pruned networks',
    where: '§5.2',
    ours: 'Over all settings, the runs whose information plane compresses (I(X;T) falls after its peak) are the very accurate ones.',
    test: `Over every run of every setting, per watched layer (the last hidden layer h4 and the output), the runs labelled compression (I(X;T) falls ≥ 0.5 bit below its peak after the peak). Very high accuracy = final test accuracy ≥ the unpruned median − ${pc(T.veryHighMargin)}. Per layer: reproduced when the fraction of compressing runs with very high accuracy has a Wilson 95% lower bound ≥ ${pc(T.onlyFraction)}; not reproduced when its upper bound is < ${pc(T.onlyFraction)}, or no run compresses; partly otherwise. The claim combines the two layers.`,
  },
  {
    id: 8,
    key: 'infrequent',
    title: 'The odd information planes are infrequent',
    quote: 'these information planes can be reproduced, however they are infrequent and take multiple attempts to occur',
    where: '§5.2, Appendix D',
    ours: 'In each pruned setting of the report, the odd plane it shows turns up only in a minority of runs.',
    test: `Per pruned setting of the report (95% of layer 1…5, 90% neurons of layer 2, 65% global weights, 40% global neurons), the rate of odd planes (as in claim 3). Reproduced for a setting when the Wilson 95% upper bound is ≤ ${pc(T.infrequentRate)}; not reproduced when the lower bound is > ${pc(T.infrequentRate)}; partly otherwise. The claim combines the settings.`,
  },
];
