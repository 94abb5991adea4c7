// `infoplane reproduce seed-report`: every setting of the seed report as
// resumable trials (one queue, worker threads), then each claim's measured
// figures, 95% intervals and verdict in reproduction.json and a
// self-contained reproduction.html. `--shard i/N` runs a share for a batch
// engine; `--merge DIR...` joins the shards' directories and renders them.
import { InputError } from '../core/input-error.ts';
import type { Command } from 'commander';
import { jsonWithUnits } from '../report/units.ts';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { budgetFacts, projectReproduction, reproductionAssumptions } from '../experiment/reproduce/budget.ts';
import { type Reproduction, evaluateReproduction, type SettingRuns } from '../experiment/reproduce/evaluate.ts';
import {
  buildPlan,
  checkPlanDir,
  type InvocationTiming,
  mergeReproductionDirs,
  reproductionCoverage,
  PLAN_FILE,
  readSettingRuns,
  readTiming,
  type ReproductionPlan,
  settingDir,
  SETTINGS_DIR,
  TIMING_FILE,
  writePlan,
} from '../experiment/reproduce/plan.ts';
import {
  DEFAULT_OPTIONS,
  plannedJobs,
  type ReportName,
  REPORTS,
  type ReproductionOptions,
  settingSpec,
  subsetSizes,
} from '../experiment/reproduce/settings.ts';
import { thresholdsOf } from '../experiment/trials/thresholds.ts';
import { checkVaryAxes, defaultValuesLabel, parseVaryArg, VARY_KEYS, type VaryAxis } from '../experiment/reproduce/variations.ts';
import { type ClaimDependence, claimDependence, evaluateAssumptions, runsUnder } from '../experiment/reproduce/assumptions.ts';
import { dependenceReading } from '../report/assumption-sentences.ts';
import { parseSpec } from '../experiment/spec.ts';
import { describeReproduction } from '../report/claim-sentences.ts';
import { writeDirectoryAtomically, writeFileAtomically, writeFilesAtomically } from '../core/atomic-write.ts';
import { JOURNAL_FILE } from '../experiment/trials/journal.ts';
import type { MiRecord } from '../experiment/mi-measure.ts';
import { recordLine } from '../experiment/trials/record.ts';
import { defaultWorkers, runTrials } from '../experiment/trials/run-trials.ts';
import { type Shard, shardItems } from '../experiment/trials/shard.ts';
import { checkShardRecord, type Incompleteness, SHARD_FILE, settleCoverage, writeShardRecord } from '../experiment/trials/shard-record.ts';
import { CURVES_DIR, curvePath, SPEC_FILE, specFileText } from '../experiment/trials/trials-dir.ts';
import { type CurvesLoader, reproductionFiles } from '../report/reproduction-files.ts';
import { numberFlag } from './errors.ts';
import { progressPrinter, SHARD_HELP, shardFlag, throughputLine, trialsSummaryOf } from './trials-command.ts';

interface ReproduceFlags {
  seeds?: number;
  epochs?: number;
  workers?: number;
  out?: string;
  shard?: string;
  subset?: number;
  weightAmounts?: number[];
  neuronAmounts?: number[];
  /** --vary axes; false with --no-vary; undefined: the default sensitivity set. */
  vary?: VaryAxis[] | false;
  merge?: string[];
  force?: boolean;
  allowIncomplete?: boolean;
  dryRun?: boolean;
  quiet?: boolean;
}

function varyFlag(text: string, previous: VaryAxis[] | false | undefined): VaryAxis[] {
  return [...(previous || []), parseVaryArg(text)];
}

function amountList(flag: string) {
  return (text: string): number[] =>
    text.split(',').map((part) => {
      const v = numberFlag(flag)(part);
      if (!(v > 0 && v < 1)) throw new InputError(`${flag}: amounts are fractions in (0, 1), got "${part}"`);
      return v;
    });
}

