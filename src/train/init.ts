// Weight initialisation schemes, drawn from the run's `init` random stream in a
// fixed order: layer by layer, the weight matrix row-major, then the bias.
import type { Rng } from '../core/rng.ts';
import type { Network } from './model.ts';

export const INIT_SCHEMES = ['torch', 'idnns', 'glorot'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

function uniform(rng: Rng, out: Float32Array, bound: number): void {
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.nextFloat() - 1) * bound;
}

// TensorFlow's truncated normal (IDNNs): redraw any value beyond two standard deviations.
function truncatedNormal(rng: Rng, out: Float32Array, sigma: number): void {
  for (let i = 0; i < out.length; i++) {
    let z = rng.nextNormal();
    while (Math.abs(z) > 2) z = rng.nextNormal();
    out[i] = z * sigma;
  }
}

export function initialize(net: Network, scheme: InitScheme, rng: Rng): void {
  for (const layer of net.layers) {
    const fanIn = layer.in;
    if (scheme === 'torch') {
      // nn.Linear.reset_parameters: kaiming_uniform_(a=√5) gives bound √(6/((1+5)·fan_in)) = 1/√fan_in;
      // the bias is U(±1/√fan_in) too.
      uniform(rng, layer.weight, 1 / Math.sqrt(fanIn));
      uniform(rng, layer.bias, 1 / Math.sqrt(fanIn));
    } else if (scheme === 'idnns') {
      // IDNNs: tf.truncated_normal(stddev = 1/√fan_in), zero bias.
      truncatedNormal(rng, layer.weight, 1 / Math.sqrt(fanIn));
      layer.bias.fill(0);
    } else {
      // Keras glorot_uniform: U(±√(6/(fan_in + fan_out))), zero bias.
      uniform(rng, layer.weight, Math.sqrt(6 / (fanIn + layer.out)));
      layer.bias.fill(0);
    }
  }
}
