// Published set-ups by name (`--preset NAME`, `"preset": NAME` in a spec).
// A preset is a partial spec document laid under the user's: every field the
// user gives — in a spec file or as a flag — wins; objects merge field by
// field, arrays (hidden sizes, binnings, prune steps) are replaced whole.
//
// Sources of each set-up:
// - saxe-mnist: artemyk/ibsgd MNIST_SaveActivations.ipynb + loggingreporter.py
//   (Saxe et al. 2018): Keras Dense layers (glorot_uniform, zero bias), SGD
//   lr 0.001 without momentum, batch 128, 10-way softmax, activity recorded
//   on the test set (FULL_MI False), simplebinmi width 0.5.
// - tishby: ravidziv/IDNNs idnns/networks/network_paramters.py and utils.py
//   (Shwartz-Ziv & Tishby 2017): net '1' = [10, 7, 5, 4, 3] on var_u (12
//   inputs, 2 outputs), Adam lr 4e-4, batch 256, truncated-normal init with
//   zero bias, 80% of the rows train unshuffled, 30 np.linspace edges,
//   information on all 4096 patterns at log-spaced epochs.
// - seed-report: the default net of the seed report on full MNIST
//   with its pruning settings as variants.
import { InputError } from '../core/input-error.ts';
import type { SpecInput } from './spec.ts';

/** A spec document fragment: what a preset lays under the user's fields. */
export type PresetSpec = Omit<SpecInput, 'preset' | 'seed' | 'threads' | 'backend'>;

export interface Preset {
  name: string;
  description: string;
  reference: string;
  /**
   * A field the user must give because the preset cannot know it, with the
   * kind of value it takes. Only the data file of the IDNNs set-ups: a preset
   * never hard-codes a path on someone's machine.
   */
  requires?: { field: 'data.source'; kind: 'mat'; hint: string };
  spec: PresetSpec;
}

/** What `infoplane presets` shows as the data source of a preset that requires one. */
export const REQUIRED_MAT_PLACEHOLDER = 'mat:FILE';

const VAR_U_HINT =
  "the Shwartz-Ziv & Tishby 12-bit set: give --data mat:FILE (spec.data.source), e.g. --data mat:../shared/data/var_u.mat; the file is artemyk/ibsgd's datasets/var_u.mat (MIT)";

// Shared by tishby and tishby-relu. Epochs: IDNNs' default 8000 (ibsgd runs
// 10 000). The net is tiny: 8000 epochs with 100 log-spaced MI measurements
// take ~15 s on 2 cores, and the late (compression) phase needs thousands.
const idnnsSetup = (activation: 'tanh' | 'relu', binning: string): PresetSpec => ({
  data: { source: REQUIRED_MAT_PLACEHOLDER, task: 'label', split: 'ordered' },
  net: { hidden: [10, 7, 5, 4, 3], activation, init: 'idnns' },
  train: { epochs: 8000, batchSize: 256, optimizer: 'adam', lr: 4e-4 },
  mi: { binning: [binning], on: 'all', epochs: 'log:100' },
});

const seedReportSpec = (steps: NonNullable<PresetSpec['prune']>['steps'] = []): PresetSpec => ({
  data: { source: 'mnist-full', task: 'parity' },
  net: { hidden: [1024, 20, 20, 20], activation: 'tanh', init: 'torch' },
  train: { epochs: 20, batchSize: 128, optimizer: 'adam', lr: 1e-3 },
  prune: { steps, pruneBias: false },
  mi: { binning: ['fixed:30'], on: 'all', epochs: 'every' },
});

const SEED_REPORT_VARIANTS: Preset[] = [
  ...[1, 2, 3, 4, 5].map((l) => ({
    name: `seed-report/lw95-L${l}`,
    description: `seed-report with 95% of layer ${l}'s weights pruned at init (l1_unstructured)`,
    reference: 'seed report, single-layer weight pruning',
    spec: seedReportSpec([{ mode: 'layer-weight', amount: 0.95, layers: [l] }]),
  })),
  {
    name: 'seed-report/ln90-L2',
    description: "seed-report with 90% of layer 2's neurons pruned at init (ln_structured, n=2, dim=0; biases kept as in torch)",
    reference: 'seed report, neuron pruning of layer 2',
    spec: seedReportSpec([{ mode: 'layer-neuron', amount: 0.9, layers: [2] }]),
  },
  {
    name: 'seed-report/gw65',
    description: 'seed-report with 65% of all weights pruned at init (global_unstructured, L1)',
    reference: 'seed report, global weight pruning limit',
    spec: seedReportSpec([{ mode: 'global-weight', amount: 0.65 }]),
  },
  {
    name: 'seed-report/gn40',
    description: 'seed-report with 40% of hidden neurons pruned at init, ranked across layers by incoming L2 norm (no torch equivalent)',
    reference: 'seed report, global neuron pruning limit',
    spec: seedReportSpec([{ mode: 'global-neuron', amount: 0.4 }]),
  },
];