export function reproductionOptions(report: string, flags: ReproduceFlags): ReproductionOptions {
  if (!(REPORTS as readonly string[]).includes(report)) throw new InputError(`reproduce: unknown report "${report}" (known: ${REPORTS.join(', ')})`);
  const seeds = flags.seeds ?? DEFAULT_OPTIONS.seeds;
  const epochs = flags.epochs ?? DEFAULT_OPTIONS.epochs;
  if (seeds < 1) throw new InputError(`--seeds: must be at least 1, got ${seeds}`);
  if (epochs < 1) throw new InputError(`--epochs: must be at least 1, got ${epochs}`);
  if (flags.workers !== undefined && flags.workers < 1) throw new InputError(`--workers: must be at least 1, got ${flags.workers}`);
  if (flags.subset !== undefined) {
    const { trainSize, testSize } = subsetSizes(flags.subset);
    if (flags.subset < 10 || trainSize > 60000 || testSize > 10000)
      throw new InputError(
        `--subset: expected 10 … 50000 images (80% from the 60 000 training images, the rest from the 10 000 test images), got ${flags.subset}`,
      );
  }
  const vary = flags.vary === false ? [] : (flags.vary ?? DEFAULT_OPTIONS.vary);
  checkVaryAxes(vary);
  return {
    report: report as ReportName,
    seeds,
    epochs,
    weightAmounts: flags.weightAmounts ?? [...DEFAULT_OPTIONS.weightAmounts],
    neuronAmounts: flags.neuronAmounts ?? [...DEFAULT_OPTIONS.neuronAmounts],
    ...(flags.subset === undefined ? {} : { subset: flags.subset }),
    vary,
    // --vary runs every setting under each combination; the default set, the settings claim 4 tests.
    varyScope: flags.vary === undefined && vary.length > 0 ? DEFAULT_OPTIONS.varyScope : 'all',
  };
}

function curvesFromDir(dir: string): CurvesLoader {
  return (id, seed) => {
    const path = curvePath(settingDir(dir, id), seed);
    if (!existsSync(path)) return null;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as { mi: MiRecord[] };
    } catch {
      return null;
    }
  };
}

function verdictTable(r: Reproduction, dependence: readonly ClaimDependence[], defaultLabel: string): string {
  const claims = describeReproduction(r);
  const width = Math.max(...claims.map((c) => c.title.length));
  return (
    claims
      .map((c) => {
        const d = dependence.find((x) => x.id === c.id);
        const varied = d && d.dependence !== 'untested' ? `\n      ${dependenceReading(d, defaultLabel)}` : '';
        return `  ${String(c.id).padStart(2)}. ${c.title.padEnd(width)}  ${c.verdict}\n      ${c.headline}${varied}`;
      })
      .join('\n') + '\n'
  );
}

interface Rendered {
  files: Record<string, string>;
  reproduction: Reproduction;
  dependence: ClaimDependence[];
  defaultLabel: string;
}

async function render(
  dir: string,
  plan: ReproductionPlan,
  runs: SettingRuns[],
  curves: CurvesLoader,
  timing: InvocationTiming[],
  incomplete?: Incompleteness,
): Promise<Rendered> {
  const defaults = runsUnder(runs, null);
  const reproduction = evaluateReproduction(defaults);
  const results = evaluateAssumptions(runs);
  const dependence = claimDependence(reproduction.claims, results);
  const options = { epochs: plan.options.epochs, ...(plan.options.subset === null ? {} : { subset: plan.options.subset }) };
  const baseline = settingSpec(plan.settings[0], options);
  const defaultLabel = defaultValuesLabel(plan.options.vary, baseline);
  const presetEpochs = parseSpec({ preset: plan.settings[0].preset }).train.epochs;
  const files = await reproductionFiles({
    plan,
    reproduction,
    runs: defaults,
    curves,
    timing,
    dir,
    labels: thresholdsOf(baseline),
    budget: budgetFacts(plan.options, presetEpochs),
    assumptions: reproductionAssumptions(baseline, plan.options),
    variations: { vary: plan.options.vary, scope: plan.options.varyScope, defaultLabel, results, dependence, allRuns: runs },
    ...(incomplete ? { incomplete } : {}),
  });
  return { files, reproduction, dependence, defaultLabel };
}

