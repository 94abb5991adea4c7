// A pruning plan: a list of steps applied in order to a net's weight
// matrices, each step starting from the masks the previous ones left (torch
// applies repeated pruning through a PruningContainer: each new step takes
// its amount from what remains). Layers are numbered 1..L as in the CLI:
// layer l is the weight matrix feeding layer l's neurons; layer L is the
// output layer.
//
// Modes:
//   layer-weight   l1_unstructured on each listed layer separately
//                  (default: every layer 1..L);
//   layer-neuron   ln_structured(n, dim) on each listed layer separately
//                  (default: the hidden layers 1..L−1);
//   global-weight  global_unstructured(L1) over the listed layers together
//                  (default: every hidden and output layer, 1..L);
//   global-neuron  our global structured extension, hidden layers only
//                  (default: 1..L−1; see global-neuron.ts).
// The weight modes also take a score other than magnitude, several rounds on
// a schedule and an ablation (scores/scored-step.ts); left at their defaults
// they are torch's one-shot L1 methods above.
// Pruning output neurons (global-neuron, or layer-neuron with dim 0 on layer
// L) is refused: it removes a class logit. layer-neuron with dim 1 on layer
// L prunes its inputs (the last hidden units' outgoing weights) and is fine.

import { InputError } from '../core/input-error.ts';
import { type Amount, type AmountInput, parseAmount } from './amount.ts';
import { biasMaskFromWeightMask } from './bias.ts';
import { type NeuronNormalization, checkNormalization, globalNeuron } from './global-neuron.ts';
import { globalUnstructured } from './global-unstructured.ts';
import { l1Unstructured } from './l1-unstructured.ts';
import { type SliceDim, checkDim, checkNormOrder, lnStructured } from './ln-structured.ts';
import { type PrunableLayer, checkChain, checkMask, checkWeight } from './matrix.ts';
import { type Scoring, scoredStep, type ScoringContext } from './scores/scored-step.ts';
import { checkScoring, type ScoringInput } from './scores/scoring-options.ts';

export type PruneMode = 'layer-weight' | 'layer-neuron' | 'global-weight' | 'global-neuron';
export const PRUNE_MODES: readonly PruneMode[] = ['layer-weight', 'layer-neuron', 'global-weight', 'global-neuron'];

export interface PruneStep extends ScoringInput {
  mode: PruneMode;
  /** Fraction in [0, 1] or count; see amount.ts for how numbers and strings read. */
  amount: AmountInput;
  /** 1-based layer numbers; the default depends on the mode (see above). */
  layers?: readonly number[];
  /** Norm order for the neuron modes, 2 by default. */
  n?: number;
  /** layer-neuron only: 0 = output neurons (rows, default), 1 = inputs (columns). */
  dim?: SliceDim;
  /** global-neuron only: 'none' (default) or 'fan-in'. */
  normalize?: NeuronNormalization;
}

/** A validated step with its defaults filled in. */
export interface ResolvedPruneStep {
  mode: PruneMode;
  amount: Amount;
  /** Ascending, 1-based. */
  layers: number[];
  n: number;
  dim: SliceDim;
  normalize: NeuronNormalization;
  /** Weight modes: how weights are ranked; magnitude, one round, for the others. */
  scoring: Scoring;
}

const SCORING_FIELDS = ['score', 'rounds', 'schedule', 'scoreBatches', 'ablate'];

const FIELDS_OF: Record<PruneMode, readonly string[]> = {
  'layer-weight': ['mode', 'amount', 'layers', ...SCORING_FIELDS],
  'layer-neuron': ['mode', 'amount', 'layers', 'n', 'dim'],
  'global-weight': ['mode', 'amount', 'layers', ...SCORING_FIELDS],
  'global-neuron': ['mode', 'amount', 'layers', 'n', 'normalize'],
};

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let l = from; l <= to; l++) out.push(l);
  return out;
}

