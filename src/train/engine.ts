// The training step and evaluation of an MLP, written once over the kernel
// interfaces so every backend runs the same arithmetic. Each layer runs dense,
// CSR (pruned weights) or input-sparse (the first layer over non-zero inputs);
// all three compute each value with the dense kernels' FMA chain minus its
// exact-zero links, so every choice gives the same bits
// (native/kernels/sparse_kernel_table.h). Buffers are allocated once and
// activations kept feature-major, [width, batch]. The public weights stay the
// source of truth: private copies are gathered from them at every call and
// the optimizer writes back before the call returns, so callers that read or
// edit weights between calls always see current values.
import type { Backend } from '../backend/backend.ts';
import type { BatchStats, Engine, EngineOptions, Evaluation, KernelChoice, KernelPlan, LayerKernelChoice } from './engine-types.ts';
import { alignedFloat32, type DenseKernels, hasSparseKernels, paddedStride, type SparseKernels } from '../backend/kernels.ts';
import { type Layer, layerActivation, type Network, type OptimizerConfig } from './model.ts';
import { type LayerKernel, measureCandidates } from './kernel-autotune.ts';
import { buildCsr, type CsrStructure, droppedRows, inputDensity, keptRows, rowRuns } from './sparse-structure.ts';

// Evaluation runs in chunks of this many rows; a row's result does not depend
// on the chunk it falls in (each output element is its own FMA chain).
const EVAL_CHUNK = 1024;

/** `inputKernel: auto` runs the first layer input-sparse below this fraction of non-zero inputs. */
export const INPUT_SPARSE_BELOW = 0.5;

interface CsrRuntime extends CsrStructure {
  val: Float32Array;
  g: Float32Array;
  cscVal: Float32Array;
  /** The optimizer's state of the kept weights, packed like val (Adam: m, v; SGD: velocity). */
  state: Float32Array[];
}

interface LayerPlan {
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
  choice: LayerKernelChoice;
}

interface InputLists {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
  colPtr: Int32Array | null;
  rowIdx: Int32Array | null;
  colVal: Float32Array | null;
  /** The first layer's output rows [capacity, width] (pre-activation, then activation in place). */
  rowsOut: Float32Array;
  /** dY of the first layer's kept rows as rows [capacity, ldw] (training). */
  dyRows: Float32Array | null;
}

interface Workspace {
  capacity: number;
  xT: Float32Array;            // input, feature-major (unused by an input-sparse first layer)
  hT: Float32Array[];          // per layer: activation output, feature-major [out, B]
  hRows: Float32Array[];       // training, per hidden layer: the same, row-major [B, out] (input of the next dW)
  dT: Float32Array[];          // per layer: gradient w.r.t. its pre-activation, [out, B] (evaluation: the last only)
  hc: (Float32Array | null)[]; // per compacted layer: its kept rows' pre-activation [width, B]
  dc: (Float32Array | null)[]; // training, per compacted layer: its kept rows of dT [width, B]
  lists: InputLists | null;    // an input-sparse first layer's non-zero inputs
  /** Set by forward(): the first layer's activations are also in lists.rowsOut, row-major. */
  rowsOutHoldsLayer0: boolean;
}

type AllKernels = DenseKernels & Partial<SparseKernels>;

export class LayerStackEngine implements Engine {
  private train: Workspace | undefined;
  private evalSpace: Workspace | undefined;
  private readonly gradW: Float32Array[];
  private readonly gradB: Float32Array[];
  private readonly state: { w: Float32Array[]; b: Float32Array[] }[];
  private step = 0;
  private evalActivations: { rows: number; arrays: Float32Array[] } | undefined;
  private plans: LayerPlan[] | undefined;
  private planMasks: (Float32Array | null)[] = [];
  private density: number | null;
  private readonly kernelsChoice: KernelChoice;
  private readonly inputChoice: KernelChoice;
  private readonly forcedKernels: (LayerKernel | undefined)[];

