// Miller–Madow corrected binning estimates of an information plane, computed
// from the same binned row symbols as the plug-in ones (miller-madow.ts):
//   I(X;T) = H(T) + H(X) − H(T,X) with X binned, or H(T) when each sample is its own x;
//   I(T;Y) = H(T) + H(Y) − H(T,Y),
// each entropy plus its (m − 1)/(2N ln 2). Both values are returned, so an
// output always shows the correction beside the plug-in value.

import { type Binning, type LayerActivation, binningParams } from './binning.ts';
import type { MiEngine } from '../backend/mi-kernels.ts';
import { symbolEntropy, symbolMutualInformation } from './miller-madow.ts';

export const BIAS_CORRECTIONS = ['none', 'miller-madow'] as const;
export type BiasCorrection = (typeof BIAS_CORRECTIONS)[number];

export interface CorrectedPoint {
  ixt: { plugin: number; millerMadow: number };
  ity: { plugin: number; millerMadow: number };
}

function rowSymbols(engine: MiEngine, values: Float32Array, width: number, binning: Binning, activation: LayerActivation, field: string): Int32Array {
  const n = values.length / width;
  const ids = new Int32Array(n);
  engine.rowSymbols(ids, values, n, width, binningParams(binning, activation, field));
  return ids;
}

/** Plug-in and Miller–Madow I(X;T), I(T;Y) of every layer, bits. */
export function millerMadowPlane(
  layers: readonly { activations: Float32Array; width: number; activation?: LayerActivation }[],
  labels: Int32Array,
  binning: Binning,
  engine: MiEngine,
  x?: { activations: Float32Array; width: number; binning: Binning },
): CorrectedPoint[] {
  const xSymbols = x ? rowSymbols(engine, x.activations, x.width, x.binning, 'tanh', 'x.binning') : undefined;
  return layers.map((l, i) => {
    const t = rowSymbols(engine, l.activations, l.width, binning, l.activation ?? 'tanh', `layers[${i}].binning`);
    const ht = symbolEntropy(t);
    return {
      ixt: xSymbols ? symbolMutualInformation(t, xSymbols) : { plugin: ht.plugin, millerMadow: ht.millerMadow },
      ity: symbolMutualInformation(t, labels),
    };
  });
}
