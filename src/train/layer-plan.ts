// What each layer of the engine runs on and the private copies that plan
// needs: the kernel family (dense, CSR over pruned weights, or input-sparse
// over non-zero inputs), the kept output rows when whole neurons are pruned,
// and the compacted, packed (CSR) or transposed (Wt) layouts of weights and
// optimizer state, with the moves between them and the public layout.
import type { KernelChoice, LayerKernelChoice } from './engine-types.ts';
import { alignedFloat32, type DenseKernels, hasSparseKernels, paddedStride, type SparseKernels } from '../backend/kernels.ts';
import type { Layer, Network } from './model.ts';
import { type LayerKernel, measureCandidates } from './kernel-autotune.ts';
import { buildCsr, type CsrStructure, droppedRows, inputDensity, type KeptByFeature, keptByFeature, keptRows, rowRuns } from './sparse-structure.ts';

/** `inputKernel: auto` runs the first layer input-sparse below this fraction of non-zero inputs. */
export const INPUT_SPARSE_BELOW = 0.5;

export type AllKernels = DenseKernels & Partial<SparseKernels>;

export interface CsrRuntime extends CsrStructure {
  val: Float32Array;
  g: Float32Array;
  cscVal: Float32Array;
  /** The optimizer's state of the kept weights, packed like val (Adam: m, v; SGD: velocity). */
  state: Float32Array[];
}

export interface LayerPlan {
  kind: LayerKernel;
  /** Kept output rows (public indices, ascending) when some neurons are dropped; null = all rows. */
  keep: Int32Array | null;
  dropped: Int32Array | null;
  /** Output rows the products compute: keep.length or out. */
  width: number;
  /** Runs of consecutive kept rows, [compact start, public start, length], for the optimizer. */
  runs: [number, number, number][];
  /** Compacted bias and weights [width, in] (gathered at every call), where compacted. */
  bc: Float32Array | null;
  wc: Float32Array | null;
  /** Bias gradient scratch of the compacted dense GEMM (the full-width one is summed separately). */
  dbScratch: Float32Array | null;
  csr: CsrRuntime | null;
  /** input-sparse: Wt = W[keep]ᵀ, [in, ldw]. */
  wt: Float32Array | null;
  ldw: number;
  /**
   * input-sparse: Wt's kept weights by feature when some are pruned (null: all step). The optimizer
   * steps those only, and its state is compact over them; without, the state is laid out like Wt.
   */
  kept: KeptByFeature | null;
  wtState: Float32Array[];
  /** input-sparse: per feature, 1 once its input has been non-zero in a step (before that its step is a no-op). */
  touched: Int32Array | null;
  /** input-sparse: [ldw, in], for moving Wt-layout arrays back into the public layout. */
  scratch: Float32Array | null;
  /** input-sparse: Wt holds steps that layer.weight does not have yet (see publishWeights). */
  publicStale: boolean;
  choice: LayerKernelChoice;
}

/** What the plans are chosen from, besides the network and the first input. */
export interface PlanSettings {
  kernels: KernelChoice;
  inputKernel: KernelChoice;
  /** Forced kernel family per layer (index = layer − 1, undefined = choose). */
  layerKernels: readonly (LayerKernel | undefined)[];
  batchSize: number;
  /** Fraction of non-zero inputs, or null where not measured. */
  density: number | null;
}

/** The optimizer's public-layout weight state (one array per layer per buffer) and the steps taken, carried into a new plan. */
export interface PlanState {
  buffers: readonly { w: Float32Array[] }[];
  step: number;
}

const sparse = (k: AllKernels) => k as SparseKernels;

/** The fraction of non-zero inputs where auto input kernels need it and it is not known yet. */
export function plannedDensity(k: AllKernels, settings: PlanSettings, x: Float32Array, rows: number, features: number): number | null {
  if (settings.density === null && hasSparseKernels(k) && settings.inputKernel === 'auto') return inputDensity(x, rows, features);
  return settings.density;
}

/** dst[c, :] = src[p.keep[c], :]: a layer's kept rows, compacted (rows of `IN` floats). */
function compactRows(dst: Float32Array, src: Float32Array, p: LayerPlan, IN: number): void {
  for (const [c0, pub, len] of p.runs) dst.set(src.subarray(pub * IN, (pub + len) * IN), c0 * IN);
}

/** dst[p.keep[c], :] = src[c, :]: compacted rows back into the public layout. */
function expandRows(dst: Float32Array, src: Float32Array, p: LayerPlan, IN: number): void {
  for (const [c0, pub, len] of p.runs) dst.set(src.subarray(c0 * IN, (c0 + len) * IN), pub * IN);
}

/** dst[in, ldw] = src[keep, :]ᵀ: a public-layout array of this layer into the Wt layout. */
function toWtLayout(k: AllKernels, dst: Float32Array, src: Float32Array, p: LayerPlan, IN: number): void {
  let rows = src;
  if (p.keep) {
    rows = p.scratch!;
    compactRows(rows, src, p, IN);
  }
  sparse(k).transposeStrided(dst, rows, p.width, IN, p.ldw);
}