  constructor(
    private readonly kernels: AllKernels,
    private readonly net: Network,
    private readonly optimizer: OptimizerConfig,
    private readonly batchSize: number,
    options: EngineOptions = {},
  ) {
    this.kernelsChoice = options.kernels ?? 'auto';
    this.inputChoice = options.inputKernel ?? 'auto';
    this.density = options.inputDensity ?? null;
    this.forcedKernels = options.layerKernels ?? [];
    this.gradW = net.layers.map((l) => this.f32(l.weight.length));
    this.gradB = net.layers.map((l) => this.f32(l.bias.length));
    // Adam: first and second moments; SGD with momentum: one velocity buffer.
    const buffers = optimizer.kind === 'adam' ? 2 : optimizer.momentum > 0 ? 1 : 0;
    this.state = Array.from({ length: buffers }, () => ({
      w: net.layers.map((l) => this.f32(l.weight.length)),
      b: net.layers.map((l) => this.f32(l.bias.length)),
    }));
  }

  /** A zeroed buffer starting on a cache line (where the kernels can tell addresses). */
  private f32(n: number): Float32Array {
    return alignedFloat32(n, this.kernels);
  }

  kernelPlan(): KernelPlan | undefined {
    if (!this.plans) return undefined;
    return { kernels: this.kernelsChoice, inputKernel: this.inputChoice, inputDensity: this.density, layers: this.plans.map((p) => p.choice) };
  }

  // ---- plans ---------------------------------------------------------------

  private sparse(): SparseKernels {
    return this.kernels as SparseKernels;
  }

  /** Builds the per-layer plans at the first call, and again when a mask array is replaced. */
  private ensurePlans(x: Float32Array, rows: number): LayerPlan[] {
    const masks = this.net.layers.map((l) => l.weightMask);
    if (this.plans && masks.every((m, l) => m === this.planMasks[l])) return this.plans;
    if (this.plans) this.retirePlans(this.plans);
    const features = this.net.layers[0].in;
    if (this.density === null && hasSparseKernels(this.kernels) && this.inputChoice === 'auto') {
      this.density = inputDensity(x, rows, features);
    }
    this.plans = this.net.layers.map((layer, l) => this.planLayer(layer, l, x, rows));
    this.planMasks = masks;
    this.train = undefined; // buffer shapes follow the plans
    this.evalSpace = undefined;
    return this.plans;
  }

  /** Puts a plan's packed optimizer state back into the public-layout state before a rebuild. */
  private retirePlans(plans: LayerPlan[]): void {
    plans.forEach((p, l) => {
      const c = p.csr;
      if (!c || c.nnz === 0) return;
      this.state.forEach((s, b) => this.sparse().scatterValues(s.w[l], c.pos, c.state[b], c.nnz));
    });
  }

