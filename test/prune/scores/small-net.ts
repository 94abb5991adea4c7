// A small tanh MLP, a batch, and a plain double-precision forward pass: the
// oracle the data-driven scores are checked against by finite differences.
import type { ScoreBatch, ScoreLayer } from '../../../src/prune/scores/mlp-pass.ts';
import { Rng } from '../../../src/core/rng.ts';
import { randomF32 } from '../../helpers/floats.ts';

export const SIZES = [6, 5, 4, 3];

export function smallNet(seed = 1, sizes = SIZES): ScoreLayer[] {
  const rng = Rng.stream(seed, 'small-net');
  return sizes
    .slice(1)
    .map((out, l) => ({ in: sizes[l], out, weight: randomF32(rng, out * sizes[l], 1 / Math.sqrt(sizes[l])), bias: randomF32(rng, out, 0.3) }));
}

export function smallBatch(seed = 1, rows = 8, sizes = SIZES): ScoreBatch {
  const rng = Rng.stream(seed, 'small-batch');
  const classes = sizes[sizes.length - 1];
  return { x: randomF32(rng, rows * sizes[0]), labels: Int32Array.from({ length: rows }, () => rng.nextInt(classes)), rows };
}

/** Mean softmax cross-entropy of logits ÷ T, everything in double; `w[l]` replaces the layers' weights. */
export function lossDouble(layers: readonly ScoreLayer[], w: readonly Float64Array[], batch: ScoreBatch, temperature = 1): number {
  let total = 0;
  for (let s = 0; s < batch.rows; s++) {
    let h = Array.from(batch.x.subarray(s * layers[0].in, (s + 1) * layers[0].in));
    layers.forEach((layer, l) => {
      const a = Array.from({ length: layer.out }, (_, j) => {
        let sum = layer.bias[j];
        for (let i = 0; i < layer.in; i++) sum += w[l][j * layer.in + i] * h[i];
        return sum;
      });
      h = l === layers.length - 1 ? a.map((v) => v / temperature) : a.map(Math.tanh);
    });
    const max = Math.max(...h);
    const lse = max + Math.log(h.reduce((acc, v) => acc + Math.exp(v - max), 0));
    total += lse - h[batch.labels[s]];
  }
  return total / batch.rows;
}

export const weightsOf = (layers: readonly ScoreLayer[]) => layers.map((l) => Float64Array.from(l.weight));
