// The settings `infoplane reproduce seed-report` runs, each as a trials
// directory: the seed report's named settings (unpruned; 95% L1 weight
// pruning of each layer; 90% L2 neuron pruning of layer 2; 65% global
// weights; 40% global neurons) and the sweeps of global weight and global
// neuron amounts that locate where training stops succeeding. The named
// 65% / 40% settings are also the sweeps' points at those amounts (one
// directory, not two), and the unpruned baseline is both sweeps' point at 0.
//
// Every spec starts from a `seed-report` preset (src/experiment/presets.ts:
// 784-1024-20-20-20-2 tanh, parity on full MNIST, Adam 1e-3, batch 128) and
// changes, for the budget (see budget.ts):
//   - train.epochs (default 20, the report's; fewer with `--epochs`);
//   - mi.on = test: MI on the 10 000 test images, not all 70 000 rows;
//   - mi.binning: fixed:30 (the first estimator, the one every outcome label
//     uses), plus fixed:10 and fixed:100 for the unpruned and 65%-global
//     settings (the bins claim: the same runs measured three ways);
//   - outcomes.baselineAcc = 0.98, the report's "expected accuracy of 98%":
//     `trained` is test accuracy ≥ 96%;
//   - with `--subset ROWS`, data.trainSize/testSize (a seeded stratified
//     subsample of each official half: 80% of ROWS train, the rest test).
import { formatBinning, parseBinning } from '../../mi/binning.ts';
import { parseSpec, type Spec, type SpecInput } from '../spec.ts';
import { applyVariation, DEFAULT_SENSITIVITY, type VaryAxis, type VaryKey, type VaryScope, type VaryValue } from './variations.ts';

export const REPORTS = ['seed-report'] as const;
export type ReportName = (typeof REPORTS)[number];

export type SettingKind = 'baseline' | 'layer-weight' | 'layer-neuron' | 'global-weight' | 'global-neuron';

type PruneStep = NonNullable<NonNullable<SpecInput['prune']>['steps']>[number];

/** A typed reference to a setting of the reproduction: claims name what they read by these, never by a string. */
export interface SettingRef {
  readonly id: string;
}

/** The settings the report names (every claim reads some of them). */
export const NAMED = Object.freeze({
  baseline: { id: 'baseline' },
  /** 95% of one layer's weights, layers 1…5 in order. */
  lw95: Object.freeze([1, 2, 3, 4, 5].map((layer) => ({ id: `lw95-L${layer}`, layer }))),
  ln90L2: { id: 'ln90-L2' },
  gw65: { id: 'gw65' },
  gn40: { id: 'gn40' },
});

export interface ReproductionSetting extends SettingRef {
  /** Directory name and key: baseline, lw95-L1 … lw95-L5, ln90-L2, gw65, gn40, gw50, gn20, … */
  id: string;
  /** What it is, in words. */
  title: string;
  kind: SettingKind;
  /** Fraction pruned (0 for the baseline). */
  amount: number;
  /** The pruned layer of a single-layer setting (1-based). */
  layer?: number;
  /** The preset the spec starts from (`infoplane presets NAME` prints it). */
  preset: string;
  prune: PruneStep[];
  /** MI binnings in canonical form; the first labels the outcomes. */
  binnings: string[];
  /** A setting the report names (all seeds) or only a sweep point (half the seeds). */
  named: boolean;
  /** Seeds run: 1..seeds. */
  seeds: number;
  /** The report setting it runs, by its id under the defaults: what claims read it as. */
  of: string;
  /** The assumption it runs under: null for the reproduction's defaults, else a variation's name (variations.ts). */
  variation: string | null;
  /** The values that variation sets ({} for the defaults). */
  vary: Partial<Record<VaryKey, VaryValue>>;
}

export interface ReproductionOptions {
  report: ReportName;
  /** Seeds of each named setting; sweep-only points get ⌈seeds/2⌉. */
  seeds: number;
  epochs: number;
  /** Global weight amounts of the sweep (0.65 is always in it). */
  weightAmounts: number[];
  /** Global neuron amounts of the sweep (0.4 is always in it). */
  neuronAmounts: number[];
  /** Images in all (80% train, the rest test), or undefined for the official 60 000/10 000. */
  subset?: number;
  /** Unstated assumptions to vary (variations.ts); [] runs the defaults alone. */
  vary: readonly VaryAxis[];
  /** Which settings run under each variation. */
  varyScope: VaryScope;
}

export const REPORT_WEIGHT_LIMIT = 0.65;
export const REPORT_NEURON_LIMIT = 0.4;
/** The report's expected accuracy, used as outcomes.baselineAcc (`trained` = ≥ 0.98 − 0.02). */
export const REPORT_ACCURACY = 0.98;
export const FIRST_ESTIMATOR = 'fixed:30';
export const BIN_COUNTS = [30, 10, 100] as const;
/** The fraction of a subset that trains (as the embedded set's 8000/2000). */
export const SUBSET_TRAIN_FRACTION = 0.8;

export const DEFAULT_OPTIONS: Readonly<Omit<ReproductionOptions, 'subset'>> = Object.freeze({
  report: 'seed-report',
  seeds: 8,
  epochs: 20,
  // The report's limits (0.65, 0.4) with the next amount 0.05 above each, so claim 4 tests "fails just above the limit".
  weightAmounts: [0.5, 0.65, 0.7, 0.8, 0.85, 0.9, 0.95],
  neuronAmounts: [0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7],
  vary: DEFAULT_SENSITIVITY.axes,
  varyScope: DEFAULT_SENSITIVITY.scope,
});