  private planLayer(layer: Layer, l: number, x: Float32Array, rows: number): LayerPlan {
    const last = l === this.net.layers.length - 1;
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
    if (!hasSparseKernels(this.kernels)) {
      choice.reason = 'these kernels have no sparse variants';
    } else {
      // Dropping neurons whose weights are all pruned is exact and never slower: done unless
      // the dense path is forced. The output layer keeps every logit for the loss.
      if (mask && this.kernelsChoice !== 'dense' && !last) {
        const r = keptRows(mask, layer.out, layer.in);
        if (r.length < layer.out) keep = r;
      }
      if (keep && keep.length === 0) {
        choice.reason = 'every weight pruned: each neuron outputs act(b)';
        return this.finishPlan(layer, l, 'dense', keep, choice);
      }
      const forced = this.forcedKernels[l];
      if (forced && (forced !== 'csr' || mask) && (forced !== 'input-sparse' || l === 0)) {
        choice.reason = `${forced} forced (layerKernels)`;
        return this.finishPlan(layer, l, forced, keep, choice);
      }
      const inputSparseAllowed = l === 0 && (this.inputChoice === 'sparse' || (this.inputChoice === 'auto' && (this.density ?? 1) < INPUT_SPARSE_BELOW));
      const densityText = this.density === null ? 'unmeasured' : `${(100 * this.density).toFixed(1)}%`;
      if (l === 0 && this.inputChoice === 'sparse') {
        kind = 'input-sparse';
        choice.reason = 'input-sparse forced (inputKernel: sparse)';
      } else if (mask && this.kernelsChoice === 'sparse') {
        kind = 'csr';
        choice.reason = 'weight-sparse forced (kernels: sparse)';
      } else if (mask && this.kernelsChoice === 'auto' && (keep ?? { length: layer.out }).length > 0) {
        const candidates: LayerKernel[] = ['dense', 'csr', ...(inputSparseAllowed ? ['input-sparse' as const] : [])];
        const n = Math.max(1, Math.min(this.batchSize, l === 0 ? rows : this.batchSize));
        const measured = measureCandidates(this.kernels as DenseKernels & SparseKernels, { layer, keep, n, input: l === 0 ? x : null, inputGradient: l > 0 }, candidates);
        kind = candidates.reduce((best, c) => (measured[c] < measured[best] ? c : best), candidates[0]);
        choice.measured = Object.fromEntries(candidates.map((c) => [c, measured[c]]));
        choice.reason = `fastest measured at batch ${n}${l === 0 ? ` (input density ${densityText})` : ''}`;
      } else if (inputSparseAllowed) {
        kind = 'input-sparse';
        choice.reason = `input density ${densityText} < ${100 * INPUT_SPARSE_BELOW}%`;
      } else {
        choice.reason = !mask ? (l === 0 ? `input density ${densityText}` : 'no weight mask') : `dense forced (kernels: ${this.kernelsChoice})`;
      }
    }
    return this.finishPlan(layer, l, kind, keep, choice);
  }

  private finishPlan(layer: Layer, l: number, kind: LayerKernel, keep: Int32Array | null, choice: LayerKernelChoice): LayerPlan {
    choice.kernel = kind;
    const width = keep ? keep.length : layer.out;
    choice.keptOutputs = width;
    const plan: LayerPlan = {
      kind, keep, dropped: keep ? droppedRows(keep, layer.out) : null, width,
      runs: keep ? rowRuns(keep) : [[0, 0, layer.out]],
      bc: keep ? this.f32(width) : null,
      wc: keep && kind !== 'csr' ? this.f32(width * layer.in) : null,
      dbScratch: keep && kind === 'dense' ? this.f32(width) : null,
      csr: null, wt: null, ldw: 0, choice,
    };
    if (kind === 'csr') plan.csr = this.makeCsr(layer, l, keep);
    if (kind === 'input-sparse') {
      plan.ldw = paddedStride(Math.max(width, 1));
      plan.wt = this.f32(layer.in * plan.ldw);
    }
    return plan;
  }

  private makeCsr(layer: Layer, l: number, keep: Int32Array | null): CsrRuntime {
    const rows = keep ?? Int32Array.from({ length: layer.out }, (_, o) => o);
    const mask = layer.weightMask ?? new Float32Array(layer.weight.length).fill(1);
    const s = buildCsr(mask, layer.in, rows);
    const state = this.state.map((st) => {
      const packed = this.f32(s.nnz);
      if (s.nnz) this.sparse().gatherValues(packed, st.w[l], s.pos, s.nnz);
      return packed;
    });
    return { ...s, val: this.f32(s.nnz), g: this.f32(s.nnz), cscVal: this.f32(s.nnz), state };
  }

  /** Gathers every private copy from the public arrays (at the start of every call). */
  private sync(plans: LayerPlan[]): void {
    plans.forEach((p, l) => {
      const layer = this.net.layers[l];
      const IN = layer.in;
      if (p.keep && p.bc) p.keep.forEach((o, r) => (p.bc![r] = layer.bias[o]));
      if (p.wc) for (const [c0, pub, len] of p.runs) p.wc.set(layer.weight.subarray(pub * IN, (pub + len) * IN), c0 * IN);
      if (p.csr && p.csr.nnz) {
        this.sparse().gatherValues(p.csr.val, layer.weight, p.csr.pos, p.csr.nnz);
        this.sparse().gatherValues(p.csr.cscVal, p.csr.val, p.csr.cscPerm, p.csr.nnz);
      }
      if (p.wt && p.width > 0) this.sparse().transposeStrided(p.wt, p.wc ?? layer.weight, p.width, IN, p.ldw);
    });
  }

