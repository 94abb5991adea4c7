// `infoplane run`: a spec file and/or flags in, a run directory out.
import { InputError } from '../core/input-error.ts';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runExperiment } from '../experiment/run.ts';
import { MEMORY_LIMIT_ENV } from '../experiment/memory-estimate.ts';
import { parseSpec, type Spec, specHash } from '../experiment/spec.ts';
import { writeRunDirectory } from '../report/run-files.ts';
import { listFlag, numberFlag } from './errors.ts';
import { dryRunText } from './dry-run.ts';
import { checkOutputPath } from './output-path.ts';
import { pruningNotes } from '../experiment/pruning-notes.ts';
import { Progress } from './progress.ts';

interface RunFlags {
  spec?: string;
  preset?: string;
  data?: string;
  split?: string;
  seed?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: string;
  momentum?: number;
  hidden?: number[];
  activation?: string;
  init?: string;
  task?: string;
  trainSize?: number;
  testSize?: number;
  backend?: string;
  threads?: number;
  kernels?: string;
  inputKernel?: string;
  prune?: string;
  amount?: string;
  layers?: number[];
  norm?: number;
  dim?: number;
  normalize?: string;
  score?: string;
  rounds?: number;
  schedule?: string;
  scoreBatches?: number;
  ablate?: string;
  pruneBias?: boolean;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  dryRun?: boolean;
  bins?: number[];
  scheme?: string;
  binWidth?: number;
  miOn?: string;
  miEpochs?: string;
  miX?: string;
  range?: string;
  kde?: boolean;
  noiseVar?: number;
  kdeSubsample?: number;
  ksg?: boolean;
  k?: number;
  ksgSubsample?: number;
  biasCorrection?: string;
  binSpace?: string;
  save?: string;
  saveEpochs?: string;
  initFrom?: string;
  maxMemory?: number;
}

type Json = Record<string, unknown>;

// A spec is a few hundred bytes; a larger file is a mistake, not a spec.
const MAX_SPEC_BYTES = 1 << 20;

