// The training engine's interface at the granularity the loop needs: per
// batch, forward through all layers + backward + optimizer step; per
// evaluation, a forward over a whole set that can return every layer's
// activations.

export interface BatchStats {
  /** Summed (not mean) cross-entropy over the batch's rows. */
  lossSum: number;
  correct: number;
}

export interface Evaluation extends BatchStats {
  rows: number;
  /** Per layer (hidden layers, then the output logits), row-major [rows, width]; present when asked for. */
  activations?: Float32Array[];
  /** The stats of EvaluateOptions.subset's rows alone, with views of their rows of `activations`; present when asked for. */
  subset?: Evaluation;
}

export interface EvaluateOptions {
  /** Return every layer's activations. */
  activations?: boolean;
  /**
   * Rows [start, start + rows) that are a set of their own (e.g. the test rows
   * among the MI samples): evaluation chunks restart at `start`, so their loss
   * sums in the same order as evaluating that set alone and Evaluation.subset
   * has its bits. The whole set's lossSum then sums over those chunks.
   */
  subset?: { start: number; rows: number };
  /**
   * x holds the same values as at this engine's earlier evaluations of the same array with
   * reuseInput (a fixed set measured every epoch): an input-sparse first layer then reuses the
   * lists of non-zero inputs it made then instead of scanning x again. Edits to x in between are not seen.
   */
  reuseInput?: boolean;
}

export interface Engine {
  /** One optimizer step on rows of x (row-major [rows, features]) with integer labels. */
  trainBatch(x: Float32Array, labels: Int32Array, rows: number): BatchStats;
  /** Forward over a whole set; the activation arrays are reused by the next call with the same row count. */
  evaluate(x: Float32Array, labels: Int32Array, rows: number, options?: EvaluateOptions): Evaluation;
  /** The kernels each layer runs on (decided at the first call); undefined before it or where there is no choice. */
  kernelPlan?(): KernelPlan | undefined;
  /** Brings the network's public weights up to date (needed with EngineOptions.deferWeights; otherwise a no-op). */
  publishWeights(): void;
}

/**
 * Which kernels a layer may run on: `dense` (the masked dense GEMM), `sparse`
 * (forced), or `auto` (chosen: by measured crossover for pruned layers, by
 * the measured input density for the first layer's input-sparse kernels).
 * Every choice gives bit-identical results; only the speed differs.
 */
export type KernelChoice = 'dense' | 'sparse' | 'auto';
export const KERNEL_CHOICES = ['dense', 'sparse', 'auto'] as const;

export interface EngineOptions {
  /** Weight-sparse kernels for pruned layers (CSR, and compaction of pruned neurons). Default auto. */
  kernels?: KernelChoice;
  /** Input-sparse kernels for the first layer. Default auto: sparse below 50% non-zero inputs. */
  inputKernel?: KernelChoice;
  /** Fraction of non-zero inputs of the training set, measured at load; else measured on the first input seen. */
  inputDensity?: number;
  /**
   * Forces each layer's kernel family (benchmarks and tests; index = layer − 1, undefined = choose).
   * `csr` needs a weight mask; `input-sparse` applies to the first layer only.
   */
  layerKernels?: (LayerKernelChoice['kernel'] | undefined)[];
  /**
   * Lets trainBatch leave an input-sparse first layer's public weights behind its private
   * transposed copy until publishWeights() (the epoch loop calls it once per epoch), instead
   * of writing them back after every step. Results are the same bytes either way.
   */
  deferWeights?: boolean;
}

/** What one layer runs on, and why. */
export interface LayerKernelChoice {
  /** 1-based, like the prune spec. */
  layer: number;
  kernel: 'dense' | 'csr' | 'input-sparse';
  outputs: number;
  /** Output neurons computed (pruned neurons, whose weights are all masked, are dropped: a constant act(b)). */
  keptOutputs: number;
  /** Kept fraction of the weights (1 without a mask). */
  weightDensity: number;
  reason: string;
  /** Seconds per training step of each candidate, where measured (auto). */
  measured?: Record<string, number>;
}

export interface KernelPlan {
  kernels: KernelChoice;
  inputKernel: KernelChoice;
  inputDensity: number | null;
  layers: LayerKernelChoice[];
}
