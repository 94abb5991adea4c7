// `infoplane bench`: does pruning pay? Sparse vs dense kernel speed for the
// layer shapes of a spec (or --shape), across sparsities, on 1 and N threads;
// neuron pruning; the input-sparse first layer on the run's own data; the MI
// forward; and whole epochs, dense (masked) vs sparse. A table on stdout,
// everything in --json, the speed-up vs sparsity figure in --plot.
// The machine may be shared: compare ratios from one run, not figures across runs.
import { writeFileAtomically } from '../core/atomic-write.ts';
import { InputError } from '../core/input-error.ts';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Command } from 'commander';
import { requireNativeAddon } from '../backend/native/addon.ts';
import { prepareData } from '../experiment/prepare.ts';
import {
  benchEpochs,
  benchFullForward,
  benchInputSparse,
  benchStructured,
  benchUnstructured,
  crossovers,
  type EpochRow,
  type FullForwardRow,
  type InputSparseRow,
  type LayerShape,
  prunedSpec,
  type StructuredRow,
  type UnstructuredRow,
} from './kernel-bench.ts';
import { parseSpec, type SpecInput } from '../experiment/spec.ts';
import { speedupVsSparsitySpec } from '../report/bench-plot.ts';
import { checkOutputPath } from '../cli/output-path.ts';
import { describedSvg } from '../report/figure.ts';
import { renderSvg, svgToPng } from '../report/render.ts';
import { numberFlag } from '../cli/errors.ts';

const SECTIONS = ['layers', 'neurons', 'input', 'forward', 'epoch'] as const;
type Section = (typeof SECTIONS)[number];

interface BenchFlags {
  spec?: string;
  shape?: string;
  batch?: string;
  sparsity?: string;
  neurons?: string;
  threads?: string;
  only?: string;
  epochs?: number;
  amount?: number;
  minTime?: number;
  json?: string;
  plot?: string;
}

function numbers(flag: string, text: string, check: (v: number) => boolean, expected: string): number[] {
  return text.split(',').map((part) => {
    const v = Number(part);
    if (part.trim() === '' || !Number.isFinite(v) || !check(v)) throw new InputError(`${flag}: expected ${expected}, got "${part}" in "${text}"`);
    return v;
  });
}

function parseShapes(text: string): LayerShape[] {
  return text.split(',').map((part) => {
    const m = /^(\d+)x(\d+)$/.exec(part.trim());
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new InputError(`--shape: expected OUTxIN (W's [out, in], e.g. 1024x784), got "${part}"`);
    return { out: Number(m[1]), in: Number(m[2]) };
  });
}

const fx = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const ms = (s: number) => (s < 1e-3 ? `${(s * 1e6).toFixed(0)} µs` : s < 1 ? `${(s * 1e3).toFixed(2)} ms` : `${s.toFixed(2)} s`);
const pct = (v: number | null) => (v === null ? 'none ≤ 99%' : `${(100 * v).toFixed(0)}%`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const say = (s = '') => process.stdout.write(`${s}\n`);

export interface BenchResult {
  date: string;
  cpu: string;
  variant: string;
  threads: number[];
  unstructured: UnstructuredRow[];
  crossovers: ReturnType<typeof crossovers>;
  structured: StructuredRow[];
  inputSparse: InputSparseRow[];
  fullForward: FullForwardRow[];
  epochs: EpochRow[];
}

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('sparse vs dense speed: layer kernels across sparsities, neuron pruning, the input-sparse first layer, the MI forward, whole epochs')
    .option('--spec <file>', 'spec JSON: its net gives the layer shapes, its data the inputs (default: the default spec)')
    .option('--shape <list>', "layer shapes OUTxIN instead of the spec's, e.g. 1024x784,20x1024")
    .option('--batch <list>', "batch sizes (default: the spec's batch size and its training set size)")
    .option('--sparsity <list>', 'unstructured sparsities (default 0,0.5,0.7,0.8,0.9,0.95,0.99)')
    .option('--neurons <list>', 'neuron-pruning sparsities (default 0.5,0.9)')
    .option('--threads <list>', 'kernel thread counts (default 1 and the cores)')
    .option('--only <list>', `sections: ${SECTIONS.join(',')} (default all)`)
    .option('--epochs <n>', 'timed epochs per epoch setting, after one warm-up (default 3)', numberFlag('--epochs', true))
    .option('--amount <a>', 'layer-1 unstructured pruning of the epoch comparison (default 0.95)', numberFlag('--amount'))
    .option('--min-time <s>', 'seconds each measurement repeats for (the fastest run counts; default 0.2)', numberFlag('--min-time'))
    .option('--json <file>', 'write every measurement as JSON')
    .option('--plot <file>', 'speed-up vs sparsity figure (.svg or .png)')
    .action(async (flags: BenchFlags) => {
      const result = await runBench(flags);
      if (flags.json) {
        writeFileAtomically(flags.json, JSON.stringify(result, null, 2) + '\n');
        say(`\nmeasurements written to ${flags.json}`);
      }
    });
}

