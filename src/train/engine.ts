// The training step and evaluation of an MLP, written once over the kernel
// interfaces so every backend runs the same arithmetic. Each layer runs dense,
// CSR (pruned weights) or input-sparse (the first layer over non-zero inputs,
// with Wt = Wᵀ kept so that each non-zero input is one contiguous row update;
// its weight gradient is fused with the optimizer step on Wt, so W itself is
// never needed, as the first layer's input gradient never is); all three
// compute each value with the dense kernels' FMA chain minus its exact-zero
// links, so every choice gives the same bits
// (native/kernels/sparse_kernel_table.h). Buffers are allocated once and
// activations kept feature-major, [width, batch]. The public weights are the
// source of truth between calls: private copies are gathered from them at a
// call and the optimizer's steps are written back, so callers that read or
// edit weights between calls see current values. The one exception is opt-in
// (EngineOptions.deferWeights, which the epoch loop sets): the input-sparse
// first layer then trains on Wt alone and writes it back to layer.weight only
// in publishWeights(), once per epoch instead of a transpose per step each way.
import type { Backend } from '../backend/backend.ts';
import type { BatchStats, Engine, EngineOptions, EvaluateOptions, Evaluation, KernelPlan } from './engine-types.ts';
import { alignedFloat32, type SparseKernels, tiledLength } from '../backend/kernels.ts';
import { layerActivation, type Network, type OptimizerConfig } from './model.ts';
import { type AllKernels, fromWtLayout, gatherPrivateCopies, type LayerPlan, planLayer, plannedDensity, type PlanSettings, retireState } from './layer-plan.ts';
import { allocateWorkspace, type InputLists, type Workspace } from './workspace.ts';

export { INPUT_SPARSE_BELOW } from './layer-plan.ts';

// Evaluation sums its loss over chunks of this many rows (the grouping fixes
// the bits of the sums). A row's result does not depend on the chunk it falls
// in (each output element is its own FMA chain), so each chunk's forward runs
// in panels of EVAL_PANEL rows: a panel's activations of every layer (~0.5 MB
// for a 1 024-wide layer) stay in L2 through the transposes, activation and
// next layer, where a whole chunk's went out to L3 (~15% of the MI forward).
const EVAL_CHUNK = 1024;
const EVAL_PANEL = 128;
// An evaluation of this many rows or more reads an input-sparse first layer's Wt from tiles
// (inputSparseTile): ~12% faster per row, and tiling a 784 × 1 024 Wt costs what ~600 rows save.
const TILE_FROM_ROWS = EVAL_CHUNK;

/**
 * [first row, rows] of each evaluation chunk: EVAL_CHUNK rows at a time,
 * restarting at a subset's first row and after its last, so the subset is
 * chunked as if it were evaluated alone.
 */
function evaluationChunks(rows: number, subset?: { start: number; rows: number }): [number, number][] {
  if (subset) {
    const { start, rows: count } = subset;
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 1 || start + count > rows) {
      throw new RangeError(`subset must be whole rows within [0, ${rows}), got start ${start} and rows ${count}`);
    }
  }
  const bounds = subset ? [0, subset.start, subset.start + subset.rows, rows] : [0, rows];
  const chunks: [number, number][] = [];
  for (let s = 1; s < bounds.length; s++) {
    for (let start = bounds[s - 1]; start < bounds[s]; start += EVAL_CHUNK) chunks.push([start, Math.min(EVAL_CHUNK, bounds[s] - start)]);
  }
  return chunks;
}