function dryRun(plan: ReproductionPlan, workers: number, shard: Shard): string {
  const p = projectReproduction(plan, workers, shard.count);
  const minutes = (seconds: number) => (seconds / 60).toFixed(1);
  const line = (i: number) => {
    const s = plan.settings[i];
    return `  ${s.of.padEnd(9)} ${String(s.seeds).padStart(4)} seeds  ${minutes(p.settings[i].workerSeconds).padStart(6)} worker-min  ${s.title}`;
  };
  const groups = [null, ...new Set(plan.settings.map((s) => s.variation).filter((v) => v !== null))];
  const blocks = groups.map((variation) => {
    const at = plan.settings.map((s, i) => (s.variation === variation ? i : -1)).filter((i) => i >= 0);
    const runs = at.reduce((n, i) => n + p.settings[i].runs, 0);
    const work = at.reduce((n, i) => n + p.settings[i].workerSeconds, 0);
    const head = variation === null ? 'defaults' : `under ${variation.replace(/_/g, ', ')}`;
    return `${head}: ${at.length} settings, ${runs} runs, ${minutes(work)} worker-min\n${at.map(line).join('\n')}\n`;
  });
  const varied = p.settings.filter((s) => s.variation !== null);
  const extra = varied.reduce((n, s) => n + s.workerSeconds, 0);
  const base = p.settings.reduce((n, s) => n + s.workerSeconds, 0) - extra;
  const cost = varied.length
    ? `the variations add ${varied.reduce((n, s) => n + s.runs, 0)} runs, ${Math.round((extra / Math.max(1, base)) * 100)}% of the defaults' worker time\n`
    : '';
  return (
    `${plan.settings.length} settings, ${p.runs} runs of ${plan.options.epochs} epochs${shard.count > 1 ? ` (this shard: about 1/${shard.count})` : ''}:\n${blocks.join('')}${cost}` +
    `projected wall time on ${workers} worker${workers === 1 ? '' : 's'}: ${(p.seconds / 60).toFixed(0)} min (costs measured on a 2-core AVX2 machine; src/experiment/reproduce/budget.ts)\n`
  );
}

async function runReproduction(report: string, flags: ReproduceFlags): Promise<void> {
  const options = reproductionOptions(report, flags);
  const shard = shardFlag(flags.shard, Boolean(flags.quiet));
  const { plan, specs } = buildPlan(options);
  const workers = flags.workers ?? defaultWorkers();
  if (flags.dryRun) {
    process.stdout.write(dryRun(plan, workers, shard));
    return;
  }
  const sharded = shard.count > 1;
  const out = flags.out ?? join('runs', `reproduce-${options.report}${sharded ? `-shard${shard.index}of${shard.count}` : ''}`);
  checkPlanDir(out, plan);
  checkShardRecord(out, shard);
  const targets = plan.settings.map((s, i) => ({ dir: settingDir(out, s.id), spec: specs[i], label: `setting ${s.id}` }));
  const jobs = shardItems(plannedJobs(plan.settings), shard).map((j) => ({ target: j.setting, seed: j.seed }));
  let written = plan;
  let runSeconds = 0;
  let runsTimed = 0;
  const progress = progressPrinter(Boolean(flags.quiet), (e) => `${plan.settings[e.target].id} `);
  // Each trials directory's lock adds a process 'exit' listener (trials/lock.ts): 21 settings would trip Node's leak warning at 10.
  const listeners = process.getMaxListeners();
  process.setMaxListeners(Math.max(listeners, targets.length + 10));
  let stats: Awaited<ReturnType<typeof runTrials>>;
  try {
    stats = await runTrials(targets, jobs, {
      workers,
      keepCurves: 'all',
      onCreate: () => {
        mkdirSync(out, { recursive: true });
        written = writePlan(out, plan);
        writeShardRecord(out, shard, String(written.options.seeds));
      },
      onStart: progress.onStart,
      onFinished: (e) => {
        if (e.seconds !== undefined) [runSeconds, runsTimed] = [runSeconds + e.seconds, runsTimed + 1];
        progress.onFinished?.(e);
      },
    });
  } finally {
    process.setMaxListeners(listeners);
  }
  const timing = [
    ...readTiming(out),
    {
      ran: stats.ran,
      seconds: stats.seconds,
      workers: stats.workers,
      secondsPerRun: runsTimed ? runSeconds / runsTimed : null,
      shard: sharded ? `${shard.index}/${shard.count}` : null,
    },
  ];
  writeFileAtomically(join(out, TIMING_FILE), JSON.stringify({ invocations: timing }, null, 2) + '\n');
  plan.settings.forEach((s, i) => writeFilesAtomically(settingDir(out, s.id), { 'summary.json': jsonWithUnits(trialsSummaryOf(specs[i], stats.records[i])) }));
  process.stdout.write(throughputLine(stats));
  if (sharded) {
    process.stdout.write(
      `wrote shard ${shard.index}/${shard.count} to ${out}; join the shards and render the page with: infoplane reproduce ${options.report} --merge <shard dirs> --out <dir>\n`,
    );
    return;
  }
  const runs = readSettingRuns(out, written);
  const { files, reproduction, dependence, defaultLabel } = await render(out, written, runs, curvesFromDir(out), timing);
  writeFilesAtomically(out, files);
  process.stdout.write(verdictTable(reproduction, dependence, defaultLabel));
  process.stdout.write(`wrote ${join(out, 'reproduction.html')}, reproduction.json, plots/\n`);
}

