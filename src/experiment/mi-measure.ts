// The information plane during a run: on a schedule of epochs, a forward pass
// over the MI samples returns every layer's activations, and each requested
// binning turns them into one (I(X;T), I(T;Y)) point per layer.
import type { Engine, Evaluation } from '../train/engine-types.ts';
import type { SplitDataset } from '../data/dataset.ts';
import { type Binning, formatBinning, parseBinning } from '../mi/binning.ts';
import { informationPlane, type InformationPlanePoint } from '../mi/information-plane.ts';
import { kdeInformationPlane, type KdeLayerPoint } from '../mi/kde.ts';
import { millerMadowPlane } from '../mi/bias-correction.ts';
import { ksgInformationPlane, type KsgLayerPoint } from '../mi/ksg.ts';
import { selectMiEngine } from '../backend/registry.ts';
import { checkPreActivationBinning, preActivationLayers } from '../mi/pre-activation.ts';
import type { MiEngine } from '../backend/mi-kernels.ts';
import type { Spec } from './spec.ts';

/** One information-plane point of a run: a layer at an epoch, under one binning. */
export type MiRecord = Pick<
  InformationPlanePoint,
  'ixt' | 'ity' | 'ht' | 'htGivenY' | 'distinct' | 'ceilingX' | 'ceilingY' | 'saturated' | 'outOfRange' | 'xMode'
> & {
  epoch: number;
  /** h1..hK for hidden layers, `out` for the softmax output. */
  layer: string;
  /** Canonical binning text, e.g. `fixed:30`. */
  estimator: string;
  /** The range the layer was binned over (null for width binning). */
  range: number[] | null;
  /** With biasCorrection miller-madow: the corrected I(X;T) and I(T;Y) beside the plug-in ixt/ity, bits. */
  ixtMillerMadow?: number;
  ityMillerMadow?: number;
};

/** KSG estimates of one layer at one epoch (I(X;T) against the input pixels). */
export type KsgRecord = Pick<KsgLayerPoint, 'ixt' | 'ity' | 'k' | 'samples'> & {
  epoch: number;
  layer: string;
};

/** KDE bounds of one layer at one epoch. */
export type KdeRecord = Pick<
  KdeLayerPoint,
  'ixtUpper' | 'ixtLower' | 'ityFromUpper' | 'ityFromLower' | 'htUpper' | 'htLower' | 'htGivenX' | 'ceiling' | 'atCeiling'
> & {
  epoch: number;
  layer: string;
  noiseVariance: number;
  samples: number;
};

/** Epochs at which MI is measured: every epoch (with 0, the init), or K log-spaced ones. */
export function miEpochs(schedule: string, epochs: number): Set<number> {
  if (schedule === 'none') return new Set();
  if (schedule === 'every') return new Set(Array.from({ length: epochs + 1 }, (_, e) => e));
  const k = Number(schedule.slice(4));
  const out = new Set([0, epochs]);
  for (let i = 0; i < k; i++) out.add(Math.round(Math.exp((Math.log(epochs) * i) / Math.max(1, k - 1))));
  return out;
}

export interface MiSamples {
  x: Float32Array;
  labels: Int32Array;
  rows: number;
  description: string;
  /** Where the whole test set lies among the samples; absent when it is not among them. */
  testRows?: { start: number; rows: number };
}

/** Where the whole test set lies among the MI samples (spec.mi.on), in split order; undefined when it is not among them. */
export function testRowsAmongMiSamples(spec: Spec, data: SplitDataset): { start: number; rows: number } | undefined {
  if (spec.mi.on === 'train') return undefined;
  return { start: spec.mi.on === 'test' ? 0 : data.train.rows, rows: data.test.rows };
}