/** The non-zero inputs of `rows` rows as CSR by row (sparsifyRows' ptr, idx, val). */
interface PanelRows {
  rows: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

export class LayerStackEngine implements Engine {
  private train: Workspace | undefined;
  private evalSpace: Workspace | undefined;
  private readonly gradW: Float32Array[];
  private readonly gradB: Float32Array[];
  private readonly state: { w: Float32Array[]; b: Float32Array[] }[];
  private step = 0;
  private evalActivations: { rows: number; arrays: Float32Array[] } | undefined;
  /** Per set evaluated with EvaluateOptions.reuseInput (the MI samples, the test set): each panel's non-zero inputs, by first row. */
  private readonly reused = new WeakMap<Float32Array, Map<number, PanelRows>>();
  /** A chunk's logits (feature-major [classes, EVAL_CHUNK]), gathered from its panels, and their unused gradient. */
  private chunkLogits: { logits: Float32Array; dlogits: Float32Array } | undefined;
  private plans: LayerPlan[] | undefined;
  /** The input-sparse first layer's Wt in tiles, for a long evaluation. */
  private tiles: Float32Array | undefined;
  private planMasks: (Float32Array | null)[] = [];
  private readonly settings: PlanSettings;
  private readonly deferWeights: boolean;

  constructor(
    private readonly kernels: AllKernels,
    private readonly net: Network,
    private readonly optimizer: OptimizerConfig,
    private readonly batchSize: number,
    options: EngineOptions = {},
  ) {
    this.settings = {
      kernels: options.kernels ?? 'auto',
      inputKernel: options.inputKernel ?? 'auto',
      layerKernels: options.layerKernels ?? [],
      batchSize,
      density: options.inputDensity ?? null,
    };
    this.deferWeights = options.deferWeights ?? false;
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
    const { kernels, inputKernel, density } = this.settings;
    return { kernels, inputKernel, inputDensity: density, layers: this.plans.map((p) => p.choice) };
  }

  private sparse(): SparseKernels {
    return this.kernels as SparseKernels;
  }

  /** Builds the per-layer plans at the first call, and again when a mask array is replaced. */
  private ensurePlans(x: Float32Array, rows: number): LayerPlan[] {
    const masks = this.net.layers.map((l) => l.weightMask);
    if (this.plans && masks.every((m, l) => m === this.planMasks[l])) return this.plans;
    if (this.plans) {
      // The plan's weights and packed or transposed optimizer state go back into the public layout.
      this.publishWeights();
      retireState(this.kernels, this.net, this.plans, this.state);
    }
    this.settings.density = plannedDensity(this.kernels, this.settings, x, rows, this.net.layers[0].in);
    const state = { buffers: this.state, step: this.step };
    this.plans = this.net.layers.map((_, l) => planLayer(this.kernels, this.net, this.settings, state, l, x, rows));
    this.planMasks = masks;
    this.train = undefined; // buffer shapes follow the plans
    this.evalSpace = undefined;
    return this.plans;
  }

  publishWeights(): void {
    this.plans?.forEach((p, l) => {
      if (!p.publicStale) return;
      fromWtLayout(this.kernels, this.net.layers[l].weight, p.wt!, p, this.net.layers[l].in);
      p.publicStale = false;
    });
  }

  // ---- forward and backward ------------------------------------------------

  /** Writes compacted rows and the dropped neurons' pre-activation (their bias) into a full-width hT. */
  private expand(h: Float32Array, hc: Float32Array, p: LayerPlan, bias: Float32Array, n: number): void {
    const keep = p.keep!;
    for (let r = 0; r < keep.length; r++) h.set(hc.subarray(r * n, (r + 1) * n), keep[r] * n);
    for (const j of p.dropped!) h.fill(bias[j], j * n, (j + 1) * n);
  }

  /** The non-zero inputs of x's n rows, into the workspace's lists (with the CSC by feature when training). */
  private sparsify(lists: InputLists, x: Float32Array, n: number, features: number): PanelRows {
    this.sparse().sparsifyRows(lists.ptr, lists.idx, lists.val, lists.colPtr, lists.rowIdx, lists.colVal, x, n, features);
    return { rows: n, ptr: lists.ptr, idx: lists.idx, val: lists.val };
  }