/** dst[keep, :] = src[in, ldw]ᵀ: the inverse of toWtLayout (dropped rows untouched). */
export function fromWtLayout(k: AllKernels, dst: Float32Array, src: Float32Array, p: LayerPlan, IN: number): void {
  sparse(k).transposeStrided(p.scratch!, src, IN, p.ldw, IN);
  expandRows(dst, p.scratch!, p, IN);
}

// The candidates' timings by problem (layer, shape, densities, candidates) and by kernel set and its
// variant and threads: the seeds of a setting run one after another in a process (trials workers)
// and time the same candidates on the same shapes, ~0.15 s a run. Any choice gives the same bits.
const timings = new WeakMap<AllKernels, Map<string, Record<LayerKernel, number>>>();

function measuredOnce(k: AllKernels, problem: string, measure: () => Record<LayerKernel, number>): { measured: Record<LayerKernel, number>; earlier: boolean } {
  let byProblem = timings.get(k);
  if (!byProblem) timings.set(k, (byProblem = new Map()));
  const features = (k as { features?: () => unknown }).features?.();
  const key = `${problem} ${JSON.stringify(features ?? null)}`;
  const earlier = byProblem.get(key);
  if (earlier) return { measured: earlier, earlier: true };
  const measured = measure();
  byProblem.set(key, measured);
  return { measured, earlier: false };
}

export function planLayer(k: AllKernels, net: Network, settings: PlanSettings, state: PlanState, l: number, x: Float32Array, rows: number): LayerPlan {
  const layer = net.layers[l];
  const last = l === net.layers.length - 1;
  const total = layer.out * layer.in;
  let kept = total;
  if (layer.weightMask) {
    kept = 0;
    for (let i = 0; i < total; i++) if (layer.weightMask[i] !== 0) kept++;
  }
  // A mask that keeps everything (pruning attaches one to every layer) plans like no mask.
  const mask = kept < total ? layer.weightMask : null;
  const choice: LayerKernelChoice = { layer: l + 1, kernel: 'dense', outputs: layer.out, keptOutputs: layer.out, weightDensity: kept / total, reason: '' };
  let keep: Int32Array | null = null;
  let kind: LayerKernel = 'dense';
  if (!hasSparseKernels(k)) {
    choice.reason = 'these kernels have no sparse variants';
  } else {
    // Dropping neurons whose weights are all pruned is exact and never slower: done unless
    // the dense path is forced. The output layer keeps every logit for the loss.
    if (mask && settings.kernels !== 'dense' && !last) {
      const r = keptRows(mask, layer.out, layer.in);
      if (r.length < layer.out) keep = r;
    }
    if (keep && keep.length === 0) {
      choice.reason = 'every weight pruned: each neuron outputs act(b)';
      return finishPlan(k, state, layer, l, 'dense', keep, choice);
    }
    const forced = settings.layerKernels[l];
    if (forced && (forced !== 'csr' || mask) && (forced !== 'input-sparse' || l === 0)) {
      choice.reason = `${forced} forced (layerKernels)`;
      return finishPlan(k, state, layer, l, forced, keep, choice);
    }
    const { density, inputKernel, batchSize } = settings;
    const inputSparseAllowed = l === 0 && (inputKernel === 'sparse' || (inputKernel === 'auto' && (density ?? 1) < INPUT_SPARSE_BELOW));
    const densityText = density === null ? 'unmeasured' : `${(100 * density).toFixed(1)}%`;
    if (l === 0 && inputKernel === 'sparse') {
      kind = 'input-sparse';
      choice.reason = 'input-sparse forced (inputKernel: sparse)';
    } else if (mask && settings.kernels === 'sparse') {
      kind = 'csr';
      choice.reason = 'weight-sparse forced (kernels: sparse)';
    } else if (mask && settings.kernels === 'auto' && (keep ?? { length: layer.out }).length > 0) {
      const candidates: LayerKernel[] = ['dense', 'csr', ...(inputSparseAllowed ? ['input-sparse' as const] : [])];
      const n = Math.max(1, Math.min(batchSize, l === 0 ? rows : batchSize));
      const problem = `${l} ${layer.in}→${keep?.length ?? layer.out} n=${n} weights ${(kept / total).toFixed(2)} input ${density?.toFixed(2)} ${candidates}`;
      const { measured, earlier } = measuredOnce(k, problem, () =>
        measureCandidates(k, { layer, keep, n, input: l === 0 ? x : null, inputGradient: l > 0 }, candidates),
      );
      kind = candidates.reduce((best, c) => (measured[c] < measured[best] ? c : best), candidates[0]);
      choice.measured = Object.fromEntries(candidates.map((c) => [c, measured[c]]));
      choice.reason = `fastest measured at batch ${n}${l === 0 ? ` (input density ${densityText})` : ''}${earlier ? ', by an earlier plan of this process' : ''}`;
    } else if (inputSparseAllowed) {
      kind = 'input-sparse';
      choice.reason = `input density ${densityText} < ${100 * INPUT_SPARSE_BELOW}%`;
    } else {
      choice.reason = !mask ? (l === 0 ? `input density ${densityText}` : 'no weight mask') : `dense forced (kernels: ${settings.kernels})`;
    }
  }
  return finishPlan(k, state, layer, l, kind, keep, choice);
}