  // ---- buffers -------------------------------------------------------------

  private workspace(capacity: number, training: boolean, plans: LayerPlan[]): Workspace {
    const layers = this.net.layers;
    const last = layers.length - 1;
    const first = plans[0];
    const features = layers[0].in;
    let lists: InputLists | null = null;
    if (first.kind === 'input-sparse') {
      const cap = capacity * features;
      lists = {
        ptr: new Int32Array(capacity + 1), idx: new Int32Array(cap), val: this.f32(cap),
        colPtr: training ? new Int32Array(features + 1) : null,
        rowIdx: training ? new Int32Array(cap) : null,
        colVal: training ? this.f32(cap) : null,
        // Training without compaction writes straight into hRows[0].
        rowsOut: training && !first.keep ? this.f32(0) : this.f32(capacity * first.width),
        dyRows: training ? this.f32(capacity * first.ldw) : null,
      };
    }
    return {
      capacity,
      xT: first.kind === 'input-sparse' ? this.f32(0) : this.f32(features * capacity),
      hT: layers.map((l) => this.f32(l.out * capacity)),
      hRows: training ? layers.slice(0, -1).map((l) => this.f32(l.out * capacity)) : [],
      dT: layers.map((l, i) => (training || i === last ? this.f32(l.out * capacity) : this.f32(0))),
      hc: plans.map((p) => (p.keep ? this.f32(p.width * capacity) : null)),
      dc: plans.map((p) => (p.keep && training ? this.f32(p.width * capacity) : null)),
      lists,
      rowsOutHoldsLayer0: false,
    };
  }

  // ---- forward and backward ------------------------------------------------

  /** Writes compacted rows and the dropped neurons' pre-activation (their bias) into a full-width hT. */
  private expand(h: Float32Array, hc: Float32Array, p: LayerPlan, bias: Float32Array, n: number): void {
    const keep = p.keep!;
    for (let r = 0; r < keep.length; r++) h.set(hc.subarray(r * n, (r + 1) * n), keep[r] * n);
    for (const j of p.dropped!) h.fill(bias[j], j * n, (j + 1) * n);
  }