  /**
   * `given`: x's non-zero inputs, already listed (an input-sparse first layer then never reads x);
   * `tiles`: that layer's Wt in tiles (tiledWeights), current.
   */
  private forward(ws: Workspace, plans: LayerPlan[], x: Float32Array, n: number, training: boolean, given?: PanelRows, tiles?: Float32Array): void {
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
        const { ptr, idx, val } = given ?? this.sparsify(lists, x, n, layer.in);
        const direct = !p.keep;
        const rowsOut = direct && training ? ws.hRows[0] : lists.rowsOut;
        if (tiles) s.inputSparseForwardTiled(rowsOut, ptr, idx, val, tiles, bias, n, layer.in, p.width);
        else s.inputSparseForward(rowsOut, ptr, idx, val, p.wt!, bias, n, layer.in, p.width, p.ldw);
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
          else s.transposeStrided(ws.lists!.dyRows!, dc, p.width, n, p.ldw); // the gradient itself is fused with the step (inputSparseStep)
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
    gatherPrivateCopies(this.kernels, this.net, plans);
    const ws = (this.train ??= allocateWorkspace(this.kernels, this.net.layers, plans, this.batchSize, true));
    const k = this.kernels;
    const layers = this.net.layers;
    const last = layers.length - 1;
    this.forward(ws, plans, x, rows, true);
    const [lossSum, correct] = k.softmaxCrossEntropy(ws.dT[last], ws.hT[last], labels, rows, layers[last].out);
    this.backward(ws, plans, x, rows);
    this.applyOptimizer(plans, ws, rows);
    return { lossSum, correct };
  }

  private optimizerStep(p: Float32Array, g: Float32Array, state: Float32Array[], mask: Float32Array | null, n: number): void {
    const k = this.kernels;
    const opt = this.optimizer;
    if (opt.kind === 'adam') k.adamStep(p, g, state[0], state[1], mask, n, opt.lr, opt.beta1, opt.beta2, opt.eps, this.step);
    else k.sgdStep(p, g, state.length ? state[0] : null, mask, n, opt.lr, opt.momentum);
  }

  /** The input-sparse layer's fused weight gradient and optimizer step on Wt (the public weights follow in publishWeights). */
  private inputSparseStep(p: LayerPlan, ws: Workspace, IN: number, rows: number): void {
    const s = this.sparse();
    const opt = this.optimizer;
    const { colPtr, rowIdx, colVal, dyRows } = ws.lists!;
    if (opt.kind === 'adam') {
      s.inputSparseAdamStep(
        p.wt!,
        p.wtState[0],
        p.wtState[1],
        p.kept?.ptr ?? null,
        p.kept?.idx ?? null,
        p.touched!,
        colPtr!,
        rowIdx!,
        colVal!,
        dyRows!,
        rows,
        IN,
        p.width,
        p.ldw,
        p.ldw,
        opt.lr,
        opt.beta1,
        opt.beta2,
        opt.eps,
        this.step,
      );
    } else {
      s.inputSparseSgdStep(
        p.wt!,
        p.wtState[0] ?? null,
        p.kept?.ptr ?? null,
        p.kept?.idx ?? null,
        p.touched!,
        colPtr!,
        rowIdx!,
        colVal!,
        dyRows!,
        rows,
        IN,
        p.width,
        p.ldw,
        p.ldw,
        opt.lr,
        opt.momentum,
      );
    }
    p.publicStale = true;
  }

  private applyOptimizer(plans: LayerPlan[], ws: Workspace, rows: number): void {
    this.step++;
    this.net.layers.forEach((layer, l) => {
      const p = plans[l];
      const IN = layer.in;
      const wState = this.state.map((s) => s.w[l]);
      if (p.kind === 'input-sparse') {
        if (p.width > 0) this.inputSparseStep(p, ws, IN, rows);
      } else if (p.csr) {
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
          this.optimizerStep(
            at(layer.weight, pub),
            at(this.gradW[l], c0),
            wState.map((s) => at(s, pub)),
            mask && at(mask, pub),
            len * IN,
          );
        }
      }
      this.optimizerStep(
        layer.bias,
        this.gradB[l],
        this.state.map((s) => s.b[l]),
        layer.biasMask,
        layer.bias.length,
      );
    });
    if (!this.deferWeights) this.publishWeights();
  }

