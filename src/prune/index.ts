// Pruning at initialization with torch.nn.utils.prune semantics: pure
// functions from weights (and existing masks) to masks. See plan.ts for the
// modes and DESIGN.md ("Pruning") for the facts they match.

export { type Amount, type AmountInput, canonicalAmount, formatAmount, parseAmount, pruneCount, roundHalfEven } from './amount.ts';
export { type MatrixShape, type PrunableLayer, countKept, fullyPrunedRows } from './matrix.ts';
export { l1Unstructured } from './l1-unstructured.ts';
export { type LnStructuredOptions, type SliceDim, aliveSlices, lnStructured, sliceNorms } from './ln-structured.ts';
export { type MaskedWeight, globalUnstructured } from './global-unstructured.ts';
export { type GlobalNeuronOptions, type NeuronLayer, type NeuronNormalization, globalNeuron, neuronScores } from './global-neuron.ts';
export { biasMaskFromWeightMask } from './bias.ts';
export { type LayerPruneReport, type NetPruneReport, analyzeMasks, skippableInputColumns } from './analysis.ts';
export {
  PRUNE_MODES,
  type PruneMasks,
  type PruneMode,
  type PrunePlanOptions,
  type PruneStep,
  type ResolvedPruneStep,
  applyMask,
  applyMaskInPlace,
  applyPrunePlan,
  resolvePruneSteps,
} from './plan.ts';
export { SCORE_NAMES, type ScoreName, GRASP_TEMPERATURE } from './scores/scores.ts';
export type { Scoring, ScoringContext } from './scores/scored-step.ts';
export { SCORE_ROWS_PER_CLASS, type ScoringInput, withoutScoringDefaults } from './scores/scoring-options.ts';
export { PRUNE_SCHEDULES, type PruneSchedule, scheduledPruneCounts } from './scores/schedule.ts';
export { ABLATIONS, type Ablation } from './scores/ablate.ts';
