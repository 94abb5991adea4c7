// What scored pruning steps need from a run (src/prune/scores): the
// backend's kernels, the score batches drawn from the training set, named
// random streams, and fresh weights for the reinit ablation. Every draw
// comes from its own stream of the run's seed, so a scored step never
// shifts the numbers init, the split or the shuffling see.
import type { Backend } from '../backend/backend.ts';
import type { Network } from '../train/model.ts';
import type { SplitDataset } from '../data/dataset.ts';
import { InputError } from '../core/input-error.ts';
import { SCORE_ROWS_PER_CLASS, type ScoringContext } from '../prune/index.ts';
import { initialize } from '../train/init.ts';
import { createNetwork } from '../train/network.ts';
import { Rng } from '../core/rng.ts';
import type { Spec } from './spec.ts';

/**
 * `count` batches of 10 × classes training rows (Synaptic-Flow's prune set:
 * `prune_dataset_ratio` × classes samples), without replacement, from a
 * seeded permutation of the training set.
 */
function scoreBatches(data: SplitDataset, seed: number, count: number) {
  const set = data.train;
  const rows = SCORE_ROWS_PER_CLASS * set.classes;
  if (count * rows > set.rows) {
    throw new InputError('scoreBatches', `${count} batches of ${rows} rows need ${count * rows} training rows, the training set has ${set.rows}`);
  }
  const order = Int32Array.from({ length: set.rows }, (_, i) => i);
  Rng.stream(seed, 'prune-batches').shuffle(order);
  const f = set.features;
  return Array.from({ length: count }, (_, b) => {
    const x = new Float32Array(rows * f);
    const labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const src = order[b * rows + r];
      x.set(set.x.subarray(src * f, (src + 1) * f), r * f);
      labels[r] = set.labels[src];
    }
    return { x, labels, rows };
  });
}

export function scoringContext(net: Network, spec: Spec, data: SplitDataset, backend: Backend): ScoringContext & { biases: Float32Array[] } {
  let fresh: Network | undefined;
  return {
    kernels: backend.kernels(),
    activation: net.activation,
    biases: net.layers.map((l) => l.bias),
    batches: (count) => scoreBatches(data, spec.seed, count),
    random: (stream) => Rng.stream(spec.seed, stream),
    redraw: (l) => {
      if (!fresh) {
        fresh = createNetwork(net.sizes, net.activation);
        initialize(fresh, spec.net.init, Rng.stream(spec.seed, 'prune-reinit'));
      }
      return fresh.layers[l].weight.slice();
    },
  };
}
