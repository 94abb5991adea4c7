// `infoplane mi`: the information-plane estimator on anyone's activations —
// .npy files (one layer each) or .npz archives (one layer per array), labels
// as integers [N] or one-hot [N, C]. Prints a table per binning and writes
// the same figures as JSON. Bad files exit 2 with a message naming the file.
import { writeFileAtomically } from '../core/atomic-write.ts';
import { InputError } from '../core/input-error.ts';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { informationPlaneOfArrays, type ArrayLayer, type ArrayMiResult } from '../io/array-mi.ts';
import type { NpyArray } from '../io/npy.ts';
import { type NamedArray, readArrayFile } from '../io/npz.ts';
import { BINNING_SCHEMES, type LayerActivation } from '../mi/binning.ts';
import type { MiEngineChoice } from '../mi/information-plane.ts';
import { BIAS_CORRECTIONS, type BiasCorrection } from '../mi/bias-correction.ts';
import { BIN_SPACES, type BinSpace } from '../mi/pre-activation.ts';
import { jsonWithUnits } from '../report/units.ts';
import { listFlag, numberFlag } from './errors.ts';
import { checkOutputPath } from './output-path.ts';

interface MiFlags {
  labels: string;
  x?: string;
  xBinning?: string;
  layers?: string;
  scheme?: string;
  bins?: number[];
  binWidth?: number;
  range?: string;
  activation?: string;
  kde?: boolean;
  noiseVar?: number;
  kdeSubsample?: number;
  ksg?: boolean;
  k?: number;
  ksgSubsample?: number;
  seed?: number;
  engine?: string;
  biasCorrection?: string;
  binSpace?: string;
  json?: string;
  quiet?: boolean;
}

const ACTIVATIONS: readonly LayerActivation[] = ['tanh', 'softmax', 'sigmoid', 'relu', 'linear'];

interface LoadedArray {
  file: string;
  name: string;
  array: NpyArray;
}

const describeArray = (a: LoadedArray) => ({
  file: a.file,
  name: a.name,
  shape: [...a.array.shape],
  dtype: a.array.dtype,
  descr: a.array.descr,
  fortranOrder: a.array.fortranOrder,
});

/** `FILE` or `FILE.npz:NAME` (an existing path wins over the split). */
function readOne(spec: string, flag: string): LoadedArray {
  const colon = spec.lastIndexOf(':');
  const [file, member] = existsSync(spec) || colon <= 0 ? [spec, undefined] : [spec.slice(0, colon), spec.slice(colon + 1)];
  const arrays = readArrayFile(file);
  if (member !== undefined) {
    const found = arrays.find((a) => a.name === member);
    if (!found) throw new InputError(file, `${flag}: no array named ${JSON.stringify(member)}; the archive holds ${arrays.map((a) => a.name).join(', ')}`);
    return { file, name: member, array: found.array };
  }
  if (arrays.length !== 1)
    throw new InputError(file, `${flag}: the archive holds ${arrays.length} arrays (${arrays.map((a) => a.name).join(', ')}); name one as ${file}:NAME`);
  return { file, name: arrays[0].name, array: arrays[0].array };
}

function binningTexts(flags: MiFlags): string[] {
  const scheme = flags.scheme ?? (flags.binWidth !== undefined ? 'width' : 'fixed');
  if (!BINNING_SCHEMES.includes(scheme as never)) throw new InputError(`--scheme: expected ${BINNING_SCHEMES.join(', ')}, got "${scheme}"`);
  if (scheme === 'width') {
    if (flags.bins) throw new InputError('--bins: width binning takes --bin-width, not --bins');
    if (flags.range) throw new InputError('--range: width binning is unbounded (floor(h / w)); it takes no range');
    return [`width:${flags.binWidth ?? 0.5}`];
  }
  if (flags.binWidth !== undefined) throw new InputError(`--bin-width: only meaningful with --scheme width, got --scheme ${scheme}`);
  let range = '';
  if (flags.range !== undefined) {
    const parts = flags.range.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
    if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0] < parts[1])) {
      throw new InputError(`--range: expected LO,HI with LO < HI (e.g. -1,1), got "${flags.range}"`);
    }
    range = `:${parts[0]}:${parts[1]}`;
  }
  return (flags.bins ?? [30]).map((m) => `${scheme}:${m}${range}`);
}

