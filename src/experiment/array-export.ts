// Arrays of a run as NumPy files, so that every run can be checked from
// numpy and compared with PyTorch on the same weights and masks:
//
//   arrays/index.json               what each file is: shapes, dtypes, which samples
//   arrays/labels.npy               int64 [N]: the labels of the MI samples (once)
//   arrays/epoch-NNNN/h1.npy …      float32 [N, width]: hidden activations (tanh/relu/linear output)
//   arrays/epoch-NNNN/out.npy       float32 [N, classes]: softmax of the logits — what MI bins
//   arrays/epoch-NNNN/weight-K.npy  float32 [out, in]: layer K's weight (nn.Linear layout)
//   arrays/epoch-NNNN/bias-K.npy    float32 [out]
//   arrays/epoch-NNNN/mask-K.npy    uint8 [out, in]: 1 kept, 0 pruned (torch's weight_mask)
//   arrays/epoch-NNNN/bias-mask-K.npy  uint8 [out], only with pruneBias
//
// Epoch 0 is the network after initialisation and pruning, before the first
// step; epoch e after e epochs. The samples are MI's (spec.mi.on), in MI's
// order, so a numpy estimator on h1.npy and labels.npy reproduces mi.jsonl.
// Everything is held in memory and handed to the run directory's atomic
// writer: budget N·(Σ widths)·4 bytes per saved epoch for activations.
import { InputError } from '../core/input-error.ts';
import type { Engine } from '../train/engine-types.ts';
import type { Network } from '../train/model.ts';
import type { SplitDataset } from '../data/dataset.ts';
import { miEpochs, miSamples, softmaxRowsInPlace } from './mi-measure.ts';
import type { Spec } from './spec.ts';
import { encodeNpy, descrOf, type NdArray } from '../io/npy.ts';

export type SaveKind = 'activations' | 'weights' | 'masks';

/**
 * The epochs of a save schedule: `all` (0..epochs), or a comma list of
 * epochs and `log:K` (K log-spaced epochs with 0 and the last, as MI's log:K).
 */
export function saveEpochs(text: string, epochs: number, field = 'spec.save.epochs'): number[] {
  if (text === 'all') return Array.from({ length: epochs + 1 }, (_, e) => e);
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (part.startsWith('log:')) {
      for (const e of miEpochs(part, epochs)) out.add(e);
      continue;
    }
    const e = Number(part);
    if (!Number.isInteger(e) || e < 0 || part.trim() === '') throw new InputError(`${field}: expected all, epochs and log:K, got ${JSON.stringify(text)}`);
    if (e > epochs) throw new InputError(`${field}: epoch ${e} is after the last epoch of training (${epochs}), in ${JSON.stringify(text)}`);
    out.add(e);
  }
  return [...out].sort((a, b) => a - b);
}

export const epochDirectory = (epoch: number) => `epoch-${String(epoch).padStart(4, '0')}`;

/** The MI samples (same rows, same order as mi-measure.ts): all = train rows then test rows. */

interface IndexEntry {
  file: string;
  epoch: number;
  kind: 'activations' | 'weight' | 'bias' | 'mask' | 'bias-mask';
  /** h1..hK, out; or the 1-based layer of a weight, bias or mask. */
  layer: string | number;
  dtype: string;
  shape: number[];
}

export interface ArraySaver {
  /** Call with the engine at each measured epoch (train's `measure` hook); saves when the schedule says so. */
  measure(epoch: number, engine: Engine): void;
  /** The files saved so far, keyed by path in the run directory (arrays/…), with arrays/index.json. */
  files(): Record<string, Uint8Array>;
}

/** A saver for spec.save, or null when the spec saves nothing. Validates the schedule up front. */
export function createArraySaver(spec: Spec, data: SplitDataset, net: Network): ArraySaver | null {
  if (!spec.save) return null;
  const what = new Set<SaveKind>(spec.save.what);
  const epochs = saveEpochs(spec.save.epochs, spec.train.epochs);
  const schedule = new Set(epochs);
  const samples = what.has('activations') ? miSamples(spec, data) : undefined;
  const hidden = net.layers.length - 1;
  const names = [...Array.from({ length: hidden }, (_, i) => `h${i + 1}`), 'out'];
  const files: Record<string, Uint8Array> = {};
  const index: IndexEntry[] = [];
  const add = (epoch: number, name: string, kind: IndexEntry['kind'], layer: string | number, array: NdArray) => {
    const file = `${epochDirectory(epoch)}/${name}.npy`;
    files[`arrays/${file}`] = encodeNpy(array);
    index.push({ file, epoch, kind, layer, dtype: descrOf(array), shape: [...array.shape] });
  };
  const saved: number[] = [];

  return {
    measure(epoch, engine) {
      if (!schedule.has(epoch)) return;
      saved.push(epoch);
      if (samples) {
        const evaluation = engine.evaluate(samples.x, samples.labels, samples.rows, { activations: true });
        evaluation.activations!.forEach((a, l) => {
          const width = a.length / samples.rows;
          // Copies: the engine reuses its activation buffers on the next evaluation.
          const values = Float32Array.from(a);
          if (l === hidden) softmaxRowsInPlace(values, samples.rows, width);
          add(epoch, names[l], 'activations', names[l], { data: values, shape: [samples.rows, width] });
        });
      }
      net.layers.forEach((layer, l) => {
        const k = l + 1;
        if (what.has('weights')) {
          add(epoch, `weight-${k}`, 'weight', k, { data: Float32Array.from(layer.weight), shape: [layer.out, layer.in] });
          add(epoch, `bias-${k}`, 'bias', k, { data: Float32Array.from(layer.bias), shape: [layer.out] });
        }
        if (what.has('masks')) {
          const mask = layer.weightMask ? Uint8Array.from(layer.weightMask, (m) => (m ? 1 : 0)) : new Uint8Array(layer.weight.length).fill(1);
          add(epoch, `mask-${k}`, 'mask', k, { data: mask, shape: [layer.out, layer.in] });
          if (layer.biasMask) add(epoch, `bias-mask-${k}`, 'bias-mask', k, { data: Uint8Array.from(layer.biasMask, (m) => (m ? 1 : 0)), shape: [layer.out] });
        }
      });
    },
    files() {
      const out: Record<string, Uint8Array> = { ...files };
      let labels: object | undefined;
      if (samples) {
        const y = { data: BigInt64Array.from(samples.labels, (v) => BigInt(v)), shape: [samples.rows] };
        out['arrays/labels.npy'] = encodeNpy(y);
        labels = { file: 'labels.npy', dtype: descrOf(y), shape: y.shape };
      }
      const doc = {
        format: 'NumPy .npy, format 1.0, little-endian, C order; np.load reads every file',
        what: [...what],
        schedule: spec.save!.epochs,
        epochs: saved,
        ...(samples
          ? {
              samples: { on: spec.mi.on, rows: samples.rows, order: samples.description, classes: data.train.classes },
              labels,
              activations: {
                layers: names,
                note: `rows are the samples above; ${names.slice(0, -1).join(', ')} are ${spec.net.activation} outputs, out is the softmax of the logits (the layers MI bins)`,
              },
            }
          : {}),
        ...(what.has('weights') || what.has('masks')
          ? {
              parameters:
                'weight-K [out, in] and bias-K [out] as torch.nn.Linear stores them, K = 1 is the first layer; mask-K uint8, 1 kept, 0 pruned (torch weight_mask); all ones without pruning',
            }
          : {}),
        files: index,
      };
      out['arrays/index.json'] = new TextEncoder().encode(JSON.stringify(doc, null, 2) + '\n');
      return out;
    },
  };
}
