// Binning in pre-activation space (`--bin-space pre`). Saxe et al. 2018 bin
// ReLU and tanh layers differently (ReLU is unbounded), so the two are not
// compared on one grid. Here the grid lives where both layers agree, on the
// pre-activations z: edges e_k uniform in z, mapped through the activation,
// e_k ↦ f(e_k), bin the activations t = f(z). For a non-decreasing f, t falls
// in [f(e_k), f(e_{k+1})) exactly when z falls in [e_k, e_{k+1}), so binning t
// by the mapped edges is binning f⁻¹(t) by the uniform ones, which is what is
// computed: t ↦ f⁻¹(t), then the chosen binning with the layer as `linear`.
//
// - tanh: atanh(t). float32 rounds every z ≳ 8.7 to t = ±1 exactly, so ±1
//   maps to ±atanh(1 − 2⁻²⁴) (the largest float32 below 1): the edge map
//   cannot tell those z apart either.
// - relu: t itself for t > 0; t = 0 stands for every z ≤ 0, which the mapped
//   edges put in the bin whose upper edge first exceeds 0, the bin of z = 0.
// - linear: t itself.

import { InputError } from '../core/input-error.ts';
import { type Binning, formatBinning, type LayerActivation } from './binning.ts';

export const BIN_SPACES = ['post', 'pre'] as const;
export type BinSpace = (typeof BIN_SPACES)[number];

/** atanh of the largest float32 below 1: the pre-activation that saturated tanh units stand for. */
export const TANH_SATURATION = Math.atanh(1 - 2 ** -24);

/** The pre-activations z whose binning on uniform edges equals binning t on the mapped edges. */
export function preActivations(t: Float32Array, activation: LayerActivation): Float32Array {
  switch (activation) {
    case 'tanh':
      return t.map((v) => (v >= 1 ? TANH_SATURATION : v <= -1 ? -TANH_SATURATION : Math.atanh(v)));
    case 'relu':
    case 'linear':
      return t;
    default:
      throw new InputError('binSpace', `pre-activation binning needs a tanh, relu or linear layer, got ${activation}`);
  }
}

/** Layers moved to pre-activation space for binning; softmax layers (not elementwise invertible) stay as they are. */
export function preActivationLayers<L extends { activations: Float32Array; activation?: LayerActivation }>(layers: readonly L[]): L[] {
  return layers.map((l) =>
    l.activation === 'softmax' ? l : ({ ...l, activations: preActivations(l.activations, l.activation ?? 'tanh'), activation: 'linear' as const } as L),
  );
}

/** Pre-activations are unbounded: fixed and idnns binning need an explicit range. */
export function checkPreActivationBinning(binning: Binning, field: string): void {
  if ((binning.scheme === 'fixed' || binning.scheme === 'idnns') && !binning.range) {
    throw new InputError(
      field,
      `pre-activations are unbounded: ${formatBinning(binning)} needs a range (e.g. ${binning.scheme}:${binning.bins}:-5:5), or use --scheme adaptive or width`,
    );
  }
}
