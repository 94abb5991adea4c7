// What a set of masks leaves of a network: kept weights, alive neurons, and
// "layer collapse" (DESIGN.md: global L1 at init on 784-1024-20-20-20-2
// removes the whole 1024→20 layer at 90%, and the net then predicts the
// majority class).
//
// Reachability through kept weights, in both directions:
//   - forward: every input feature is reachable; a neuron is reachable when
//     at least one of its kept incoming weights reads a reachable unit. A
//     neuron whose incoming row is fully pruned is NOT reachable: it still
//     outputs act(b) (torch does not prune the bias), but that is a constant
//     and carries no information about the input;
//   - backward: every output neuron is co-reachable; a unit is co-reachable
//     when one of its kept outgoing weights feeds a co-reachable neuron.
// A neuron is connected when it is both, i.e. lies on an input→output path.
// A layer is collapsed when none of its neurons is reachable: its output
// T is constant in x, so I(X;T) = 0 (this includes "all weights pruned").
// The network collapses when the output layer does, i.e. no path from any
// input to any output is left; the first collapsed layer is the reason.

import { InputError } from '../core/input-error.ts';
import { type MatrixShape, checkChain, checkMask, countKept, fullyPrunedRows } from './matrix.ts';

export interface LayerPruneReport {
  /** 1-based, as in the CLI (layer 1 = inputs → first hidden layer). */
  layer: number;
  /** Kept weights of the layer's matrix. */
  kept: number;
  total: number;
  /** Output neurons of the layer. */
  neurons: number;
  /** Neurons with at least one kept incoming weight (dead = whole row pruned). */
  neuronsAlive: number;
  /** Neurons on some input→output path of kept weights. */
  neuronsConnected: number;
  /** No neuron of this layer is reachable from the inputs. */
  collapsed: boolean;
}

export interface NetPruneReport {
  layers: LayerPruneReport[];
  kept: number;
  total: number;
  collapse: boolean;
  /** Why the net collapsed, naming the first collapsed layer; absent when it did not. */
  reason?: string;
}

function checkNet(shapes: readonly MatrixShape[], masks: readonly Uint8Array[]): void {
  checkChain(shapes);
  if (!Array.isArray(masks) || masks.length !== shapes.length) {
    throw new InputError('masks', `has ${masks?.length} entries, expected one per layer (${shapes.length})`);
  }
  for (const [l, shape] of shapes.entries()) checkMask(masks[l], shape.out * shape.in, `layers[${l}]`);
}

/** Units of layer l's output reachable from the inputs, given the reachable inputs of layer l. */
function forwardReach(mask: Uint8Array, shape: MatrixShape, reachableIn: Uint8Array): Uint8Array {
  const reach = new Uint8Array(shape.out);
  for (let j = 0; j < shape.out; j++) {
    const row = j * shape.in;
    for (let i = 0; i < shape.in; i++) {
      if (mask[row + i] && reachableIn[i]) {
        reach[j] = 1;
        break;
      }
    }
  }
  return reach;
}

/** Inputs of layer l that feed a co-reachable neuron of layer l. */
function backwardReach(mask: Uint8Array, shape: MatrixShape, coReachableOut: Uint8Array): Uint8Array {
  const co = new Uint8Array(shape.in);
  for (let j = 0; j < shape.out; j++) {
    if (!coReachableOut[j]) continue;
    const row = j * shape.in;
    for (let i = 0; i < shape.in; i++) if (mask[row + i]) co[i] = 1;
  }
  return co;
}

function sum(a: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** Per-layer counts and collapse detection for masks over a chain of layers (1-based in the report). */
export function analyzeMasks(shapes: readonly MatrixShape[], masks: readonly Uint8Array[]): NetPruneReport {
  checkNet(shapes, masks);
  const L = shapes.length;
  const forward: Uint8Array[] = [];
  let reachable: Uint8Array = new Uint8Array(shapes[0].in).fill(1);
  for (let l = 0; l < L; l++) {
    reachable = forwardReach(masks[l], shapes[l], reachable);
    forward.push(reachable);
  }
  const backward: Uint8Array[] = new Array(L);
  let co: Uint8Array = new Uint8Array(shapes[L - 1].out).fill(1);
  for (let l = L - 1; l >= 0; l--) {
    backward[l] = co;
    co = backwardReach(masks[l], shapes[l], co);
  }

  const layers: LayerPruneReport[] = shapes.map((shape, l) => {
    const connected = forward[l].map((f, j) => f & backward[l][j]);
    return {
      layer: l + 1,
      kept: countKept(masks[l]),
      total: shape.out * shape.in,
      neurons: shape.out,
      neuronsAlive: shape.out - sum(fullyPrunedRows(masks[l], shape)),
      neuronsConnected: sum(connected),
      collapsed: sum(forward[l]) === 0,
    };
  });
  const report: NetPruneReport = {
    layers,
    kept: layers.reduce((s, r) => s + r.kept, 0),
    total: layers.reduce((s, r) => s + r.total, 0),
    collapse: layers[L - 1].collapsed,
  };
  const first = layers.find((r) => r.collapsed);
  if (first) {
    const { in: fanIn, out } = shapes[first.layer - 1];
    const where = `layer ${first.layer} (${fanIn}→${out})`;
    report.reason =
      first.kept === 0
        ? `${where} has all ${first.total} weights pruned: no path from the inputs to the outputs`
        : `${where} keeps ${first.kept} weights, but all of them read units cut off from the inputs: no path from the inputs to the outputs`;
  }
  return report;
}

/**
 * Compute shortcut, not mask semantics: the input columns of layer l+1 that a
 * kernel may skip because neuron j of layer l has its whole incoming row
 * pruned (returns those j, ascending). Such a neuron still outputs act(b_j),
 * so skipping column j is exact only when act(b_j) = 0 (bias pruned, see
 * bias.ts, and act(0) = 0 as for tanh and ReLU); otherwise the caller must
 * fold W[l+1][:, j] · act(b_j) into layer l+1's bias first.
 */
export function skippableInputColumns(maskOfLayer: Uint8Array, shapeOfLayer: MatrixShape): Int32Array {
  const dead = fullyPrunedRows(maskOfLayer, shapeOfLayer);
  const cols: number[] = [];
  for (let j = 0; j < dead.length; j++) if (dead[j]) cols.push(j);
  return Int32Array.from(cols);
}
