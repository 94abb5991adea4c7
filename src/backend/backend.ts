// One Backend interface at the granularity the training loop needs: per batch,
// forward through all layers + backward + optimizer step; per evaluation, a
// forward over a whole set that can return every layer's activations.
import type { Network, OptimizerConfig } from './model.ts';

export interface BatchStats {
  /** Summed (not mean) cross-entropy over the batch's rows. */
  lossSum: number;
  correct: number;
}

export interface Evaluation extends BatchStats {
  rows: number;
  /** Per layer (hidden layers, then the output logits), row-major [rows, width]; present when asked for. */
  activations?: Float32Array[];
}

export interface Engine {
  /** One optimizer step on rows of x (row-major [rows, features]) with integer labels. */
  trainBatch(x: Float32Array, labels: Int32Array, rows: number): BatchStats;
  /** Forward over a whole set; the activation arrays are reused by the next call with the same row count. */
  evaluate(x: Float32Array, labels: Int32Array, rows: number, options?: { activations?: boolean }): Evaluation;
}

export interface BackendInfo {
  name: string;
  /** e.g. "avx512, 2 threads" */
  detail: string;
}

export interface Backend {
  readonly name: 'reference' | 'native';
  info(): BackendInfo;
  /** An engine training `net` in place (its weight arrays are shared, never copied). */
  createEngine(net: Network, optimizer: OptimizerConfig, batchSize: number): Engine;
}