export const PRESETS: readonly Preset[] = [
  {
    name: 'saxe-mnist',
    description:
      '784-1024-20-20-20-10 tanh on full MNIST (10-way softmax), SGD lr 0.001, batch 128, Keras glorot init, MI on the 10 000 test images by width-0.5 binning. ibsgd trains 10 000 epochs; 100 here (--epochs to go further)',
    reference: 'Saxe et al. 2018, On the information bottleneck theory of deep learning (artemyk/ibsgd, MNIST_SaveActivations.ipynb)',
    spec: {
      data: { source: 'mnist-full', task: 'label' },
      net: { hidden: [1024, 20, 20, 20], activation: 'tanh', init: 'glorot' },
      train: { epochs: 100, batchSize: 128, optimizer: 'sgd', lr: 0.001, momentum: 0 },
      mi: { binning: ['width:0.5'], on: 'test', epochs: 'log:30' },
    },
  },
  {
    name: 'tishby',
    description:
      "12-10-7-5-4-3-2 tanh on var_u.mat, Adam lr 4e-4, batch 256, IDNNs init, IDNNs' unshuffled 80% split, idnns:30 binning on all 4096 patterns at 100 log-spaced epochs (85 distinct), 8000 epochs as IDNNs",
    reference: 'Shwartz-Ziv & Tishby 2017, Opening the black box of deep neural networks via information (ravidziv/IDNNs)',
    requires: { field: 'data.source', kind: 'mat', hint: VAR_U_HINT },
    spec: idnnsSetup('tanh', 'idnns:30'),
  },
  {
    name: 'tishby-relu',
    description: 'tishby with ReLU hidden layers and adaptive:30 binning (30 bins between each layer’s own min and max)',
    reference: "Saxe et al. 2018's counter-example: ReLU layers do not compress",
    requires: { field: 'data.source', kind: 'mat', hint: VAR_U_HINT },
    spec: idnnsSetup('relu', 'adaptive:30'),
  },
  {
    name: 'seed-report',
    description:
      '784-1024-20-20-20-2 tanh, parity on full MNIST (60 000/10 000), Adam lr 1e-3, batch 128, 20 epochs, torch init, fixed:30 binning every epoch, unpruned',
    reference: 'seed report (seed-report.md), the unpruned baseline',
    spec: seedReportSpec(),
  },
  ...SEED_REPORT_VARIANTS,
];

export const PRESET_NAMES: readonly string[] = PRESETS.map((p) => p.name);

export function findPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset) throw new InputError('preset', `unknown preset ${JSON.stringify(name)}: expected one of ${PRESET_NAMES.join(', ')}`);
  return preset;
}

type Doc = Record<string, unknown>;

const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `over` laid on `under`: objects merge recursively, everything else (arrays included) replaces. */
export function mergeDocuments(under: Doc, over: Doc): Doc {
  const out: Doc = { ...under };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isObject(value) && isObject(under[key]) ? mergeDocuments(under[key] as Doc, value) : value;
  }
  return out;
}

/**
 * The spec document with its preset (if `preset` names one) laid under it.
 * Documents without a preset are returned unchanged. Throws InputError for
 * an unknown name or a missing required field; the `preset` field stays in
 * the result, as a record of where the settings came from.
 */
export function applyPreset(input: unknown): unknown {
  if (!isObject(input) || input.preset === undefined) return input;
  if (typeof input.preset !== 'string') throw new InputError('preset', `must be a preset name, got ${JSON.stringify(input.preset)}`);
  const preset = findPreset(input.preset);
  if (preset.requires) {
    const given = isObject(input.data) ? input.data.source : undefined;
    if (given === undefined) throw new InputError(preset.requires.field, `preset ${preset.name} needs ${preset.requires.hint}`);
    if (typeof given !== 'string' || !given.startsWith(`${preset.requires.kind}:`) || given === REQUIRED_MAT_PLACEHOLDER) {
      throw new InputError(
        preset.requires.field,
        `preset ${preset.name} needs a ${preset.requires.kind}:FILE source, got ${JSON.stringify(given)}: ${preset.requires.hint}`,
      );
    }
  }
  return mergeDocuments(preset.spec as Doc, input);
}

/**
 * A preset as `infoplane presets` prints it: every field resolved (the
 * defaults the preset leaves to the spec filled in), with the placeholder
 * `mat:FILE` where the user must give the data file.
 */
export function presetDocument(preset: Preset, resolve: (doc: unknown) => Doc): Doc {
  // Resolved without its `preset` field, so the required-field check does not
  // refuse the placeholder; the name is put back for the record.
  const spec = resolve(preset.spec);
  return {
    description: preset.description,
    reference: preset.reference,
    ...(preset.requires ? { requires: { [preset.requires.field]: `${preset.requires.kind}:FILE — ${preset.requires.hint}` } } : {}),
    spec: { preset: preset.name, ...spec },
  };
}