/**
 * The merged directory's files (plan, each setting's spec, journal, curves and
 * summary, timing, reproduction.json/html, plots) from reproduction
 * directories of the same options: what `--merge` writes, and what
 * `infoplane merge` can write for reproduction inputs.
 */
export async function mergedReproductionFiles(
  dirs: readonly string[],
  out: string,
  allowIncomplete = false,
): Promise<Omit<Rendered, 'files'> & { files: Record<string, string | Uint8Array>; plan: ReproductionPlan }> {
  const merged = mergeReproductionDirs(dirs);
  const coverage = reproductionCoverage(dirs, merged);
  const incomplete = settleCoverage(coverage, allowIncomplete, 'reproduce --merge', 'reproduction.json, reproduction.html and shard.json', (line) =>
    process.stderr.write(line),
  );
  const files: Record<string, string | Uint8Array> = {
    [PLAN_FILE]: JSON.stringify(merged.plan, null, 2) + '\n',
    [SHARD_FILE]: JSON.stringify(coverage.record, null, 2) + '\n',
  };
  const runs: SettingRuns[] = [];
  merged.plan.settings.forEach((setting, i) => {
    const m = merged.settings[i];
    for (const dir of m.truncated)
      process.stderr.write(`merge: ${dir}/${JOURNAL_FILE} ends in an interrupted line; dropped it (resume that shard to rerun the seed)\n`);
    if (m.conflicts.length)
      process.stderr.write(`merge, setting ${setting.id}: seeds ${m.conflicts.join(',')} differ between inputs; kept the first input's line\n`);
    const base = `${SETTINGS_DIR}/${setting.id}`;
    files[`${base}/${SPEC_FILE}`] = specFileText(m.spec);
    files[`${base}/${JOURNAL_FILE}`] = m.records.map((r) => recordLine(r) + '\n').join('');
    for (const [seed, content] of m.curves) files[`${base}/${CURVES_DIR}/seed-${seed}.json`] = content;
    files[`${base}/summary.json`] = jsonWithUnits(trialsSummaryOf(m.spec, m.records));
    runs.push({ setting, records: m.records });
  });
  const timing = dirs.flatMap((d) => readTiming(d));
  files[TIMING_FILE] = JSON.stringify({ invocations: timing }, null, 2) + '\n';
  const curves: CurvesLoader = (id, seed) => {
    const content = merged.settings[merged.plan.settings.findIndex((s) => s.id === id)]?.curves.get(seed);
    return content ? (JSON.parse(Buffer.from(content).toString('utf8')) as { mi: MiRecord[] }) : null;
  };
  const { files: page, ...rendered } = await render(out, merged.plan, runs, curves, timing, incomplete);
  return { files: { ...files, ...page }, ...rendered, plan: merged.plan };
}