function readSpec(path: string | undefined): SpecInput {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SpecInput;
  } catch (err) {
    throw new InputError(`--spec: cannot read ${path}: ${(err as Error).message}`);
  }
}

export async function runBench(flags: BenchFlags): Promise<BenchResult> {
  const only = new Set<Section>(flags.only ? (flags.only.split(',') as Section[]) : SECTIONS);
  for (const s of only) if (!SECTIONS.includes(s)) throw new InputError(`--only: unknown section "${s}" (expected ${SECTIONS.join(', ')})`);
  if (flags.plot && !/\.(svg|png)$/.test(flags.plot)) throw new InputError(`--plot: expected a .svg or .png file, got "${flags.plot}"`);
  if (flags.plot) checkOutputPath(flags.plot, { flag: '--plot', kind: 'file', existing: 'replace' });
  if (flags.json) checkOutputPath(flags.json, { flag: '--json', kind: 'file', existing: 'replace' });
  const amount = flags.amount ?? 0.95;
  if (!(amount >= 0 && amount < 1)) throw new InputError(`--amount: expected a fraction in [0, 1), got ${amount}`);
  const minTime = flags.minTime ?? 0.2;
  if (!(minTime >= 0)) throw new InputError(`--min-time: expected seconds ≥ 0, got ${minTime}`);
  const epochs = flags.epochs ?? 3;
  if (epochs < 1) throw new InputError(`--epochs: expected at least 1, got ${epochs}`);
  const sparsities = flags.sparsity
    ? numbers('--sparsity', flags.sparsity, (v) => v >= 0 && v <= 1, 'fractions in [0, 1]')
    : [0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99];
  const neuronSparsities = flags.neurons ? numbers('--neurons', flags.neurons, (v) => v >= 0 && v < 1, 'fractions in [0, 1)') : [0.5, 0.9];
  const cores = cpus().length;
  const threads = flags.threads
    ? numbers('--threads', flags.threads, (v) => Number.isInteger(v) && v >= 1 && v <= 256, 'integers in [1, 256]')
    : [...new Set([1, cores])];
  const givenShapes = flags.shape ? parseShapes(flags.shape) : undefined;
  const givenBatches = flags.batch ? numbers('--batch', flags.batch, (v) => Number.isInteger(v) && v >= 1, 'positive integers') : undefined;

  const addon = requireNativeAddon();
  const baseInput = readSpec(flags.spec);
  const spec = parseSpec(baseInput);
  const data = prepareData(spec);
  const sizes = [data.train.features, ...spec.net.hidden, data.train.classes];
  // Each distinct layer shape once (the default net has two 20→20 layers).
  const shapes = givenShapes ?? [...new Map(sizes.slice(1).map((out, l) => [`${out}x${sizes[l]}`, { out, in: sizes[l] }])).values()];
  const batches = givenBatches ?? [spec.train.batchSize, data.train.rows];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const variant = addon.features().variant;
  const originalThreads = addon.features().threads;
  say(
    `infoplane bench: ${cpu}, ${cores} cores, SIMD ${variant}; threads ${threads.join(', ')}; data ${data.source} (${data.train.rows} train rows, ${data.train.features} features)`,
  );
  say('Every sparse kernel is checked bitwise against the dense one before it is timed. Times are the fastest of repeated runs (the machine may be shared).');

  const result: BenchResult = {
    date: new Date().toISOString(),
    cpu,
    variant,
    threads,
    unstructured: [],
    crossovers: [],
    structured: [],
    inputSparse: [],
    fullForward: [],
    epochs: [],
  };
  try {
    if (only.has('layers')) {
      say('\n== Unstructured masks: dense GEMMs vs CSR kernels (fwd = x·Wᵀ, bwd = dY·W + dW at kept entries; + the per-step value syncs) ==');
      for (const shape of shapes)
        for (const batch of batches) for (const t of threads) result.unstructured.push(...benchUnstructured(shape, batch, t, sparsities, minTime));
      say(
        table(
          ['layer', 'batch', 'thr', 'sparsity', 'dense fwd+bwd', 'sparse fwd+bwd', 'fwd ×', 'bwd ×', 'fwd+bwd ×', 'fwd+dW ×', 'useful GF/s', 'dense GF/s'],
          result.unstructured.map((r) => [
            r.shape,
            String(r.batch),
            String(r.threads),
            `${(100 * r.sparsity).toFixed(0)}%`,
            ms(r.dense.forward + r.dense.weight + r.dense.input),
            ms(r.sparse.forward + r.sparse.weight + r.sparse.input + r.sparse.sync),
            fx(r.speedup.forward),
            fx(r.speedup.backward),
            fx(r.speedup.total),
            fx(r.speedup.firstLayer),
            fx(r.gflops.sparse, 1),
            fx(r.gflops.dense, 1),
          ]),
        ),
      );
      result.crossovers = crossovers(result.unstructured);
      say('\ncrossover sparsity (sparse as fast as dense), linear between measured points:');
      say(
        table(
          ['layer', 'batch', 'threads', 'fwd+bwd', 'fwd + dW (first layer)'],
          result.crossovers.map((c) => [c.shape, String(c.batch), String(c.threads), pct(c.fwdBwd), pct(c.firstLayer)]),
        ),
      );
    }
    if (only.has('neurons')) {
      say("\n== Neuron pruning: the layer's three GEMMs at full size vs compacted to the kept neurons ==");
      for (const shape of shapes)
        for (const batch of batches) for (const t of threads) result.structured.push(...benchStructured(shape, batch, t, neuronSparsities, minTime));
      say(
        table(
          ['layer', 'batch', 'thr', 'neurons pruned', 'kept', 'dense', 'compacted', 'speed-up'],
          result.structured.map((r) => [
            r.shape,
            String(r.batch),
            String(r.threads),
            `${(100 * r.neuronSparsity).toFixed(0)}%`,
            String(r.keptNeurons),
            ms(r.dense.forward + r.dense.weight + r.dense.input),
            ms(r.compact.forward + r.compact.weight + r.compact.input),
            `${fx(r.speedup)}×`,
          ]),
        ),
      );
    }
    if (only.has('input')) {
      say(`\n== Input-sparse first layer (${sizes[0]}→${sizes[1]}) on the run's own training batches: forward + weight gradient ==`);
      for (const t of threads) result.inputSparse.push(benchInputSparse(data, sizes[1], spec.train.batchSize, t, minTime));
      say(
        table(
          [
            'layer',
            'batch',
            'thr',
            'input density',
            'dense fwd',
            'dense dW',
            'sparse fwd',
            'sparse dW',
            'kernels ×',
            'sparsify',
            'layout: dense',
            'sparse',
            'with layout ×',
          ],
          result.inputSparse.map((r) => [
            r.shape,
            String(r.batch),
            String(r.threads),
            `${(100 * r.density).toFixed(1)}%`,
            ms(r.dense.forward),
            ms(r.dense.weight),
            ms(r.sparse.forward),
            ms(r.sparse.weight),
            fx(r.speedup.kernels),
            ms(r.sparse.sparsify),
            ms(r.dense.transposes),
            ms(r.sparse.transposes),
            fx(r.speedup.withOverheads),
          ]),
        ),
      );
    }
    if (only.has('forward')) {
      say('\n== The MI forward: evaluate every sample with activations, dense vs input-sparse first layer ==');
      for (const t of threads) result.fullForward.push(benchFullForward(spec, data, t, minTime));
      say(
        table(
          ['rows', 'threads', 'dense', 'input-sparse', 'speed-up'],
          result.fullForward.map((r) => [String(r.rows), String(r.threads), ms(r.dense), ms(r.inputSparse), `${fx(r.speedup)}×`]),
        ),
      );
    }
    if (only.has('epoch')) {
      say(
        `\n== Whole epochs (${sizes.join('-')}, ${data.train.rows} rows, batch ${spec.train.batchSize}, ${spec.train.optimizer}): training batches, fastest of ${epochs} ==`,
      );
      const pruned = prunedSpec(baseInput, amount);
      const settings: [string, typeof spec, string, Parameters<typeof benchEpochs>[4]][] = [
        ['unpruned', spec, 'dense', { kernels: 'dense', inputKernel: 'dense' }],
        ['unpruned', spec, 'auto', {}],
        [`layer 1 ${(100 * amount).toFixed(0)}% unstructured`, pruned, 'dense (masked)', { kernels: 'dense', inputKernel: 'dense' }],
        [`layer 1 ${(100 * amount).toFixed(0)}% unstructured`, pruned, 'auto', {}],
      ];
      for (const t of threads)
        for (const [setting, s, kernels, options] of settings) result.epochs.push(benchEpochs(s, data, setting, kernels, options, t, epochs));
      say(
        table(
          ['setting', 'kernels', 'threads', 'train/epoch', 'eval', 'test acc', 'plan'],
          result.epochs.map((r) => [
            r.setting,
            r.kernels,
            String(r.threads),
            ms(r.train),
            ms(r.evaluate),
            `${(100 * r.finalTestAcc).toFixed(2)}%`,
            r.plan ?? '',
          ]),
        ),
      );
    }
  } finally {
    addon.setThreads(originalThreads);
  }
  summarize(result, sizes, amount);
  if (flags.plot) await writePlot(flags.plot, result);
  return result;
}