/** The samples MI is measured on (spec.mi.on), in a fixed order: train rows then test rows. */
export function miSamples(spec: Spec, data: SplitDataset): MiSamples {
  const testRows = testRowsAmongMiSamples(spec, data);
  if (spec.mi.on === 'test') return { ...data.test, description: `the ${data.test.rows} test rows, in split order`, testRows };
  if (spec.mi.on === 'train') return { ...data.train, description: `the ${data.train.rows} training rows, in split order` };
  const x = new Float32Array(data.train.x.length + data.test.x.length);
  x.set(data.train.x);
  x.set(data.test.x, data.train.x.length);
  const labels = new Int32Array(data.train.rows + data.test.rows);
  labels.set(data.train.labels);
  labels.set(data.test.labels, data.train.rows);
  const description = `the ${data.train.rows} training rows then the ${data.test.rows} test rows, in split order`;
  return { x, labels, rows: labels.length, description, testRows };
}

// The plane's output layer is the softmax of the logits, as in IDNNs and ibsgd.
// Indexed rows, no subarray or spread per row (10 000 rows per measured epoch).
export function softmaxRowsInPlace(logits: Float32Array, rows: number, classes: number): void {
  for (let base = 0; base < rows * classes; base += classes) {
    // Math.max of the row: NaN if any is NaN, else the largest (the sign of a zero maximum cannot change exp(x − max)).
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = logits[base + c];
      if (Number.isNaN(v)) {
        max = Number.NaN;
        break;
      }
      if (v > max) max = v;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[base + c] - max);
    for (let c = 0; c < classes; c++) logits[base + c] = Math.exp(logits[base + c] - max) / sum;
  }
}

