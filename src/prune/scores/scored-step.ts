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
import { smallestKOfAll } from '../select.ts';
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

/**
 * The group's kept scores times `sign`, concatenated in layer order (the
 * global ranking's flat order), in the front of `buffer`. Module-level
 * functions rather than a closure per round keep V8's type feedback, so the
 * hot loops stay optimized from round to round.
 */
function rankedScores(
  group: readonly number[],
  scores: readonly Float64Array[],
  kept: readonly Int32Array[],
  sign: number,
  buffer: Float64Array,
  score: ScoreName,
  field: string,
): Float64Array {
  let offset = 0;
  for (const l of group) {
    const sl = scores[l];
    const n = sl.length;
    for (let i = 0; i < n; i++) {
      const v = sl[i];
      if (Number.isNaN(v)) throw nanScore(field, score, l, kept[l][i]);
      buffer[offset + i] = sign * v;
    }
    offset += n;
  }
  return buffer.subarray(0, offset);
}

function nanScore(field: string, score: ScoreName, l: number, position: number): InputError {
  return new InputError(field, `${score} score of layer ${l + 1} is NaN at weight ${position} (overflow in the score's passes)`);
}

/** Clears the masks at `picked` (ascending indices into the group's ranking) and drops them from `kept`. */
function clearPicked(group: readonly number[], picked: Int32Array, kept: Int32Array[], masks: Uint8Array[]): void {
  let at = 0;
  let offset = 0;
  for (const l of group) {
    const end = offset + kept[l].length;
    for (; at < picked.length && picked[at] < end; at++) masks[l][kept[l][picked[at] - offset]] = 0;
    offset = end;
  }
  for (const l of group) kept[l] = stillKept(kept[l], masks[l]);
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
export function scoredStep(
  layers: readonly ScoreLayer[],
  start: readonly Uint8Array[],
  groups: readonly number[][],
  amount: Amount,
  scoring: Scoring,
  context: ScoringContext,
  field: string,
): ScoredStepResult {
  const masks = start.map((m) => m.slice());
  const targets = groups.map((g) =>
    scheduledPruneCounts(
      amount,
      g.reduce((s, l) => s + countKept(masks[l]), 0),
      scoring.rounds,
      scoring.schedule,
      field,
    ),
  );
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
  // Buffers sized for the first round and reused by every round (kept sets only shrink):
  // fresh arrays of a million scores per round cost more than scoring them.
  const scoreBuffers = kept.map((p) => new Float64Array(p.length));
  const rankBuffers = groups.map((g) => new Float64Array(g.reduce((s, l) => s + kept[l].length, 0)));
  const selectBuffers = rankBuffers.map((b) => new Float64Array(b.length));
  for (let r = 0; r < scoring.rounds; r++) {
    if (groups.every((_, g) => targets[g][r] === pruned[g])) continue; // nothing to prune this round: no scores needed
    const scores = computeScores(scoring.score, layers, masks, kept, inputs, scoreBuffers);
    for (let g = 0; g < groups.length; g++) {
      const k = targets[g][r] - pruned[g];
      if (k === 0) continue;
      const ranked = rankedScores(groups[g], scores, kept, sign, rankBuffers[g], scoring.score, field);
      clearPicked(groups[g], smallestKOfAll(ranked, k, selectBuffers[g]), kept, masks);
      pruned[g] += k;
    }
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
