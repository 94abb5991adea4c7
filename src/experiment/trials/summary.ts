// The summary of a trials directory, recomputed from trials.jsonl alone (so
// a merge of shards and a single process give the same summary): per outcome
// label and per combination the count, fraction, Wilson 95% interval and the
// seeds; median and IQR trajectories per accuracy outcome and per
// combination. Records are taken in seed order; nothing depends on the
// order lines were written in.
import type { Incompleteness } from './shard-record.ts';
import { ACCURACY_OUTCOMES, PLANE_OUTCOMES } from './classify.ts';
import type { TrialRecord } from './record.ts';
import { type Band, band } from './stats.ts';
import { type OutcomeSpread, outcomeSpread } from './spread.ts';
import type { StopState } from './stop-rule.ts';
import type { OutcomeThresholds } from './thresholds.ts';
import { type Proportion, proportion } from './wilson.ts';

export interface OutcomeCount extends Proportion {
  /** `accuracy`, `plane:<layer>` or `combination`. */
  kind: string;
  label: string;
  seeds: number[];
}

export interface EpochBand extends Band {
  epoch: number;
}

export interface Trajectory {
  runs: number;
  testAcc: EpochBand[];
  estimator: string | null;
  /** layer → per MI epoch, bands of I(X;T) and I(T;Y). */
  layers: Record<string, { epoch: number; ixt: Band; ity: Band }[]>;
}

export interface TrialsSummary {
  specHash: string;
  runs: number;
  errors: number;
  thresholds: OutcomeThresholds;
  /** The layers whose information-plane shape is labelled. */
  watchedLayers: string[];
  /** The seed-to-seed spread the thresholds are set against (spread.ts). */
  spread: OutcomeSpread;
  outcomes: OutcomeCount[];
  combinations: OutcomeCount[];
  trajectories: { accuracy: Record<string, Trajectory>; combination: Record<string, Trajectory> };
  /** With `--until`: the stopping rule and where it stands (stop-rule.ts). */
  stop?: StopState;
  /** Replays one seed exactly; `<dir>` is the trials directory. */
  replay: string;
  /** Only in a merge made with --allow-incomplete: what is missing. */
  incomplete?: Incompleteness;
}

export const REPLAY = 'infoplane run --spec <dir>/spec.json --seed <seed>';

function counts(kind: string, labels: readonly string[], records: readonly TrialRecord[], labelOf: (r: TrialRecord) => string | undefined): OutcomeCount[] {
  return labels.map((label) => {
    const seeds = records.filter((r) => labelOf(r) === label).map((r) => r.seed);
    return { kind, label, ...proportion(seeds.length, records.length), seeds };
  });
}

/** Median and IQR trajectories of a group of runs (those with a curve). */
export function trajectory(records: readonly TrialRecord[]): Trajectory {
  const curves = records.map((r) => r.curve).filter((c): c is NonNullable<typeof c> => c !== undefined);
  const epochs = Math.max(0, ...curves.map((c) => c.testAcc.length));
  const testAcc: EpochBand[] = [];
  for (let i = 0; i < epochs; i++) {
    testAcc.push({ epoch: i + 1, ...band(curves.map((c) => c.testAcc[i]).filter((v): v is number => typeof v === 'number')) });
  }
  const estimator = curves.find((c) => c.estimator !== null)?.estimator ?? null;
  const layers: Trajectory['layers'] = {};
  const layerNames = [...new Set(curves.flatMap((c) => Object.keys(c.ixt)))];
  const miEpochs = [...new Set(curves.flatMap((c) => c.miEpochs))].sort((a, b) => a - b);
  for (const layer of layerNames) {
    layers[layer] = miEpochs
      .map((epoch) => {
        const at = curves.map((c) => ({ c, i: c.miEpochs.indexOf(epoch) })).filter(({ c, i }) => i >= 0 && c.ixt[layer] !== undefined);
        return { epoch, ixt: band(at.map(({ c, i }) => c.ixt[layer][i])), ity: band(at.map(({ c, i }) => c.ity[layer][i])) };
      })
      .filter((p) => p.ixt.n > 0);
  }
  return { runs: records.length, testAcc, estimator, layers };
}

function groups(records: readonly TrialRecord[], key: (r: TrialRecord) => string): Record<string, Trajectory> {
  const labels = [...new Set(records.map(key))].sort();
  return Object.fromEntries(labels.map((label) => [label, trajectory(records.filter((r) => key(r) === label))]));
}

export function summarizeTrials(
  specHash: string,
  input: readonly TrialRecord[],
  thresholds: OutcomeThresholds,
  watchedLayers: readonly string[],
): TrialsSummary {
  const records = input.filter((r) => r.specHash === specHash).sort((a, b) => a.seed - b.seed);
  const ok = records.filter((r) => r.status === 'ok');
  const outcomes = [
    ...counts('accuracy', ACCURACY_OUTCOMES, records, (r) => r.outcome.accuracy),
    ...watchedLayers.flatMap((layer) => counts(`plane:${layer}`, PLANE_OUTCOMES, ok, (r) => r.outcome.planes[layer])),
  ];
  const combos = [...new Set(records.map((r) => r.outcome.combination))];
  const combinations = counts('combination', combos, records, (r) => r.outcome.combination).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
  return {
    specHash,
    runs: records.length,
    errors: records.length - ok.length,
    thresholds,
    watchedLayers: [...watchedLayers],
    spread: outcomeSpread(ok, watchedLayers, ok.find((r) => r.curve?.estimator)?.curve?.estimator ?? null, thresholds.lateEpochs),
    outcomes,
    combinations,
    trajectories: { accuracy: groups(ok, (r) => r.outcome.accuracy), combination: groups(ok, (r) => r.outcome.combination) },
    replay: REPLAY,
  };
}
