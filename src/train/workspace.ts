// The engine's activation and gradient buffers for one batch capacity, shaped
// by the layer plans and allocated once: activations feature-major,
// [width, batch], plus what a compacted or input-sparse layer needs besides.
import { alignedFloat32 } from '../backend/kernels.ts';
import type { Layer } from './model.ts';
import type { AllKernels, LayerPlan } from './layer-plan.ts';

export interface InputLists {
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

export interface Workspace {
  capacity: number;
  xT: Float32Array; // input, feature-major (unused by an input-sparse first layer)
  hT: Float32Array[]; // per layer: activation output, feature-major [out, B]
  hRows: Float32Array[]; // training, per hidden layer: the same, row-major [B, out] (input of the next dW)
  dT: Float32Array[]; // training, per layer: gradient w.r.t. its pre-activation, [out, B]
  hc: (Float32Array | null)[]; // per compacted layer: its kept rows' pre-activation [width, B]
  dc: (Float32Array | null)[]; // training, per compacted layer: its kept rows of dT [width, B]
  lists: InputLists | null; // an input-sparse first layer's non-zero inputs
  /** Set by forward(): the first layer's activations are also in lists.rowsOut, row-major. */
  rowsOutHoldsLayer0: boolean;
}

export function allocateWorkspace(k: AllKernels, layers: readonly Layer[], plans: LayerPlan[], capacity: number, training: boolean): Workspace {
  const f32 = (n: number) => alignedFloat32(n, k);
  const first = plans[0];
  const features = layers[0].in;
  let lists: InputLists | null = null;
  if (first.kind === 'input-sparse') {
    const cap = capacity * features;
    lists = {
      ptr: new Int32Array(capacity + 1),
      idx: new Int32Array(cap),
      val: f32(cap),
      colPtr: training ? new Int32Array(features + 1) : null,
      rowIdx: training ? new Int32Array(cap) : null,
      colVal: training ? f32(cap) : null,
      // Training without compaction writes straight into hRows[0].
      rowsOut: training && !first.keep ? f32(0) : f32(capacity * first.width),
      dyRows: training ? f32(capacity * first.ldw) : null,
    };
  }
  return {
    capacity,
    xT: first.kind === 'input-sparse' ? f32(0) : f32(features * capacity),
    hT: layers.map((l) => f32(l.out * capacity)),
    hRows: training ? layers.slice(0, -1).map((l) => f32(l.out * capacity)) : [],
    dT: layers.map((l) => (training ? f32(l.out * capacity) : f32(0))),
    hc: plans.map((p) => (p.keep ? f32(p.width * capacity) : null)),
    dc: plans.map((p) => (p.keep && training ? f32(p.width * capacity) : null)),
    lists,
    rowsOutHoldsLayer0: false,
  };
}