function finishPlan(
  k: AllKernels,
  state: PlanState,
  layer: Layer,
  l: number,
  kind: LayerKernel,
  keep: Int32Array | null,
  choice: LayerKernelChoice,
): LayerPlan {
  const f32 = (n: number) => alignedFloat32(n, k);
  choice.kernel = kind;
  const width = keep ? keep.length : layer.out;
  choice.keptOutputs = width;
  const plan: LayerPlan = {
    kind,
    keep,
    dropped: keep ? droppedRows(keep, layer.out) : null,
    width,
    runs: keep ? rowRuns(keep) : [[0, 0, layer.out]],
    bc: keep ? f32(width) : null,
    wc: keep && kind === 'dense' ? f32(width * layer.in) : null,
    dbScratch: keep && kind === 'dense' ? f32(width) : null,
    csr: null,
    wt: null,
    ldw: 0,
    kept: null,
    wtState: [],
    touched: null,
    scratch: null,
    publicStale: false,
    choice,
  };
  if (kind === 'csr') plan.csr = makeCsr(k, state, layer, l, keep);
  if (kind === 'input-sparse') {
    const IN = layer.in;
    plan.ldw = paddedStride(Math.max(width, 1));
    plan.wt = f32(IN * plan.ldw);
    plan.scratch = f32(plan.ldw * IN);
    plan.touched = new Int32Array(IN);
    const rows = keep ?? Int32Array.from({ length: layer.out }, (_, o) => o);
    const kept = layer.weightMask && width > 0 ? keptByFeature(layer.weightMask, IN, rows) : null;
    plan.kept = kept;
    plan.wtState = state.buffers.map((s) => {
      if (kept) {
        const t = f32(kept.count);
        if (state.step > 0 && kept.count > 0) sparse(k).gatherValues(t, s.w[l], kept.pos, kept.count);
        return t;
      }
      const t = f32(IN * plan.ldw);
      if (state.step > 0 && width > 0) toWtLayout(k, t, s.w[l], plan, IN);
      return t;
    });
    // Mid-training the state may be non-zero anywhere: every feature steps.
    if (state.step > 0) plan.touched.fill(1);
  }
  return plan;
}

function makeCsr(k: AllKernels, state: PlanState, layer: Layer, l: number, keep: Int32Array | null): CsrRuntime {
  const rows = keep ?? Int32Array.from({ length: layer.out }, (_, o) => o);
  const mask = layer.weightMask ?? new Float32Array(layer.weight.length).fill(1);
  const s = buildCsr(mask, layer.in, rows);
  const packedState = state.buffers.map((st) => {
    const packed = alignedFloat32(s.nnz, k);
    if (s.nnz) sparse(k).gatherValues(packed, st.w[l], s.pos, s.nnz);
    return packed;
  });
  return { ...s, val: alignedFloat32(s.nnz, k), g: alignedFloat32(s.nnz, k), cscVal: alignedFloat32(s.nnz, k), state: packedState };
}

/** Puts a plan's packed or transposed optimizer state back into the public layout before a rebuild. */
export function retireState(k: AllKernels, net: Network, plans: LayerPlan[], buffers: PlanState['buffers']): void {
  plans.forEach((p, l) => {
    const kept = p.kept;
    if (kept) {
      if (kept.count > 0) buffers.forEach((s, b) => sparse(k).scatterValues(s.w[l], kept.pos, p.wtState[b], kept.count));
    } else if (p.wt && p.width > 0) buffers.forEach((s, b) => fromWtLayout(k, s.w[l], p.wtState[b], p, net.layers[l].in));
    const c = p.csr;
    if (!c || c.nnz === 0) return;
    buffers.forEach((s, b) => sparse(k).scatterValues(s.w[l], c.pos, c.state[b], c.nnz));
  });
}

/** Gathers every private copy from the public arrays (at the start of every call). */
export function gatherPrivateCopies(k: AllKernels, net: Network, plans: LayerPlan[]): void {
  plans.forEach((p, l) => {
    const layer = net.layers[l];
    const IN = layer.in;
    if (p.keep && p.bc) p.keep.forEach((o, r) => (p.bc![r] = layer.bias[o]));
    if (p.wt) {
      // Wt is newer than layer.weight until published: nothing to gather.
      if (p.width > 0 && !p.publicStale) {
        toWtLayout(k, p.wt, layer.weight, p, IN);
      }
      return;
    }
    if (p.wc) compactRows(p.wc, layer.weight, p, IN);
    if (p.csr?.nnz) {
      sparse(k).gatherValues(p.csr.val, layer.weight, p.csr.pos, p.csr.nnz);
      sparse(k).gatherValues(p.csr.cscVal, p.csr.val, p.csr.cscPerm, p.csr.nnz);
    }
  });
}