  private forward(ws: Workspace, plans: LayerPlan[], x: Float32Array, n: number, training: boolean): void {
    const k = this.kernels;
    const layers = this.net.layers;
    ws.rowsOutHoldsLayer0 = false;
    if (plans[0].kind !== 'input-sparse') k.transpose(ws.xT, x, n, layers[0].in);
    let inputT = ws.xT;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      const p = plans[l];
      const act = layerActivation(this.net, l);
      const h = ws.hT[l];
      const bias = p.bc ?? layer.bias;
      let activated = false;
      let rowsReady = false;
      if (p.width === 0) {
        this.expand(h, ws.hc[l]!, p, layer.bias, n);
      } else if (p.kind === 'dense') {
        if (!p.keep) k.linearForward(h, inputT, layer.weight, layer.bias, n, layer.in, layer.out);
        else {
          k.linearForward(ws.hc[l]!, inputT, p.wc!, bias, n, layer.in, p.width);
          this.expand(h, ws.hc[l]!, p, layer.bias, n);
        }
      } else if (p.kind === 'csr') {
        const c = p.csr!;
        this.sparse().csrMatmul(p.keep ? ws.hc[l]! : h, inputT, c.ptr, c.idx, c.val, bias, n, p.width, layer.in);
        if (p.keep) this.expand(h, ws.hc[l]!, p, layer.bias, n);
      } else {
        const s = this.sparse();
        const lists = ws.lists!;
        s.sparsifyRows(lists.ptr, lists.idx, lists.val, lists.colPtr, lists.rowIdx, lists.colVal, x, n, layer.in);
        const direct = !p.keep;
        const rowsOut = direct && training ? ws.hRows[0] : lists.rowsOut;
        s.inputSparseForward(rowsOut, lists.ptr, lists.idx, lists.val, p.wt!, bias, n, layer.in, p.width, p.ldw);
        if (direct) {
          // The activation is elementwise: applied to the rows, which are then both hRows[0] and, transposed, hT[0].
          k.activationForward(act, rowsOut, rowsOut, n * layer.out);
          k.transpose(h, rowsOut, n, layer.out);
          activated = true;
          rowsReady = true;
          ws.rowsOutHoldsLayer0 = !training;
        } else {
          k.transpose(ws.hc[l]!, rowsOut, n, p.width);
          this.expand(h, ws.hc[l]!, p, layer.bias, n);
        }
      }
      if (!activated) k.activationForward(act, h, h, layer.out * n);
      if (training && l < layers.length - 1 && !rowsReady) k.transpose(ws.hRows[l], h, layer.out, n);
      inputT = h;
    }
  }

  private backward(ws: Workspace, plans: LayerPlan[], x: Float32Array, n: number): void {
    const k = this.kernels;
    const layers = this.net.layers;
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const p = plans[l];
      const IN = layer.in;
      const d = ws.dT[l];
      const inRows = l === 0 ? x : ws.hRows[l - 1];
      const inT = l === 0 ? ws.xT : ws.hT[l - 1];
      let dc = d;
      if (p.keep && p.width > 0) {
        dc = ws.dc[l]!;
        const keep = p.keep;
        for (let r = 0; r < keep.length; r++) dc.set(d.subarray(keep[r] * n, (keep[r] + 1) * n), r * n);
      }
      // Gradients w.r.t. this layer's weights (compact rows) and bias (every neuron: a dropped one's bias still trains).
      if (p.kind === 'dense' && !p.keep) {
        k.linearBackwardWeight(this.gradW[l], this.gradB[l], d, inRows, n, IN, layer.out);
      } else {
        const s = this.sparse();
        if (p.width > 0) {
          if (p.kind === 'dense') k.linearBackwardWeight(this.gradW[l], p.dbScratch!, dc, inRows, n, IN, p.width);
          else if (p.kind === 'csr') s.csrWeightGradient(p.csr!.g, dc, inT, p.csr!.ptr, p.csr!.idx, n, p.width, IN);
          else {
            const lists = ws.lists!;
            s.transposeStrided(lists.dyRows!, dc, p.width, n, p.ldw);
            s.inputSparseWeightGradient(this.gradW[l], lists.colPtr!, lists.rowIdx!, lists.colVal!, lists.dyRows!, n, IN, p.width, p.ldw);
          }
        }
        s.biasGradient(this.gradB[l], d, n, layer.out);
      }
      if (l === 0) continue; // the first layer's input gradient is never needed
      const prev = ws.dT[l - 1];
      if (p.width === 0) prev.fill(0, 0, IN * n);
      else if (p.kind === 'dense') {
        if (!p.keep) k.linearBackwardInput(prev, d, layer.weight, n, IN, layer.out);
        else k.linearBackwardInput(prev, dc, p.wc!, n, IN, p.width);
      } else {
        const c = p.csr!;
        this.sparse().csrMatmul(prev, dc, c.cscPtr, c.cscIdx, c.cscVal, null, n, IN, p.width);
      }
      k.activationBackward(layerActivation(this.net, l - 1), prev, prev, ws.hT[l - 1], IN * n);
    }
  }

  trainBatch(x: Float32Array, labels: Int32Array, rows: number): BatchStats {
    if (rows < 1 || rows > this.batchSize) throw new RangeError(`rows must be in [1, ${this.batchSize}], got ${rows}`);
    const plans = this.ensurePlans(x, rows);
    this.sync(plans);
    const ws = (this.train ??= this.workspace(this.batchSize, true, plans));
    const k = this.kernels;
    const layers = this.net.layers;
    const last = layers.length - 1;
    this.forward(ws, plans, x, rows, true);
    const [lossSum, correct] = k.softmaxCrossEntropy(ws.dT[last], ws.hT[last], labels, rows, layers[last].out);
    this.backward(ws, plans, x, rows);
    this.applyOptimizer(plans);
    return { lossSum, correct };
  }

  private optimizerStep(p: Float32Array, g: Float32Array, state: Float32Array[], mask: Float32Array | null, n: number): void {
    const k = this.kernels;
    const opt = this.optimizer;
    if (opt.kind === 'adam') k.adamStep(p, g, state[0], state[1], mask, n, opt.lr, opt.beta1, opt.beta2, opt.eps, this.step);
    else k.sgdStep(p, g, state.length ? state[0] : null, mask, n, opt.lr, opt.momentum);
  }

  private applyOptimizer(plans: LayerPlan[]): void {
    this.step++;
    this.net.layers.forEach((layer, l) => {
      const p = plans[l];
      const IN = layer.in;
      const wState = this.state.map((s) => s.w[l]);
      if (p.csr) {
        // The kept weights only, packed; then written back into the public W.
        const c = p.csr;
        if (c.nnz) {
          this.optimizerStep(c.val, c.g, c.state, null, c.nnz);
          this.sparse().scatterValues(layer.weight, c.pos, c.val, c.nnz);
        }
      } else if (!p.keep) {
        this.optimizerStep(layer.weight, this.gradW[l], wState, layer.weightMask, layer.weight.length);
      } else {
        // Compacted rows: their gradient rows are packed in gradW; dropped rows are all masked and never move.
        const mask = layer.weightMask;
        for (const [c0, pub, len] of p.runs) {
          const at = (a: Float32Array, row: number) => a.subarray(row * IN, (row + len) * IN);
          this.optimizerStep(at(layer.weight, pub), at(this.gradW[l], c0), wState.map((s) => at(s, pub)), mask && at(mask, pub), len * IN);
        }
      }
      this.optimizerStep(layer.bias, this.gradB[l], this.state.map((s) => s.b[l]), layer.biasMask, layer.bias.length);
    });
  }

  evaluate(x: Float32Array, labels: Int32Array, rows: number, options: { activations?: boolean } = {}): Evaluation {
    const k = this.kernels;
    const layers = this.net.layers;
    const last = layers.length - 1;
    const plans = this.ensurePlans(x, Math.min(rows, EVAL_CHUNK));
    this.sync(plans);
    const ws = (this.evalSpace ??= this.workspace(EVAL_CHUNK, false, plans));
    const activations = options.activations ? this.activationArrays(rows) : undefined;
    const features = layers[0].in;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows; start += EVAL_CHUNK) {
      const n = Math.min(EVAL_CHUNK, rows - start);
      this.forward(ws, plans, x.subarray(start * features, (start + n) * features), n, false);
      const [loss, right] = k.softmaxCrossEntropy(ws.dT[last], ws.hT[last], labels.subarray(start, start + n), n, layers[last].out);
      lossSum += loss;
      correct += right;
      if (activations) {
        layers.forEach((layer, l) => {
          const dst = activations[l].subarray(start * layer.out);
          if (l === 0 && ws.rowsOutHoldsLayer0) dst.set(ws.lists!.rowsOut.subarray(0, n * layer.out));
          else k.transpose(dst, ws.hT[l], layer.out, n);
        });
      }
    }
    return { rows, lossSum, correct, activations };
  }

  private activationArrays(rows: number): Float32Array[] {
    if (this.evalActivations?.rows !== rows) {
      this.evalActivations = { rows, arrays: this.net.layers.map((l) => new Float32Array(rows * l.out)) };
    }
    return this.evalActivations.arrays;
  }
}

/**
 * An engine training `net` in place on a backend's kernels: its public weight
 * arrays are current whenever a call returns. `options` choose among the
 * sparse kernels, so they apply only where the backend supports them.
 */
export function createEngine(backend: Backend, net: Network, optimizer: OptimizerConfig, batchSize: number, options?: EngineOptions): Engine {
  return new LayerStackEngine(backend.kernels(), net, optimizer, batchSize, backend.supports('sparse') ? options : undefined);
}