function readSpecFile(path: string): Json {
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_SPEC_BYTES) throw new InputError(`--spec: ${path} is ${bytes} bytes; a spec file is at most ${MAX_SPEC_BYTES} (1 MiB)`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`--spec: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const doc = JSON.parse(text) as unknown;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the top level must be an object');
    return doc as Json;
  } catch (err) {
    throw new InputError(`--spec: ${path} is not a valid spec document: ${(err as Error).message}`);
  }
}

function section(doc: Json, key: string): Json {
  const value = doc[key];
  if (value === undefined) return (doc[key] = {});
  return value as Json;
}

// --scheme with --bins 10,30,100 (one plane per count) or --bin-width for width binning.
function binningFromFlags(flags: RunFlags): string[] | undefined {
  const scheme = flags.scheme ?? (flags.binWidth !== undefined ? 'width' : 'fixed');
  if (scheme === 'width') {
    if (flags.bins) throw new InputError('--bins: width binning takes --bin-width, not --bins');
    return flags.scheme || flags.binWidth !== undefined ? [`width:${flags.binWidth ?? 0.5}`] : undefined;
  }
  if (flags.binWidth !== undefined) throw new InputError(`--bin-width: only meaningful with --scheme width, got --scheme ${scheme}`);
  if (!flags.bins && !flags.scheme) return undefined;
  return (flags.bins ?? [30]).map((m) => `${scheme}:${m}`);
}

/** Flags override the spec file, field by field. */
export function specFromFlags(flags: RunFlags): Spec {
  if (flags.maxMemory !== undefined) {
    if (!(flags.maxMemory > 0)) throw new InputError(`--max-memory: expected a size in GB > 0, got ${flags.maxMemory}`);
    // Through the environment, so trial workers started later see it too.
    process.env[MEMORY_LIMIT_ENV] = String(flags.maxMemory);
  }
  const doc: Json = flags.spec ? readSpecFile(flags.spec) : {};
  const set = (key: string, field: string, value: unknown) => {
    if (value !== undefined) section(doc, key)[field] = value;
  };
  if (flags.preset !== undefined) doc.preset = flags.preset;
  if (flags.seed !== undefined) doc.seed = flags.seed;
  if (flags.backend !== undefined) doc.backend = flags.backend;
  if (flags.threads !== undefined) doc.threads = flags.threads;
  if (flags.kernels !== undefined) doc.kernels = flags.kernels;
  if (flags.inputKernel !== undefined) doc.inputKernel = flags.inputKernel;
  set('data', 'source', flags.data);
  set('data', 'split', flags.split);
  set('data', 'task', flags.task);
  set('data', 'trainSize', flags.trainSize);
  set('data', 'testSize', flags.testSize);
  set('net', 'hidden', flags.hidden);
  set('net', 'activation', flags.activation);
  set('net', 'init', flags.init);
  set('train', 'epochs', flags.epochs);
  set('train', 'batchSize', flags.batchSize);
  set('train', 'lr', flags.lr);
  set('train', 'optimizer', flags.optimizer);
  set('train', 'momentum', flags.momentum);
  set('prune', 'pruneBias', flags.pruneBias);
  set('mi', 'on', flags.miOn);
  set('mi', 'epochs', flags.miEpochs);
  set('mi', 'x', flags.miX);
  set('mi', 'range', flags.range);
  if (flags.kde || flags.noiseVar !== undefined || flags.kdeSubsample !== undefined) {
    const kde: Json = {};
    if (flags.noiseVar !== undefined) kde.noiseVariance = flags.noiseVar;
    if (flags.kdeSubsample !== undefined) kde.subsample = flags.kdeSubsample;
    section(doc, 'mi').kde = kde;
  }
  if (flags.ksg || flags.k !== undefined || flags.ksgSubsample !== undefined) {
    if (!flags.ksg) throw new InputError('--k/--ksg-subsample: only meaningful with --ksg');
    const ksg: Json = {};
    if (flags.k !== undefined) ksg.k = flags.k;
    if (flags.ksgSubsample !== undefined) ksg.subsample = flags.ksgSubsample;
    section(doc, 'mi').ksg = ksg;
  }
  set('mi', 'biasCorrection', flags.biasCorrection);
  set('mi', 'binSpace', flags.binSpace);
  if (flags.initFrom !== undefined) doc.initFrom = flags.initFrom;
  if (flags.save !== undefined) {
    const save: Json = { what: flags.save.split(',').map((s) => s.trim()) };
    if (flags.saveEpochs !== undefined) save.epochs = flags.saveEpochs;
    doc.save = save;
  } else if (flags.saveEpochs !== undefined) {
    if (doc.save === undefined) throw new InputError('--save-epochs: only meaningful with --save (or a spec file with save)');
    section(doc, 'save').epochs = flags.saveEpochs;
  }
  const binning = binningFromFlags(flags);
  if (binning) section(doc, 'mi').binning = binning;
  const stepFlags = {
    amount: flags.amount,
    layers: flags.layers,
    n: flags.norm,
    dim: flags.dim,
    normalize: flags.normalize,
    score: flags.score,
    rounds: flags.rounds,
    schedule: flags.schedule,
    scoreBatches: flags.scoreBatches,
    ablate: flags.ablate,
  };
  if (flags.prune !== undefined) {
    if (flags.amount === undefined) throw new InputError('--prune: needs --amount (a fraction in [0, 1] or an integer count)');
    const step: Json = { mode: flags.prune };
    for (const [k, v] of Object.entries(stepFlags)) if (v !== undefined) step[k] = v;
    section(doc, 'prune').steps = [step];
  } else {
    const stray = Object.entries(stepFlags).find(([, v]) => v !== undefined);
    if (stray) throw new InputError(`--${stray[0] === 'n' ? 'norm' : stray[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: only meaningful with --prune`);
  }
  return parseSpec(doc);
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('train one seeded run of a spec and write its outputs')
    .option('--spec <file>', 'spec JSON file (flags override its fields)')
    .option('--preset <name>', 'start from a published set-up (infoplane presets lists them); the spec file and flags override it')
    .option('--data <source>', 'mnist (embedded 10 000) | mnist-full (official 60 000/10 000) | idx:DIR | mat:FILE (default mnist)')
    .option('--split <how>', 'stratified (seeded) | ordered (IDNNs: first rows train, unshuffled) (default stratified)')
    .option('--seed <n>', 'random seed (init, split, shuffling)', numberFlag('--seed', true))
    .option('--epochs <n>', 'training epochs (default 20)', numberFlag('--epochs', true))
    .option('--batch-size <n>', 'minibatch size (default 128)', numberFlag('--batch-size', true))
    .option('--lr <x>', 'learning rate (default 0.001)', numberFlag('--lr'))
    .option('--optimizer <name>', 'adam | sgd (default adam)')
    .option('--momentum <x>', 'SGD momentum (default 0)', numberFlag('--momentum'))
    .option('--hidden <sizes>', 'hidden layer widths (default 1024,20,20,20)', listFlag('--hidden'))
    .option('--activation <name>', 'tanh | relu | linear (default tanh)')
    .option('--init <name>', 'torch | idnns | glorot (default torch)')
    .option('--task <task>', 'parity | lt5 | AvB (e.g. 3v8) | label (default parity; label for mat:)')
    .option('--train-size <n>', 'training rows (default: mnist 8000, official split all, one set 80%)', numberFlag('--train-size', true))
    .option('--test-size <n>', 'test rows (default: mnist 2000, official split all, one set the rest)', numberFlag('--test-size', true))
    .option('--backend <name>', 'auto | native | reference | gpu (default auto: native when the addon loads)')
    .option('--threads <n>', 'native kernel threads (default: cores; results do not depend on it)', numberFlag('--threads', true))
    .option('--kernels <k>', 'pruned layers: dense | sparse | auto (measured crossover; default); results do not depend on it')
    .option('--input-kernel <k>', 'first layer: dense | sparse | auto (sparse below 50% non-zero inputs; default); results do not depend on it')
    .option('--prune <mode>', 'prune at init: layer-weight | layer-neuron | global-weight | global-neuron')
    .option('--amount <a>', 'fraction in [0,1] (e.g. 0.65) or integer count, torch semantics')
    .option('--layers <list>', '1-based layers to prune, e.g. 1,3', listFlag('--layers'))
    .option('--norm <n>', 'norm order of neuron pruning (default 2)', numberFlag('--norm'))
    .option('--dim <d>', 'layer-neuron: 0 = output neurons (default), 1 = inputs', numberFlag('--dim', true))
    .option('--normalize <how>', 'global-neuron: none | fan-in (beyond torch, which has no global structured pruning)')
    .option('--score <name>', 'weight modes: magnitude (default) | random | snip | grasp | synflow')
    .option('--rounds <n>', 'rounds of scoring and pruning (default: synflow 100, others 1)', numberFlag('--rounds', true))
    .option('--schedule <how>', 'density over the rounds: exponential (default) | linear')
    .option('--score-batches <k>', 'snip, grasp: training batches of 10 × classes rows to score on (default 1)', numberFlag('--score-batches', true))
    .option('--ablate <how>', "after scoring: shuffle (each layer's kept positions) | reinit (redraw the weights) | invert (keep the lowest scores)")
    .option('--prune-bias', 'also zero the bias of pruned neurons (torch does not)')
    .option('--bins <list>', 'MI: bin counts, one information plane each (default 30)', listFlag('--bins'))
    .option('--scheme <name>', 'MI binning: fixed | idnns | width | adaptive (default fixed)')
    .option('--bin-width <w>', 'MI: bin width of the width scheme (default 0.5)', numberFlag('--bin-width'))
    .option('--mi-on <set>', 'MI samples: all | test | train (default all)')
    .option('--mi-epochs <when>', 'MI schedule: every | log:K | none (default every)')
    .option('--range <how>', 'MI adaptive binning: epoch (each epoch its own min–max, default) | global (one range over the run)')
    .option('--mi-x <binning>', 'MI: bin the input X too, e.g. fixed:30:0:1 (default: every sample its own x, I(X;T) = H(T))')
    .option('--kde', 'MI: also KDE upper/lower bounds (Kolchinsky & Tracey)')
    .option('--noise-var <v>', 'KDE noise variance (default 0.1)', numberFlag('--noise-var'))
    .option('--kde-subsample <n>', 'KDE rows drawn per measurement, 0 = all (default 1000)', numberFlag('--kde-subsample', true))
    .option('--ksg', 'MI: also KSG (Kraskov et al. 2004, k nearest neighbours, max-norm): I(X;T) against the input pixels, I(T;Y) by Ross 2014')
    .option('--k <k>', 'KSG neighbours (default 3)', numberFlag('--k', true))
    .option('--ksg-subsample <n>', 'KSG rows drawn per measurement, 0 = all (default 1000)', numberFlag('--ksg-subsample', true))
    .option(
      '--bin-space <space>',
      'MI binning of hidden layers: post (activations, default) | pre (uniform pre-activation edges mapped through the activation; use --scheme adaptive/width, or a spec binning with a range such as fixed:30:-5:5)',
    )
    .option('--bias-correction <how>', 'MI binning: none (default) | miller-madow (recorded beside the plug-in value)')
    .option('--save <what>', 'save NumPy arrays under <out>/arrays/: activations,weights,masks (any of them)')
    .option('--save-epochs <when>', 'epochs to save: all (default) or a list with log:K, e.g. 0,1,2,5,log:20')
    .option('--init-from <npz>', 'initial weights and biases from a .npz (torch state_dict names: 0.weight, 0.bias, 2.weight, … or layers.K.*), before pruning')
    .option(
      '--max-memory <GB>',
      `refuse a run estimated to need more memory (default 80% of this machine's; also $${MEMORY_LIMIT_ENV})`,
      numberFlag('--max-memory'),
    )
    .option('--out <dir>', 'output directory (default runs/<spec hash>-seed<seed>)')
    .option('--force', 'replace an existing output directory')
    .option('--quiet', 'print only the final line')
    .option('--dry-run', 'print the resolved spec, the number of runs and the projected time, then exit without training')
    .action(async (flags: RunFlags) => {
      const spec = specFromFlags(flags);
      const out = flags.out ?? join('runs', `${specHash(spec)}-seed${spec.seed}`);
      checkOutputPath(out, { flag: '--out', kind: 'directory', existing: flags.force ? 'replace' : 'refuse' });
      if (flags.dryRun) {
        process.stdout.write(dryRunText(spec, { runs: 1, parallel: 1, out }));
        return;
      }
      const progress = new Progress(process.stderr, spec.train.epochs, flags.quiet ?? false);
      const result = runExperiment(spec, {
        onStart: (info) => {
          progress.start(info);
          if (!flags.quiet) for (const note of pruningNotes(spec, info.pruning)) process.stderr.write(`${note}\n`);
        },
        onBatch: (b, n) => progress.batch(b, n),
        onEpoch: (r) => progress.epoch(r.metrics, r.seconds),
      });
      await writeRunDirectory(result, out, { force: flags.force });
      const final = result.history[result.history.length - 1];
      process.stdout.write(`test acc ${(final.testAcc * 100).toFixed(2)}% after ${final.epoch} epochs → ${out}\n`);
    });
}