function activations(flags: MiFlags, layers: number): (LayerActivation | undefined)[] {
  if (flags.activation === undefined) return new Array(layers).fill(undefined);
  const list = flags.activation.split(',').map((s) => s.trim());
  for (const a of list) if (!ACTIVATIONS.includes(a as LayerActivation)) throw new InputError(`--activation: expected ${ACTIVATIONS.join(', ')}, got "${a}"`);
  if (list.length !== 1 && list.length !== layers) throw new InputError(`--activation: give one activation or one per layer (${layers}), got ${list.length}`);
  return Array.from({ length: layers }, (_, i) => (list.length === 1 ? list[0] : list[i]) as LayerActivation);
}

/** Every array of every input file, minus the ones used as labels or X, or those `--layers` names in its order. */
function selectLayers(files: string[], flags: MiFlags, used: LoadedArray[]): LoadedArray[] {
  const all: LoadedArray[] = [];
  for (const file of files) {
    for (const { name, array } of readArrayFile(file) as NamedArray[]) {
      if (!used.some((u) => u.file === file && u.name === name)) all.push({ file, name, array });
    }
  }
  if (flags.layers === undefined) return all;
  const names = flags.layers.split(',').map((s) => s.trim());
  return names.map((name) => {
    const matches = all.filter((a) => a.name === name);
    if (matches.length === 0) throw new InputError(`--layers: no array named "${name}" in ${files.join(', ')}; found ${all.map((a) => a.name).join(', ')}`);
    if (matches.length > 1) throw new InputError(`--layers: "${name}" is in more than one file (${matches.map((m) => m.file).join(', ')})`);
    return matches[0];
  });
}

const f4 = (v: number) => v.toFixed(4);

function planeTable(result: ArrayMiResult, plane: ArrayMiResult['planes'][number]): string {
  const corrected = plane.points[0].ixtMillerMadow !== undefined;
  const header = [
    'layer',
    'width',
    'I(X;T)',
    'I(T;Y)',
    ...(corrected ? ['I(X;T) MM', 'I(T;Y) MM'] : []),
    'H(T)',
    'H(T|Y)',
    'distinct',
    'ceil X',
    'ceil Y',
    'saturated',
    'range',
    'outside',
  ];
  const rows = plane.points.map((p, i) => [
    p.name ?? String(i),
    String(result.layers[i].width),
    f4(p.ixt),
    f4(p.ity),
    ...(corrected ? [f4(p.ixtMillerMadow!), f4(p.ityMillerMadow!)] : []),
    f4(p.ht),
    f4(p.htGivenY),
    String(p.distinct),
    f4(p.ceilingX),
    f4(p.ceilingY),
    p.saturated ? 'yes' : 'no',
    p.estimator.range ? `[${p.estimator.range.map((v) => +v.toPrecision(6)).join(', ')}] ${p.estimator.rangeSource}` : 'unbounded',
    `${(p.outOfRange * 100).toFixed(2)}%`,
  ]);
  const first = plane.points[0];
  const xText =
    first.xMode === 'binned' ? `X binned (${first.x!.distinct} distinct x, H(X) = ${f4(first.x!.hx)} bits)` : 'each sample its own x (I(X;T) = H(T))';
  const mmText = corrected ? '; MM: Miller–Madow corrected, each entropy + (m − 1)/(2N ln 2)' : '';
  const title = `${plane.binning}: N = ${result.n}, ${result.classes} classes, H(Y) = ${f4(first.ceilingY)} bits, ${xText}${mmText}; bits`;
  return [title, ...table(header, rows)].join('\n');
}

/** A warning for the layers with values outside the binning range: they are clipped (fixed) or get levels of their own (idnns). */
export function outOfRangeWarning(plane: ArrayMiResult['planes'][number]): string {
  const outside = plane.points.filter((p) => p.outOfRange > 0);
  if (outside.length === 0) return '';
  const list = outside
    .map((p) => `${p.name ?? String(p.layer)} ${(p.outOfRange * 100).toFixed(2)}% of values outside [${p.estimator.range!.join(', ')}]`)
    .join('; ');
  return `warning: ${plane.binning}: ${list}; fixed binning clips them into the end bins, which hides information: give the layers' range with --range LO,HI or --activation, or use adaptive/width binning\n`;
}

