// The seed report's claims, in the report's order: one file each.
import type { Claim } from '../claim.ts';
import { baselineAccuracy } from './baseline-accuracy.ts';
import { bins } from './bins.ts';
import { compressionAccuracy } from './compression-accuracy.ts';
import { globalLimits } from './global-limits.ts';
import { infrequent } from './infrequent.ts';
import { layerNeuronPruning } from './layer-neuron-pruning.ts';
import { layerWeightPruning } from './layer-weight-pruning.ts';
import { zeroMiLastLayer } from './zero-mi-last-layer.ts';

export const CLAIMS: readonly Claim[] = [
  baselineAccuracy,
  layerWeightPruning,
  layerNeuronPruning,
  globalLimits,
  zeroMiLastLayer,
  bins,
  compressionAccuracy,
  infrequent,
];
