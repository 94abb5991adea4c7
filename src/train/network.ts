// Building an MLP's parameter arrays (types in backend/model.ts, which backends consume).
import type { ActivationName } from '../backend/kernels.ts';
import type { Layer, Network } from './model.ts';

export function createNetwork(sizes: readonly number[], activation: ActivationName): Network {
  if (sizes.length < 2) throw new RangeError(`a network needs at least an input and an output size, got [${sizes.join(', ')}]`);
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 1) throw new RangeError(`layer sizes must be positive integers, got [${sizes.join(', ')}]`);
  }
  const layers: Layer[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l - 1], sizes[l]];
    layers.push({ in: fanIn, out: fanOut, weight: new Float32Array(fanIn * fanOut), bias: new Float32Array(fanOut), weightMask: null, biasMask: null });
  }
  return { sizes: [...sizes], activation, layers };
}