function summarize(r: BenchResult, sizes: number[], amount: number): void {
  say('\n== Summary (ratios from this run) ==');
  const first = `${sizes[0]}→${sizes[1]}`;
  for (const u of r.unstructured.filter((x) => x.shape === first && x.sparsity === 0.95)) {
    say(
      `${first}, batch ${u.batch}, ${u.threads}T, 95% unstructured: fwd+bwd ${fx(u.speedup.total)}× (fwd ${fx(u.speedup.forward)}×, bwd ${fx(u.speedup.backward)}×, fwd+dW ${fx(u.speedup.firstLayer)}×) faster than dense`,
    );
  }
  for (const c of r.crossovers.filter((x) => x.shape === first))
    say(`${first}, batch ${c.batch}, ${c.threads}T: break-even at ${pct(c.fwdBwd)} sparsity (fwd+bwd), ${pct(c.firstLayer)} (fwd+dW)`);
  for (const s of r.structured.filter((x) => x.neuronSparsity === 0.9))
    say(`${s.shape}, batch ${s.batch}, ${s.threads}T, 90% of neurons pruned: the layer's GEMMs ${fx(s.speedup)}× faster`);
  for (const i of r.inputSparse)
    say(
      `first layer ${i.shape}, batch ${i.batch}, ${i.threads}T, input density ${(100 * i.density).toFixed(1)}%: fwd + dW ${fx(i.speedup.kernels)}× (kernels), ${fx(i.speedup.withOverheads)}× with each path's layout work`,
    );
  for (const f of r.fullForward)
    say(`MI forward over ${f.rows} rows, ${f.threads}T: ${ms(f.inputSparse)} input-sparse vs ${ms(f.dense)} dense (${fx(f.speedup)}×)`);
  const epoch = (setting: string, kernels: string, t: number) => r.epochs.find((e) => e.setting === setting && e.kernels === kernels && e.threads === t);
  for (const t of r.threads) {
    const [ud, ua] = [epoch('unpruned', 'dense', t), epoch('unpruned', 'auto', t)];
    if (ud && ua) say(`epoch, unpruned, ${t}T: ${ms(ua.train)} (auto: ${ua.plan}) vs ${ms(ud.train)} dense (${fx(ud.train / ua.train)}×)`);
    const setting = `layer 1 ${(100 * amount).toFixed(0)}% unstructured`;
    const [pd, pa] = [epoch(setting, 'dense (masked)', t), epoch(setting, 'auto', t)];
    if (pd && pa) say(`epoch, ${setting}, ${t}T: ${ms(pa.train)} (auto: ${pa.plan}) vs ${ms(pd.train)} dense masked (${fx(pd.train / pa.train)}×)`);
  }
}