async function mergeReproduction(report: string, flags: ReproduceFlags): Promise<void> {
  if (!flags.out) throw new InputError('--merge: give the merged directory with --out');
  if (flags.shard !== undefined || flags.dryRun) throw new InputError('--merge: runs nothing; --shard and --dry-run do not apply');
  const { files, reproduction, plan, dependence, defaultLabel } = await mergedReproductionFiles(flags.merge!, flags.out, Boolean(flags.allowIncomplete));
  if (plan.report !== report) throw new InputError(`--merge: the inputs reproduce ${plan.report}, not ${report}`);
  writeDirectoryAtomically(flags.out, files, { force: flags.force });
  if (!flags.quiet) process.stdout.write(verdictTable(reproduction, dependence, defaultLabel));
  process.stdout.write(`merged ${flags.merge!.length} directories → ${join(flags.out, 'reproduction.html')}\n`);
}

export function registerReproduceCommand(program: Command): void {
  const d = DEFAULT_OPTIONS;
  program
    .command('reproduce')
    .description(
      "reproduce a report's claims end to end: every setting as resumable trials, each claim's figure with a 95% interval and a verdict, reproduction.html + reproduction.json",
    )
    .argument('<report>', `the report: ${REPORTS.join(' | ')}`)
    .option('--seeds <n>', `seeds of each setting the report names; sweep-only amounts get half (default ${d.seeds})`, numberFlag('--seeds', true))
    .option('--epochs <n>', `training epochs (default ${d.epochs}, the report's)`, numberFlag('--epochs', true))
    .option('--workers <n>', 'worker threads, one run each (default: cores)', numberFlag('--workers', true))
    .option('--out <dir>', 'reproduction directory (default runs/reproduce-<report>[-shard<i>of<N>]); the same command resumes it')
    .option('--shard <i/N|auto>', SHARD_HELP.replace('infoplane merge', '--merge'))
    .option(
      '--subset <rows>',
      'a seeded, stratified subset of ROWS images of full MNIST, 80% from the training half (smoke tests)',
      numberFlag('--subset', true),
    )
    .option('--weight-amounts <list>', `global weight sweep (default ${d.weightAmounts.join(',')}; 0.65 always in it)`, amountList('--weight-amounts'))
    .option('--neuron-amounts <list>', `global neuron sweep (default ${d.neuronAmounts.join(',')}; 0.4 always in it)`, amountList('--neuron-amounts'))
    .option(
      '--vary <KEY=V1,V2,...>',
      `run settings again under other values of an assumption the report does not state, repeatable (keys: ${Object.keys(VARY_KEYS).join(', ')}); every setting runs under each combination. Default: ${DEFAULT_OPTIONS.vary.map((a) => `${a.key}=${a.values.join(',')}`).join(' ')} on the settings claim 4 tests`,
      varyFlag,
    )
    .option('--no-vary', 'run the default assumptions only')
    .option('--merge <dirs...>', 'join the directories of shards (or of any runs of the same options) into --out and render it; runs nothing')
    .option('--force', 'with --merge: replace an existing --out')
    .option(
      '--allow-incomplete',
      'with --merge: merge even when shards are missing or of different splits (warns; shard.json says complete: false, reproduction.json and its page "incomplete")',
    )
    .option('--dry-run', 'print the settings, seed counts and projected wall time; run nothing')
    .option('--quiet', 'print only the summary')
    .action(async (report: string, flags: ReproduceFlags) => {
      if (flags.merge) return mergeReproduction(report, flags);
      return runReproduction(report, flags);
    });
}