const canonical = (texts: readonly string[]) => texts.map((t) => formatBinning(parseBinning(t, 'binning')));
const percent = (amount: number) => String(Number((amount * 100).toFixed(2)));

/** The settings of the reproduction under its defaults, in the order the page lists them (variations: varied-settings.ts). */
export function reproductionSettings(options: ReproductionOptions): ReproductionSetting[] {
  const named = options.seeds;
  const sweepOnly = Math.max(1, Math.ceil(options.seeds / 2));
  const plain = canonical([FIRST_ESTIMATOR]);
  const withBins = canonical(BIN_COUNTS.map((m) => `fixed:${m}`));
  const settings: ReproductionSetting[] = [];
  const add = (s: Omit<ReproductionSetting, 'of' | 'variation' | 'vary'>) => settings.push({ ...s, of: s.id, variation: null, vary: {} });
  add({
    id: NAMED.baseline.id,
    title: 'unpruned',
    kind: 'baseline',
    amount: 0,
    preset: 'seed-report',
    prune: [],
    binnings: withBins,
    named: true,
    seeds: named,
  });
  for (const { id, layer } of NAMED.lw95) {
    add({
      id,
      title: `95% of layer ${layer}'s weights pruned (l1_unstructured)`,
      kind: 'layer-weight',
      amount: 0.95,
      layer,
      preset: `seed-report/${id}`,
      prune: [{ mode: 'layer-weight', amount: 0.95, layers: [layer] }],
      binnings: plain,
      named: true,
      seeds: named,
    });
  }
  add({
    id: NAMED.ln90L2.id,
    title: "90% of layer 2's neurons pruned (ln_structured, L2 norm)",
    kind: 'layer-neuron',
    amount: 0.9,
    layer: 2,
    preset: `seed-report/${NAMED.ln90L2.id}`,
    prune: [{ mode: 'layer-neuron', amount: 0.9, layers: [2] }],
    binnings: plain,
    named: true,
    seeds: named,
  });
  const sweep = (kind: 'global-weight' | 'global-neuron', amounts: readonly number[], limit: number) => {
    const all = [...new Set([...amounts, limit])].sort((a, b) => a - b);
    for (const amount of all) {
      const isLimit = amount === limit;
      const short = kind === 'global-weight' ? 'gw' : 'gn';
      const id = isLimit ? (kind === 'global-weight' ? NAMED.gw65.id : NAMED.gn40.id) : `${short}${percent(amount)}`;
      add({
        id,
        title: `${percent(amount)}% of all ${kind === 'global-weight' ? 'weights' : 'hidden neurons'} pruned globally${kind === 'global-weight' ? ' (global_unstructured, L1)' : ' (ranked by incoming L2 norm)'}`,
        kind,
        amount,
        preset: isLimit ? `seed-report/${id}` : 'seed-report',
        prune: [{ mode: kind, amount }],
        binnings: kind === 'global-weight' && isLimit ? withBins : plain,
        named: isLimit,
        seeds: isLimit ? named : sweepOnly,
      });
    }
  };
  sweep('global-weight', options.weightAmounts, REPORT_WEIGHT_LIMIT);
  sweep('global-neuron', options.neuronAmounts, REPORT_NEURON_LIMIT);
  return settings;
}

/** Train and test rows of `--subset ROWS`. */
export function subsetSizes(rows: number): { trainSize: number; testSize: number } {
  const trainSize = Math.round(rows * SUBSET_TRAIN_FRACTION);
  return { trainSize, testSize: rows - trainSize };
}

/** The spec document of a setting (before validation). */
export function settingDocument(setting: ReproductionSetting, options: Pick<ReproductionOptions, 'epochs' | 'subset'>): Record<string, unknown> {
  return applyVariation(
    {
      preset: setting.preset,
      ...(options.subset === undefined ? {} : { data: subsetSizes(options.subset) }),
      train: { epochs: options.epochs },
      prune: { steps: setting.prune },
      mi: { on: 'test', binning: setting.binnings, epochs: 'every' },
      outcomes: { baselineAcc: REPORT_ACCURACY },
    },
    setting.vary ?? {},
  );
}

export function settingSpec(setting: ReproductionSetting, options: Pick<ReproductionOptions, 'epochs' | 'subset'>): Spec {
  return parseSpec(settingDocument(setting, options));
}

/** Is the setting on the global weight (or neuron) sweep's curve? The baseline is both curves' point at 0. */
export function onSweep(setting: Pick<ReproductionSetting, 'kind'>, kind: 'global-weight' | 'global-neuron'): boolean {
  return setting.kind === kind || setting.kind === 'baseline';
}

export interface PlannedJob {
  /** Index into the settings list. */
  setting: number;
  seed: number;
}

/**
 * Every (setting, seed) pair, seed-major: seed 1 of every setting, then seed
 * 2, … so an interrupted run (or any one shard) covers every setting early.
 * `--shard i/N` takes the positions p mod N = i of this list.
 */
export function plannedJobs(settings: readonly Pick<ReproductionSetting, 'seeds'>[]): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  const most = Math.max(0, ...settings.map((s) => s.seeds));
  for (let seed = 1; seed <= most; seed++) settings.forEach((s, setting) => seed <= s.seeds && jobs.push({ setting, seed }));
  return jobs;
}