export function createMiMeasurer(
  spec: Spec,
  data: SplitDataset,
  sink: (records: MiRecord[], kde: KdeRecord[], ksg: KsgRecord[]) => void,
  /** The binning engine, e.g. the gpu backend's; default: native when it loads. */
  miEngine?: MiEngine,
): MiMeasurer {
  const schedule = miEpochs(spec.mi.epochs, spec.train.epochs);
  const all = spec.mi.binning.map((text, i) => parseBinning(text, `spec.mi.binning[${i}]`));
  // adaptive binnings with range `global` wait for the run's end: their range is every measured epoch's min and max.
  const deferred = spec.mi.range === 'global' ? all.filter((b) => b.scheme === 'adaptive' && !b.range) : [];
  const binnings = all.filter((b) => !deferred.includes(b));
  const stash: { epoch: number; layers: Float32Array[] }[] = [];
  const set = miSamples(spec, data);
  const hidden = spec.net.hidden.length;
  const names = [...spec.net.hidden.map((_, i) => `h${i + 1}`), 'out'];
  const layerInputs = (acts: readonly Float32Array[]) =>
    acts.map((a, l) => ({
      name: names[l],
      activations: a,
      width: a.length / set.rows,
      activation: l === hidden ? ('softmax' as const) : spec.net.activation,
    }));
  // --bin-space pre: hidden layers binned on uniform pre-activation edges (the output softmax stays as it is).
  const binnedInputs = (layers: ReturnType<typeof layerInputs>) => (spec.mi.binSpace !== 'pre' ? layers : preActivationLayers(layers));
  const spaceLabel = spec.mi.binSpace === 'pre' ? ':pre' : '';
  for (const b of spec.mi.binSpace === 'pre' ? all : []) checkPreActivationBinning(b, 'spec.mi.binSpace');
  const x = spec.mi.x === undefined ? undefined : { activations: set.x, width: data.train.features, binning: spec.mi.x };
  const corrected = (layers: ReturnType<typeof layerInputs>, binning: Binning) =>
    spec.mi.biasCorrection === 'miller-madow'
      ? millerMadowPlane(layers, set.labels, binning, selectMiEngine(miEngine), x && { ...x, binning: parseBinning(x.binning, 'spec.mi.x') })
      : undefined;
  const planeRecords = (epoch: number, inputs: ReturnType<typeof layerInputs>, binning: Binning, label: string): MiRecord[] => {
    const layers = binnedInputs(inputs);
    const mm = corrected(layers, binning);
    return informationPlane(layers, set.labels, { binning, classes: data.train.classes, x, engine: miEngine }).map((p) => ({
      epoch,
      layer: layers[p.layer].name,
      estimator: label + spaceLabel,
      range: p.estimator.range ? [...p.estimator.range] : null,
      ixt: p.ixt,
      ity: p.ity,
      ht: p.ht,
      htGivenY: p.htGivenY,
      distinct: p.distinct,
      ceilingX: p.ceilingX,
      ceilingY: p.ceilingY,
      saturated: p.saturated,
      outOfRange: p.outOfRange,
      xMode: p.xMode,
      ...(mm ? { ixtMillerMadow: mm[p.layer].ixt.millerMadow, ityMillerMadow: mm[p.layer].ity.millerMadow } : {}),
    }));
  };

  const measure = (epoch: number, engine: Engine): Evaluation | undefined => {
    if (!schedule.has(epoch)) return undefined;
    const evaluation = engine.evaluate(set.x, set.labels, set.rows, { activations: true, reuseInput: true, ...(set.testRows ? { subset: set.testRows } : {}) });
    // A copy of the logits takes the softmax: the caller may still read the engine's logits of the test rows.
    const acts = evaluation.activations!.map((a, l) => (l === hidden ? Float32Array.from(a) : a));
    softmaxRowsInPlace(acts[hidden], set.rows, data.train.classes);
    const layers = layerInputs(acts);
    // Copies: the engine reuses its activation buffers (N·Σwidths·4 bytes per measured epoch).
    if (deferred.length) stash.push({ epoch, layers: acts.map((a) => Float32Array.from(a)) });
    const records = binnings.flatMap((b) => planeRecords(epoch, layers, b, formatBinning(b)));
    const kde: KdeRecord[] = [];
    if (spec.mi.kde) {
      const { noiseVariance, subsample } = spec.mi.kde;
      const options = { noiseVariance, seed: spec.seed, ...(subsample > 0 && subsample < set.rows ? { subsample } : {}) };
      for (const p of kdeInformationPlane(layers, set.labels, options)) {
        const { ixtUpper, ixtLower, ityFromUpper, ityFromLower, htUpper, htLower, htGivenX, ceiling, atCeiling } = p;
        kde.push({
          epoch,
          layer: names[p.layer],
          ixtUpper,
          ixtLower,
          ityFromUpper,
          ityFromLower,
          htUpper,
          htLower,
          htGivenX,
          ceiling,
          atCeiling,
          noiseVariance,
          samples: p.estimator.samples,
        });
      }
    }
    const ksg: KsgRecord[] = [];
    if (spec.mi.ksg) {
      const { k, subsample } = spec.mi.ksg;
      const options = {
        k,
        seed: spec.seed,
        x: { activations: set.x, width: data.train.features },
        ...(subsample > 0 && subsample < set.rows ? { subsample } : {}),
      };
      for (const p of ksgInformationPlane(layers, set.labels, options))
        ksg.push({ epoch, layer: names[p.layer], ixt: p.ixt, ity: p.ity, k: p.k, samples: p.samples });
    }
    sink(records, kde, ksg);
    return evaluation.subset;
  };

  // The global range per layer: min and max over every stashed epoch, then each epoch binned over it.
  const finish = (): void => {
    if (!stash.length) return;
    const binned = stash.map((s) => binnedInputs(layerInputs(s.layers))); // the values the range must cover
    const ranges = stash[0].layers.map((_, l) => {
      let [lo, hi] = [Infinity, -Infinity];
      for (const s of binned) for (const v of s[l].activations) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      return [lo, hi < lo + 1e-12 ? lo + 1 : hi] as const; // a constant layer still needs lo < hi
    });
    for (const { epoch, layers } of stash) {
      const inputs = layerInputs(layers);
      const records = deferred.flatMap((b) =>
        inputs.flatMap((layer, l) =>
          planeRecords(epoch, [layer], { ...b, range: ranges[l] } as Binning, `${formatBinning(b)}:global`).map((r) => ({ ...r, layer: layer.name })),
        ),
      );
      sink(records, [], []);
    }
    stash.length = 0;
  };
  return { measure, finish };
}

export interface MiMeasurer {
  /**
   * Measures at a scheduled epoch (0 = init); skips the others. Returns the
   * test set's evaluation from the same forward pass where the samples hold
   * it, with its activations (views of the engine's, valid until its next evaluation).
   */
  measure(epoch: number, engine: Engine): Evaluation | undefined;
  /** After training: the planes that need the whole run (adaptive binning with a global range). */
  finish(): void;
}
