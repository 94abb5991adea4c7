// One pruning step ranked by a score (scores.ts), over one group of layers
// (global-weight) or each layer on its own (layer-weight), in `rounds`
// rounds on a schedule (schedule.ts), then the step's ablation (ablate.ts).
// Every round rescores the net under the masks so far and prunes, within
// each group, the lowest scores among the still-kept weights (torch's
// PruningContainer semantics: pruned weights stay pruned); the tie rule is
// select.ts's. With one round, the magnitude score gives exactly
// l1_unstructured / global_unstructured.
import type { Amount } from '../amount.ts';
import { InputError } from '../../core/input-error.ts';
import { countKept } from '../matrix.ts';
import { smallestK } from '../select.ts';
import type { Ablation } from './ablate.ts';
import type { ScoreBatch, ScoreLayer } from './mlp-pass.ts';
import { type PruneSchedule, scheduledPruneCounts } from './schedule.ts';
import { computeScores, keptPositions, type ScoreInputs, type ScoreName } from './scores.ts';

export interface Scoring {
  score: ScoreName;
  rounds: number;
  schedule: PruneSchedule;
  /** Batches the data-driven scores read. */
  scoreBatches: number;
  ablate?: Ablation;
}

/** What a scored step needs besides the weights, supplied by the caller that owns data and randomness. */
export interface ScoringContext extends Omit<ScoreInputs, 'batches' | 'random'> {
  /** `count` score batches of the training set (seeded; see experiment/prune-context). */
  batches(count: number): readonly ScoreBatch[];
  /** A named random stream of the run (random scores, shuffles). */
  random(stream: string): { nextUint32(): number; shuffle<T extends Uint8Array>(a: T): T };
  /** Fresh weights of layer l (0-based) from the init distribution (reinit). */
  redraw(l: number): Float32Array;
}

/** The positions whose mask entry is still 1, compacted in place (order kept). */
function stillKept(positions: Int32Array, mask: Uint8Array): Int32Array {
  let n = 0;
  for (let k = 0; k < positions.length; k++) if (mask[positions[k]]) positions[n++] = positions[k];
  return positions.subarray(0, n);
}

export interface ScoredStepResult {
  masks: Uint8Array[];
  /** Replaced weights (reinit), by 0-based layer. */
  weights: Map<number, Float32Array>;
}

/**
 * Applies one scored step to `masks` (all layers; copies are returned).
 * `groups` are lists of 0-based layers ranked together; `amount` applies to
 * each group's kept weights.
 */
export function scoredStep(layers: readonly ScoreLayer[], start: readonly Uint8Array[], groups: readonly number[][], amount: Amount, scoring: Scoring, context: ScoringContext, field: string): ScoredStepResult {
  const masks = start.map((m) => m.slice());
  const targets = groups.map((g) => scheduledPruneCounts(amount, g.reduce((s, l) => s + countKept(masks[l]), 0), scoring.rounds, scoring.schedule, field));
  const pruned = groups.map(() => 0);
  const needsData = scoring.score === 'snip' || scoring.score === 'grasp';
  const inputs: ScoreInputs = {
    kernels: context.kernels,
    activation: context.activation,
    batches: needsData ? context.batches(scoring.scoreBatches) : [],
    random: context.random('prune-random'),
  };
  const sign = scoring.ablate === 'invert' ? -1 : 1;
  // Kept positions per layer, filtered as weights go (the masks themselves are only ever cleared).
  const kept = masks.map(keptPositions);
  for (let r = 0; r < scoring.rounds; r++) {
    if (groups.every((_, g) => targets[g][r] === pruned[g])) continue; // nothing to prune this round: no scores needed
    const scores = computeScores(scoring.score, layers, masks, kept, inputs);
    groups.forEach((group, g) => {
      const k = targets[g][r] - pruned[g];
      if (k === 0) return;
      // The group's kept weights, concatenated in layer order: the global ranking's flat order.
      const ranked = new Float64Array(group.reduce((s, l) => s + kept[l].length, 0));
      let offset = 0;
      for (const l of group) {
        const sl = scores[l];
        for (let i = 0; i < sl.length; i++) {
          if (Number.isNaN(sl[i])) throw new InputError(field, `${scoring.score} score of layer ${l + 1} is NaN at weight ${kept[l][i]} (overflow in the score's passes)`);
          ranked[offset + i] = sign * sl[i];
        }
        offset += sl.length;
      }
      const picked = smallestK(ranked, null, k);
      let at = 0;
      offset = 0;
      for (const l of group) {
        const end = offset + kept[l].length;
        for (; at < picked.length && picked[at] < end; at++) masks[l][kept[l][picked[at] - offset]] = 0;
        offset = end;
      }
      for (const l of group) kept[l] = stillKept(kept[l], masks[l]);
      pruned[g] += k;
    });
  }
  const weights = new Map<number, Float32Array>();
  const layersOfStep = [...new Set(groups.flat())].sort((a, b) => a - b);
  if (scoring.ablate === 'shuffle') {
    const random = context.random('prune-shuffle');
    for (const l of layersOfStep) masks[l] = random.shuffle(masks[l].slice());
  } else if (scoring.ablate === 'reinit') {
    for (const l of layersOfStep) weights.set(l, context.redraw(l));
  }
  return { masks, weights };
}
