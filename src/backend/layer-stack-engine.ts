// The training step and evaluation of an MLP written once over DenseKernels;
// the reference and native backends differ only in the kernels they plug in.
// All buffers are allocated once (first-touch page faults are expensive on
// this VM) and activations are kept feature-major, [width, batch].
import type { BatchStats, Engine, Evaluation } from './backend.ts';
import type { DenseKernels } from './kernels.ts';
import { layerActivation, type Network, type OptimizerConfig } from './model.ts';

// Evaluation runs in chunks of this many rows; a row's result does not depend
// on the chunk it falls in (each output element is its own FMA chain).
const EVAL_CHUNK = 1024;

interface Workspace {
  capacity: number;
  xT: Float32Array;            // input, feature-major
  hT: Float32Array[];          // per layer: activation output, feature-major [out, B]
  hRows: Float32Array[];       // per hidden layer: the same, row-major [B, out] (input of the next dW)
  dT: Float32Array[];          // per layer: gradient w.r.t. its pre-activation, [out, B]
}

export class LayerStackEngine implements Engine {
  private readonly train: Workspace;
  private evalSpace: Workspace | undefined;
  private readonly gradW: Float32Array[];
  private readonly gradB: Float32Array[];
  private readonly state: { w: Float32Array[]; b: Float32Array[] }[];
  private step = 0;
  private evalActivations: { rows: number; arrays: Float32Array[] } | undefined;

  constructor(
    private readonly kernels: DenseKernels,
    private readonly net: Network,
    private readonly optimizer: OptimizerConfig,
    batchSize: number,
  ) {
    this.train = this.workspace(batchSize);
    this.gradW = net.layers.map((l) => new Float32Array(l.weight.length));
    this.gradB = net.layers.map((l) => new Float32Array(l.bias.length));
    // Adam: first and second moments; SGD with momentum: one velocity buffer.
    const buffers = optimizer.kind === 'adam' ? 2 : optimizer.momentum > 0 ? 1 : 0;
    this.state = Array.from({ length: buffers }, () => ({
      w: net.layers.map((l) => new Float32Array(l.weight.length)),
      b: net.layers.map((l) => new Float32Array(l.bias.length)),
    }));
  }

  private workspace(capacity: number): Workspace {
    const layers = this.net.layers;
    return {
      capacity,
      xT: new Float32Array(layers[0].in * capacity),
      hT: layers.map((l) => new Float32Array(l.out * capacity)),
      hRows: layers.slice(0, -1).map((l) => new Float32Array(l.out * capacity)),
      dT: layers.map((l) => new Float32Array(l.out * capacity)),
    };
  }

  private forward(ws: Workspace, x: Float32Array, rows: number, keepRowMajor: boolean): void {
    const k = this.kernels;
    const layers = this.net.layers;
    k.transpose(ws.xT, x, rows, layers[0].in);
    let inputT = ws.xT;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      k.linearForward(ws.hT[l], inputT, layer.weight, layer.bias, rows, layer.in, layer.out);
      k.activationForward(layerActivation(this.net, l), ws.hT[l], ws.hT[l], layer.out * rows);
      if (keepRowMajor && l < layers.length - 1) k.transpose(ws.hRows[l], ws.hT[l], layer.out, rows);
      inputT = ws.hT[l];
    }
  }

  trainBatch(x: Float32Array, labels: Int32Array, rows: number): BatchStats {
    const ws = this.train;
    if (rows < 1 || rows > ws.capacity) throw new RangeError(`rows must be in [1, ${ws.capacity}], got ${rows}`);
    const k = this.kernels;
    const layers = this.net.layers;
    const last = layers.length - 1;
    this.forward(ws, x, rows, true);
    const [lossSum, correct] = k.softmaxCrossEntropy(ws.dT[last], ws.hT[last], labels, rows, layers[last].out);
    for (let l = last; l >= 0; l--) {
      const layer = layers[l];
      k.linearBackwardWeight(this.gradW[l], this.gradB[l], ws.dT[l], l === 0 ? x : ws.hRows[l - 1], rows, layer.in, layer.out);
      if (l > 0) {
        // The first layer's input gradient is never needed.
        k.linearBackwardInput(ws.dT[l - 1], ws.dT[l], layer.weight, rows, layer.in, layer.out);
        k.activationBackward(layerActivation(this.net, l - 1), ws.dT[l - 1], ws.dT[l - 1], ws.hT[l - 1], layer.in * rows);
      }
    }
    this.applyOptimizer();
    return { lossSum, correct };
  }

  private applyOptimizer(): void {
    const k = this.kernels;
    const opt = this.optimizer;
    this.step++;
    this.net.layers.forEach((layer, l) => {
      const params: [Float32Array, Float32Array, Float32Array | null, 'w' | 'b'][] = [
        [layer.weight, this.gradW[l], layer.weightMask, 'w'],
        [layer.bias, this.gradB[l], layer.biasMask, 'b'],
      ];
      for (const [p, g, mask, which] of params) {
        if (opt.kind === 'adam') {
          k.adamStep(p, g, this.state[0][which][l], this.state[1][which][l], mask, p.length, opt.lr, opt.beta1, opt.beta2, opt.eps, this.step);
        } else {
          k.sgdStep(p, g, this.state.length ? this.state[0][which][l] : null, mask, p.length, opt.lr, opt.momentum);
        }
      }
    });
  }

  evaluate(x: Float32Array, labels: Int32Array, rows: number, options: { activations?: boolean } = {}): Evaluation {
    const k = this.kernels;
    const layers = this.net.layers;
    const last = layers.length - 1;
    const ws = (this.evalSpace ??= this.workspace(EVAL_CHUNK));
    const activations = options.activations ? this.activationArrays(rows) : undefined;
    const features = layers[0].in;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows; start += EVAL_CHUNK) {
      const n = Math.min(EVAL_CHUNK, rows - start);
      this.forward(ws, x.subarray(start * features, (start + n) * features), n, false);
      const [loss, right] = k.softmaxCrossEntropy(ws.dT[last], ws.hT[last], labels.subarray(start, start + n), n, layers[last].out);
      lossSum += loss;
      correct += right;
      if (activations) {
        layers.forEach((layer, l) => k.transpose(activations[l].subarray(start * layer.out), ws.hT[l], layer.out, n));
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