/** Validates steps against a net of `layerCount` layers; every error names the step and field. */
export function resolvePruneSteps(steps: readonly PruneStep[], layerCount: number): ResolvedPruneStep[] {
  if (!Array.isArray(steps)) throw new InputError('steps', 'must be an array of prune steps');
  return steps.map((step, s) => resolveStep(step, s, layerCount));
}

function resolveStep(step: PruneStep, s: number, L: number): ResolvedPruneStep {
  const at = `steps[${s}]`;
  if (step === null || typeof step !== 'object') throw new InputError(at, `must be an object, got ${JSON.stringify(step)}`);
  const mode = step.mode;
  if (!PRUNE_MODES.includes(mode)) throw new InputError(`${at}.mode`, `must be one of ${PRUNE_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  for (const key of Object.keys(step)) {
    if ((step as unknown as Record<string, unknown>)[key] === undefined) continue;
    if (!FIELDS_OF[mode].includes(key)) {
      throw new InputError(`${at}.${key}`, `is not an option of mode ${mode} (it takes ${FIELDS_OF[mode].join(', ')})`);
    }
  }
  const amount = parseAmount(step.amount, `${at}.amount`);
  const n = step.n ?? 2;
  checkNormOrder(n, `${at}.n`);
  const dim = step.dim ?? 0;
  checkDim(dim, `${at}.dim`);
  const normalize = step.normalize ?? 'none';
  checkNormalization(normalize, `${at}.normalize`);
  const scoring = checkScoring(step, at);

  const neuronsOfLayers = mode === 'global-neuron' || (mode === 'layer-neuron' && dim === 0);
  const defaults = mode === 'layer-weight' || mode === 'global-weight' ? range(1, L) : range(1, L - 1);
  if (step.layers !== undefined && !Array.isArray(step.layers)) {
    throw new InputError(`${at}.layers`, `must be an array of layer numbers 1..${L}, got ${JSON.stringify(step.layers)}`);
  }
  const layers = step.layers === undefined ? defaults : [...step.layers];
  if (layers.length === 0) {
    throw new InputError(
      `${at}.layers`,
      step.layers === undefined ? `mode ${mode} needs a hidden layer, and this net has none` : 'must name at least one layer',
    );
  }
  const seen = new Set<number>();
  for (const [i, l] of layers.entries()) {
    const f = `${at}.layers[${i}]`;
    if (!Number.isInteger(l) || l < 1 || l > L) throw new InputError(f, `no layer ${JSON.stringify(l)}: the net has layers 1..${L}`);
    if (seen.has(l)) throw new InputError(f, `layer ${l} is listed twice`);
    if (neuronsOfLayers && l === L) {
      throw new InputError(
        f,
        `layer ${l} is the output layer: ${mode} would prune class outputs (use layer-weight, or layer-neuron with dim 1 to prune its inputs)`,
      );
    }
    seen.add(l);
  }
  layers.sort((a, b) => a - b);
  return { mode, amount, layers, n, dim, normalize, scoring };
}

export interface PrunePlanOptions {
  /** Zero the bias of neurons whose incoming row ends up fully pruned (default false, like torch). */
  pruneBias?: boolean;
  /** Masks to start from (one per layer); all ones when absent. Not modified. */
  masks?: readonly Uint8Array[];
  /** Kernels, data, randomness and biases for steps scored otherwise than by one-shot magnitude. */
  scoring?: ScoringContext & { biases: readonly Float32Array[] };
}

export interface PruneMasks {
  /** One per layer, shape [out, in] like the weight. */
  weightMasks: Uint8Array[];
  /** One per layer, length out; all ones unless `pruneBias`. */
  biasMasks: Uint8Array[];
  /** Layers (0-based) whose weights a `reinit` ablation redrew: the weights to train from. */
  redrawn: Map<number, Float32Array>;
}

/** One-shot magnitude, torch's own methods; anything else goes through scored-step.ts. */
function isTorchStep(step: ResolvedPruneStep): boolean {
  const s = step.scoring;
  return s.score === 'magnitude' && s.rounds === 1 && s.ablate === undefined;
}

/** Applies `steps` in order to the weights of `layers` (0-based array, layer l+1 in the CLI). */
export function applyPrunePlan(layers: readonly PrunableLayer[], steps: readonly PruneStep[], options: PrunePlanOptions = {}): PruneMasks {
  checkChain(layers);
  for (const [l, layer] of layers.entries()) checkWeight(layer.weight, layer, `layers[${l}]`);
  const resolved = resolvePruneSteps(steps, layers.length);
  let masks: Uint8Array[];
  if (options.masks !== undefined) {
    if (options.masks.length !== layers.length) {
      throw new InputError('masks', `has ${options.masks.length} entries, expected one per layer (${layers.length})`);
    }
    masks = options.masks.map((m, l) => {
      checkMask(m, layers[l].out * layers[l].in, `layers[${l}]`);
      return m.slice();
    });
  } else {
    masks = layers.map((layer) => new Uint8Array(layer.out * layer.in).fill(1));
  }

  const weights = layers.map((layer) => layer.weight);
  const redrawn = new Map<number, Float32Array>();
  for (const [s, step] of resolved.entries()) {
    const field = `steps[${s}].amount`;
    const idx = step.layers.map((l) => l - 1);
    if (!isTorchStep(step)) {
      const context = options.scoring;
      if (!context) throw new InputError(`steps[${s}].score`, `${step.scoring.score} scoring needs the net's kernels and data (run it through a spec)`);
      const scoreLayers = layers.map((layer, l) => ({ in: layer.in, out: layer.out, weight: weights[l], bias: context.biases[l] }));
      const groups = step.mode === 'global-weight' ? [idx] : idx.map((l) => [l]);
      const result = scoredStep(scoreLayers, masks, groups, step.amount, step.scoring, context, field);
      masks = result.masks;
      for (const [l, w] of result.weights) {
        weights[l] = w;
        redrawn.set(l, w);
      }
      continue;
    }
    const current = layers.map((layer, l) => ({ ...layer, weight: weights[l] }));
    switch (step.mode) {
      case 'layer-weight':
        for (const l of idx) masks[l] = l1Unstructured(current[l].weight, masks[l], step.amount, `${field} (layer ${l + 1})`);
        break;
      case 'layer-neuron':
        for (const l of idx) {
          masks[l] = lnStructured(current[l].weight, masks[l], current[l], step.amount, { n: step.n, dim: step.dim }, `${field} (layer ${l + 1})`);
        }
        break;
      case 'global-weight': {
        const next = globalUnstructured(
          idx.map((l) => ({ weight: current[l].weight, mask: masks[l] })),
          step.amount,
          field,
        );
        idx.forEach((l, i) => (masks[l] = next[i]));
        break;
      }
      case 'global-neuron': {
        const chosen = idx.map((l) => ({ weight: current[l].weight, mask: masks[l], out: current[l].out, in: current[l].in }));
        const next = globalNeuron(chosen, step.amount, { n: step.n, normalize: step.normalize }, field);
        idx.forEach((l, i) => (masks[l] = next[i]));
        break;
      }
    }
  }
  const biasMasks = layers.map((layer, l) => (options.pruneBias ? biasMaskFromWeightMask(masks[l], layer) : new Uint8Array(layer.out).fill(1)));
  return { weightMasks: masks, biasMasks, redrawn };
}

/**
 * values × mask as a new array. Pruned entries become +0 exactly (torch's
 * `mask * orig` gives −0 for negative weights; the two compare equal).
 */
export function applyMask(values: Float32Array, mask: Uint8Array): Float32Array {
  if (values.length !== mask.length) throw new InputError('mask', `has ${mask.length} entries, expected ${values.length}`);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = mask[i] ? values[i] : 0;
  return out;
}

/** values ×= mask in place (pruned entries become +0); returns `values`. */
export function applyMaskInPlace(values: Float32Array, mask: Uint8Array): Float32Array {
  if (values.length !== mask.length) throw new InputError('mask', `has ${mask.length} entries, expected ${values.length}`);
  for (let i = 0; i < values.length; i++) if (!mask[i]) values[i] = 0;
  return values;
}
