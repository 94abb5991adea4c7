// What a backend trains: an MLP's parameters and the optimizer settings.
// PyTorch nn.Linear layout, W[out, in] row-major, float32. Masks (1 kept,
// 0 pruned) live beside the weights as float32 so kernels can multiply by them;
// a pruned weight is exactly 0 and stays 0 through training.
import type { ActivationName } from '../backend/kernels.ts';

export interface Layer {
  readonly in: number;
  readonly out: number;
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  weightMask: Float32Array | null;
  biasMask: Float32Array | null;
}

export interface Network {
  /** Layer widths from input to output, e.g. [784, 1024, 20, 20, 20, 2]. */
  readonly sizes: readonly number[];
  /** Activation of every hidden layer; the output layer is linear (softmax in the loss). */
  readonly activation: ActivationName;
  readonly layers: Layer[];
}

/** The activation applied after layer index l (0-based): hidden layers use the net's, the output is linear. */
export function layerActivation(net: Network, l: number): ActivationName {
  return l === net.layers.length - 1 ? 'linear' : net.activation;
}

// torch.optim defaults where the spec is silent.
export type OptimizerConfig = { kind: 'adam'; lr: number; beta1: number; beta2: number; eps: number } | { kind: 'sgd'; lr: number; momentum: number };