async function writePlot(path: string, r: BenchResult): Promise<void> {
  const points = [
    ...r.unstructured.map((u) => ({
      shape: u.shape,
      batch: u.batch,
      threads: u.threads,
      sparsity: u.sparsity,
      speedup: u.speedup.total,
      kind: 'fwd+bwd, CSR',
    })),
    ...r.structured.map((s) => ({
      shape: s.shape,
      batch: s.batch,
      threads: s.threads,
      sparsity: s.neuronSparsity,
      speedup: s.speedup,
      kind: 'neurons pruned, compacted',
    })),
  ];
  if (points.length === 0) {
    say(`--plot: nothing to plot without the layers or neurons sections; ${path} not written`);
    return;
  }
  const crossings = r.crossovers.map((c) => ({ shape: c.shape, batch: c.batch, threads: c.threads, sparsity: c.fwdBwd, kind: 'fwd+bwd, CSR' }));
  const title = "Sparse vs dense: speed-up of a training step's products";
  const svg = describedSvg(
    await renderSvg(speedupVsSparsitySpec(points, title, crossings)),
    title,
    'Speed-up of the sparse kernels over the dense ones (log scale) against the fraction of weights pruned, one line per layer shape, batch and kernel, one panel per thread count. Above the dashed line at 1× sparse is faster; the diamonds mark the crossovers the bench table prints (first break-even, linear between measured sparsities).',
  );
  writeFileAtomically(path, path.endsWith('.png') ? svgToPng(svg) : svg);
  say(`figure written to ${path}`);
}