function kdeTable(result: ArrayMiResult): string {
  const kde = result.kde!;
  const header = ['layer', 'I(X;T) upper', 'lower', 'I(T;Y) from upper', 'from lower', 'H(T) upper', 'lower', 'ceiling'];
  const rows = kde.points.map((p, i) => [
    p.name ?? String(i),
    f4(p.ixtUpper),
    f4(p.ixtLower),
    f4(p.ityFromUpper),
    f4(p.ityFromLower),
    f4(p.htUpper),
    f4(p.htLower),
    p.atCeiling ? 'AT CEILING' : '',
  ]);
  const e = kde.points[0].estimator;
  const title =
    `kde (Kolchinsky & Tracey bounds on I(X;T); I(T;Y) from each entropy estimator, not a bound): noise variance ${kde.noiseVariance}, ` +
    `${e.samples} samples${e.subsampled ? ' (seeded subsample)' : ''}, I(X;T) ceiling log2 ${e.samples} = ${f4(kde.points[0].ceiling)}; bits`;
  return [title, ...table(header, rows)].join('\n');
}

function ksgTable(result: ArrayMiResult): string {
  const { k, points } = result.ksg!;
  const header = ['layer', 'I(X;T)', 'I(T;Y)'];
  const rows = points.map((p, i) => [p.name ?? String(i), p.ixt === null ? 'n/a (no --x)' : f4(p.ixt), f4(p.ity)]);
  const title = `ksg (Kraskov et al. 2004, max-norm; Ross 2014 for I(T;Y)): k = ${k}, ${points[0].samples} samples${points[0].samples < result.n ? ' (seeded subsample)' : ''}; bits`;
  return [title, ...table(header, rows)].join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function registerMiCommand(program: Command): void {
  program
    .command('mi <files...>')
    .description('information plane of saved activations: .npy files (one layer each) or .npz archives (one layer per array)')
    .requiredOption('--labels <file>', 'labels: integers [N] (any int dtype or bool) or one-hot [N, C]; FILE.npz:NAME picks an array')
    .option('--x <file>', 'bin this input X too (I(X;T) = H(T) − H(T|X)); default: every sample its own x')
    .option('--x-binning <binning>', "binning of --x, e.g. fixed:2:0:1 (default: the layers' binning)")
    .option('--layers <names>', 'arrays of the inputs to use, in this order (default: all, in file order)')
    .option('--scheme <name>', 'binning: fixed | idnns | width | adaptive (default fixed)')
    .option('--bins <list>', 'bins (idnns: np.linspace edges), one plane per count (default 30)', listFlag('--bins'))
    .option('--bin-width <w>', 'bin width of the width scheme (default 0.5)', numberFlag('--bin-width'))
    .option('--range <lo,hi>', "range of fixed/idnns/adaptive binning (default: tanh [-1,1], softmax/sigmoid [0,1]; adaptive: each layer's min,max)")
    .option('--activation <list>', 'tanh | softmax | sigmoid | relu | linear, one or one per layer: picks the default range (default tanh)')
    .option('--kde', 'also KDE upper/lower bounds (Kolchinsky & Tracey, as in Saxe et al.)')
    .option('--noise-var <v>', 'KDE noise variance (default 0.1)', numberFlag('--noise-var'))
    .option('--kde-subsample <n>', 'KDE rows, drawn seeded; 0 = all (default 1000)', numberFlag('--kde-subsample', true))
    .option('--ksg', 'also KSG (k nearest neighbours, max-norm): I(T;Y) by Ross 2014, I(X;T) with --x taken as continuous')
    .option('--k <k>', 'KSG neighbours (default 3)', numberFlag('--k', true))
    .option('--ksg-subsample <n>', 'KSG rows, drawn seeded; 0 = all (default 1000)', numberFlag('--ksg-subsample', true))
    .option('--seed <n>', 'seed of the KDE and KSG subsamples and the KSG tie noise (default 0)', numberFlag('--seed', true))
    .option('--engine <name>', 'auto | native | reference (default auto)')
    .option('--bias-correction <how>', 'binning: none (default) | miller-madow (printed and recorded beside the plug-in values)')
    .option(
      '--bin-space <space>',
      "binning: post (the given values, default) | pre (each layer's activation inverted, softmax layers kept; needs --activation, and a range or --scheme adaptive/width)",
    )
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'print no tables')
    .action((files: string[], flags: MiFlags) => {
      if (flags.json !== undefined) checkOutputPath(flags.json, { flag: '--json', kind: 'file', existing: 'replace' });
      const binnings = binningTexts(flags);
      const engine = (flags.engine ?? 'auto') as MiEngineChoice;
      if (!['auto', 'native', 'reference'].includes(engine)) throw new InputError(`--engine: expected auto, native or reference, got "${flags.engine}"`);
      if ((flags.noiseVar !== undefined || flags.kdeSubsample !== undefined) && !flags.kde)
        throw new InputError('--noise-var/--kde-subsample: only meaningful with --kde');
      if ((flags.k !== undefined || flags.ksgSubsample !== undefined) && !flags.ksg) throw new InputError('--k/--ksg-subsample: only meaningful with --ksg');
      if (flags.xBinning !== undefined && flags.x === undefined) throw new InputError('--x-binning: only meaningful with --x');
      const biasCorrection = (flags.biasCorrection ?? 'none') as BiasCorrection;
      if (!BIAS_CORRECTIONS.includes(biasCorrection))
        throw new InputError(`--bias-correction: expected ${BIAS_CORRECTIONS.join(', ')}, got "${flags.biasCorrection}"`);
      const binSpace = (flags.binSpace ?? 'post') as BinSpace;
      if (!BIN_SPACES.includes(binSpace)) throw new InputError(`--bin-space: expected ${BIN_SPACES.join(', ')}, got "${flags.binSpace}"`);
      // The arrays are post-activation values: going back to z needs each layer's activation, so it is never guessed.
      if (binSpace === 'pre' && flags.activation === undefined)
        throw new InputError(
          "--bin-space: pre inverts each layer's activation; name it with --activation (tanh, relu, linear; softmax layers stay as they are)",
        );
      const labels = readOne(flags.labels, '--labels');
      const x = flags.x === undefined ? undefined : readOne(flags.x, '--x');
      const chosen = selectLayers(files, flags, [labels, ...(x ? [x] : [])]);
      if (chosen.length === 0) throw new InputError(`files: ${files.join(', ')} hold no arrays besides the labels and X`);
      const acts = activations(flags, chosen.length);
      const sigmoid = chosen.find((_, i) => binSpace === 'pre' && acts[i] === 'sigmoid');
      if (sigmoid) throw new InputError(`--bin-space: pre inverts tanh, relu and linear layers (softmax layers stay as they are); ${sigmoid.name} is sigmoid`);
      const multiple = new Set(chosen.map((c) => c.file)).size < chosen.length;
      const layers: ArrayLayer[] = chosen.map((c, i) => ({
        data: c.array.data,
        shape: c.array.shape,
        name: c.name,
        source: multiple || c.file.endsWith('.npz') ? `${c.file}:${c.name}` : c.file,
        ...(acts[i] ? { activation: acts[i] } : {}),
      }));
      let result: ArrayMiResult;
      try {
        result = informationPlaneOfArrays(
          layers,
          { data: labels.array.data, shape: labels.array.shape, source: flags.labels },
          {
            binnings,
            engine,
            biasCorrection,
            binSpace,
            ...(x ? { x: { data: x.array.data, shape: x.array.shape, source: flags.x, binning: flags.xBinning ?? binnings[0] } } : {}),
            ...(flags.kde ? { kde: { noiseVariance: flags.noiseVar, subsample: flags.kdeSubsample ?? 1000, seed: flags.seed ?? 0 } } : {}),
            ...(flags.ksg ? { ksg: { k: flags.k, subsample: flags.ksgSubsample ?? 1000, seed: flags.seed ?? 0 } } : {}),
          },
        );
      } catch (err) {
        // Estimator options (binning, range for a relu layer, …): a usage problem.
        if (err instanceof InputError)
          throw new InputError(
            err.message
              .replace(/^binnings\[\d+\](?=: pre-activations)/, '--bin-space')
              .replace(/^binnings\[\d+\]/, '--scheme/--bins/--range')
              .replace(/^x\.binning/, '--x-binning'),
          );
        throw err;
      }
      for (const plane of result.planes) process.stderr.write(outOfRangeWarning(plane));
      if (!flags.quiet) {
        const blocks = result.planes.map((p) => planeTable(result, p));
        if (result.kde) blocks.push(kdeTable(result));
        if (result.ksg) blocks.push(ksgTable(result));
        process.stdout.write(blocks.join('\n\n') + '\n');
      }
      if (flags.json) {
        writeFileAtomically(
          flags.json,
          jsonWithUnits({
            inputs: chosen.map(describeArray),
            labels: { ...describeArray(labels), ...result.labels, classes: result.classes },
            ...(x ? { x: { ...describeArray(x), binning: flags.xBinning ?? binnings[0] } } : {}),
            n: result.n,
            layers: result.layers,
            binSpace,
            biasCorrection,
            planes: result.planes,
            ...(result.kde ? { kde: result.kde } : {}),
            ...(result.ksg ? { ksg: result.ksg } : {}),
          }),
        );
      }
    });
}
