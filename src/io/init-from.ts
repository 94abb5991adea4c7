// Initial weights from a .npz, so that infoplane and PyTorch can start from
// identical weights (and then compare masks and curves). Accepted names are
// those of a PyTorch state_dict of Linear layers:
//
//   nn.Sequential(Linear, Tanh, Linear, …)     0.weight, 0.bias, 2.weight, 2.bias, …
//   a module holding them as `layers`          layers.0.weight, layers.0.bias, …
//   any other common prefix                    net.0.weight, module.layers.1.weight, …
//
// The indices only order the layers (the activations between them take
// indices in nn.Sequential, so they need not be consecutive). Every layer
// needs its weight [out, in] (nn.Linear's layout, infoplane's too) and bias
// [out], float32 or float64 (rounded to float32, like module.float()), finite,
// and the layer count and every shape must match the spec's net. A pruned
// torch module's weight_orig/weight_mask are refused with a hint.
import { InputError } from '../core/input-error.ts';
import { createHash } from 'node:crypto';
import type { Network } from '../train/model.ts';
import { decodeNpz, readFileBytes } from './npz.ts';
import type { NpyArray } from './npy.ts';

const NAME = /^(?:(.+)\.)?(\d+)\.(weight|bias)$/;

export interface InitFromReport {
  file: string;
  sha256: string;
  /** The archive names used for each layer, first layer first. */
  layers: { weight: string; bias: string }[];
}

function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

function toFloat32(array: NpyArray, source: string): Float32Array {
  if (array.dtype !== 'float32' && array.dtype !== 'float64' && array.dtype !== 'float16') {
    throw new InputError(source, `weights must be float32 or float64, got ${array.dtype} (${array.descr})`);
  }
  const out = array.data instanceof Float32Array ? array.data : Float32Array.from(array.data as Float64Array);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]))
      throw new InputError(
        source,
        `element ${i} is ${(array.data as Float64Array)[i]}; initial weights must be finite${Number.isFinite((array.data as Float64Array)[i]) ? ' in float32' : ''}`,
      );
  }
  return out;
}

/**
 * Overwrites every layer's weight and bias with the arrays of the .npz at
 * `path`, after checking names and shapes against `net`. Throws InputError
 * naming the file (and member) otherwise; `net` is untouched on error.
 */
export function initFromNpz(net: Network, path: string, field = 'spec.initFrom'): InitFromReport {
  const bytes = readFileBytes(path);
  const arrays = decodeNpz(bytes, path);
  const names = arrays.map((a) => a.name);
  const pruned = names.find((n) => /_(orig|mask)$/.test(n));
  if (pruned) {
    throw new InputError(
      `${path}:${pruned}`,
      "this is a pruned torch module's state_dict (weight_orig/weight_mask); save it before pruning, or call torch.nn.utils.prune.remove first, so that the archive holds plain weights",
    );
  }
  const groups = new Map<number, { weight?: string; bias?: string }>();
  const prefixes = new Set<string>();
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) {
      throw new InputError(
        `${path}:${name}`,
        `unexpected array name; ${field} takes a state_dict of Linear layers: 0.weight, 0.bias, 2.weight, … (nn.Sequential) or layers.K.weight, layers.K.bias`,
      );
    }
    prefixes.add(m[1] ?? '');
    const k = Number(m[2]);
    const g = groups.get(k) ?? {};
    g[m[3] as 'weight' | 'bias'] = name;
    groups.set(k, g);
  }
  if (prefixes.size > 1)
    throw new InputError(
      path,
      `the array names have different prefixes (${[...prefixes].map((p) => JSON.stringify(p)).join(', ')}); expected one module's state_dict`,
    );
  const indices = [...groups.keys()].sort((a, b) => a - b);
  const layers = net.layers;
  const sizes = net.sizes.join('-');
  if (indices.length !== layers.length) {
    throw new InputError(
      path,
      `holds ${indices.length} Linear layer${indices.length === 1 ? '' : 's'} (indices ${indices.join(', ')}), the net ${sizes} has ${layers.length}`,
    );
  }
  const byName = new Map(arrays.map((a) => [a.name, a.array]));
  const values = indices.map((k, l) => {
    const g = groups.get(k)!;
    const layer = layers[l];
    for (const part of ['weight', 'bias'] as const) {
      if (!g[part])
        throw new InputError(path, `layer ${l + 1} (index ${k}) has no ${part}; expected ${[...prefixes][0] ? `${[...prefixes][0]}.` : ''}${k}.${part}`);
    }
    const weight = byName.get(g.weight!)!;
    const bias = byName.get(g.bias!)!;
    if (weight.shape.length !== 2 || weight.shape[0] !== layer.out || weight.shape[1] !== layer.in) {
      throw new InputError(
        `${path}:${g.weight}`,
        `shape ${shapeText(weight.shape)} does not fit layer ${l + 1} of the net ${sizes}: expected (${layer.out}, ${layer.in}) = (out, in), as nn.Linear stores it`,
      );
    }
    if (bias.shape.length !== 1 || bias.shape[0] !== layer.out) {
      throw new InputError(`${path}:${g.bias}`, `shape ${shapeText(bias.shape)} does not fit layer ${l + 1} of the net ${sizes}: expected (${layer.out},)`);
    }
    return { weight: toFloat32(weight, `${path}:${g.weight}`), bias: toFloat32(bias, `${path}:${g.bias}`) };
  });
  values.forEach((v, l) => {
    layers[l].weight.set(v.weight);
    layers[l].bias.set(v.bias);
  });
  return {
    file: path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    layers: indices.map((k) => ({ weight: groups.get(k)!.weight!, bias: groups.get(k)!.bias! })),
  };
}