  evaluate(x: Float32Array, labels: Int32Array, rows: number, options: EvaluateOptions = {}): Evaluation {
    const k = this.kernels;
    const layers = this.net.layers;
    const last = layers.length - 1;
    const chunks = evaluationChunks(rows, options.subset);
    const plans = this.ensurePlans(x, Math.min(rows, EVAL_CHUNK));
    gatherPrivateCopies(this.kernels, this.net, plans);
    const ws = (this.evalSpace ??= allocateWorkspace(this.kernels, this.net.layers, plans, EVAL_PANEL, false));
    const activations = options.activations ? this.activationArrays(rows) : undefined;
    const features = layers[0].in;
    const classes = layers[last].out;
    const chunk = (this.chunkLogits ??= { logits: this.f32(classes * EVAL_CHUNK), dlogits: this.f32(classes * EVAL_CHUNK) });
    const reused = options.reuseInput && plans[0].kind === 'input-sparse' ? this.reusedPanels(x) : undefined;
    const tiles = plans[0].kind === 'input-sparse' && plans[0].width > 0 && rows >= TILE_FROM_ROWS ? this.tiledWeights(plans[0], features) : undefined;
    const whole = { rows, lossSum: 0, correct: 0 };
    const part = options.subset;
    const subset = part && { rows: part.rows, lossSum: 0, correct: 0 };
    for (const [start, n] of chunks) {
      for (let p = 0; p < n; p += EVAL_PANEL) {
        const at = start + p;
        const m = Math.min(EVAL_PANEL, n - p);
        const rowsOfX = x.subarray(at * features, (at + m) * features);
        let given = reused?.get(at);
        if (reused && given?.rows !== m) reused.set(at, (given = this.keptCopy(this.sparsify(ws.lists!, rowsOfX, m, features))));
        this.forward(ws, plans, rowsOfX, m, false, given, tiles);
        for (let c = 0; c < classes; c++) chunk.logits.set(ws.hT[last].subarray(c * m, (c + 1) * m), c * n + p);
        if (activations) {
          layers.forEach((layer, l) => {
            const dst = activations[l].subarray(at * layer.out);
            if (l === 0 && ws.rowsOutHoldsLayer0) dst.set(ws.lists!.rowsOut.subarray(0, m * layer.out));
            else k.transpose(dst, ws.hT[l], layer.out, m);
          });
        }
      }
      const [loss, right] = k.softmaxCrossEntropy(chunk.dlogits, chunk.logits, labels.subarray(start, start + n), n, classes);
      whole.lossSum += loss;
      whole.correct += right;
      if (subset && start >= part.start && start < part.start + part.rows) {
        subset.lossSum += loss;
        subset.correct += right;
      }
    }
    const subsetActivations = part && activations?.map((a, l) => a.subarray(part.start * layers[l].out, (part.start + part.rows) * layers[l].out));
    return { ...whole, activations, ...(subset ? { subset: { ...subset, activations: subsetActivations } } : {}) };
  }

  /** The input-sparse layer's current Wt, tiled into a buffer kept for the next evaluation. */
  private tiledWeights(p: LayerPlan, IN: number): Float32Array {
    const n = tiledLength(IN, p.width);
    if (this.tiles?.length !== n) this.tiles = this.f32(n);
    this.sparse().inputSparseTile(this.tiles, p.wt!, IN, p.width, p.ldw);
    return this.tiles;
  }

  /** The panels listed for x by earlier evaluations with reuseInput, or a new (empty) map for an array not seen yet. */
  private reusedPanels(x: Float32Array): Map<number, PanelRows> {
    let panels = this.reused.get(x);
    if (!panels) this.reused.set(x, (panels = new Map()));
    return panels;
  }

  /** A copy of lists made in a workspace (which the next panel overwrites). */
  private keptCopy(rows: PanelRows): PanelRows {
    const nnz = rows.ptr[rows.rows];
    const val = this.f32(nnz);
    val.set(rows.val.subarray(0, nnz));
    return { rows: rows.rows, ptr: rows.ptr.slice(0, rows.rows + 1), idx: rows.idx.slice(0, nnz), val };
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
