// The seed-to-seed spread the outcome thresholds are meant to exceed, from
// the runs of one trials directory: the final test accuracy (against
// trainedMargin and chanceMargin), the most-predicted class's share, and per
// watched layer the final I(X;T) and its sustained fall from the post-init
// peak (against compressionBits). summary.json and the page print them next
// to the thresholds, so a reader sees whether a label separates runs or noise.
import { dominantPrediction, sustainedFall } from './classify.ts';
import { planeFacts, type TrialRecord } from './record.ts';
import { type Spread, spread } from './stats.ts';

export interface OutcomeSpread {
  /** Runs the figures are over: finished, not diverged. */
  runs: number;
  finalTestAcc: Spread;
  /** Share of the test inputs given the most-predicted class (runs that recorded it). */
  dominantPrediction: Spread;
  layers: Record<string, { finalIxt: Spread; fall: Spread }>;
}

export function outcomeSpread(records: readonly TrialRecord[], layers: readonly string[], estimator: string | null, lateEpochs: number): OutcomeSpread {
  const runs = records.filter((r) => r.status === 'ok' && r.outcome.accuracy !== 'diverged');
  const perLayer: OutcomeSpread['layers'] = {};
  for (const layer of layers) {
    const facts = runs.map((r) => planeFacts(r, layer, estimator)).filter((f) => f !== undefined);
    perLayer[layer] = {
      finalIxt: spread(facts.map((f) => f.ixt[f.ixt.length - 1])),
      // A run without a fall (peak last) falls by 0: it is part of the spread the threshold must exceed.
      fall: spread(facts.map((f) => sustainedFall(f.epochs, f.ixt, lateEpochs)?.fall ?? 0)),
    };
  }
  return {
    runs: runs.length,
    finalTestAcc: spread(runs.map((r) => r.final?.testAcc ?? Number.NaN)),
    dominantPrediction: spread(runs.map((r) => dominantPrediction(r.predictedClassFractions) ?? Number.NaN)),
    layers: perLayer,
  };
}
