// `infoplane trials`: one spec, many seeds, in parallel worker threads; a
// journal line per finished seed, outcome frequencies with intervals, plots
// and trials.html. The same command over the same --out resumes.
import { InputError } from '../core/input-error.ts';
import type { Command } from 'commander';
import { jsonWithUnits } from '../report/units.ts';
import { Option } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pruningNotes } from '../experiment/pruning-notes.ts';
import { parseSpec, type Spec, specHash } from '../experiment/spec.ts';
import { writeFilesAtomically } from '../core/atomic-write.ts';
import { watchedLayers } from '../experiment/trials/classify.ts';
import { KEEP_CURVES, type KeepCurves } from '../experiment/trials/keep-curves.ts';
import type { TrialRecord } from '../experiment/trials/record.ts';
import { defaultWorkers, runTrials, type RunTrialsOptions } from '../experiment/trials/run-trials.ts';
import { parseSeeds } from '../experiment/trials/seeds.ts';
import { type Shard, shardItems, WHOLE } from '../experiment/trials/shard.ts';
import { resolveShard } from '../experiment/trials/shard-env.ts';
import { checkShardRecord, writeShardRecord } from '../experiment/trials/shard-record.ts';
import { parseStopRule, type StopRule, stopState } from '../experiment/trials/stop-rule.ts';
import { summarizeTrials, type TrialsSummary } from '../experiment/trials/summary.ts';
import { DEFAULT_THRESHOLDS, thresholdsOf } from '../experiment/trials/thresholds.ts';
import { specDifferences, storedSpec } from '../experiment/trials/trials-dir.ts';
import { trialsReportFiles } from '../report/trials-files.ts';
import { stopText } from '../report/stop-text.ts';
import { trialsTable } from '../report/trials-table.ts';
import { dryRunText } from './dry-run.ts';
import { numberFlag } from './errors.ts';
import { checkOutputPath } from './output-path.ts';
import { duration } from './progress.ts';
import { specFromFlags } from './run-command.ts';

/** The flags trials and sweep share (beyond the run flags). */
export interface TrialsFlags {
  seeds?: string;
  seed?: string;
  dryRun?: boolean;
  workers?: number;
  out?: string;
  keepCurves: string;
  shard?: string;
  quiet?: boolean;
}

// `infoplane run`'s own flags that mean something else (or nothing) for many seeds. Arrays
// (--save) belong to one run's directory: replay the seed with `infoplane run --save`.
const NOT_FOR_TRIALS = new Set(['--seed', '--out', '--force', '--quiet', '--save', '--save-epochs']);

/**
 * Gives a command every flag of `infoplane run` (the same Option objects, so
 * new run flags appear here too), except those in NOT_FOR_TRIALS.
 * registerRunCommand must have run first.
 */
export function addRunFlags(program: Command, command: Command): Command {
  const run = program.commands.find((c) => c.name() === 'run');
  if (!run) throw new Error('register the run command before trials/sweep: they reuse its flags');
  for (const option of run.options) if (!NOT_FOR_TRIALS.has(option.long ?? '')) command.addOption(option as Option);
  return command;
}

export function addTrialsFlags(command: Command): Command {
  return (
    command
      .option('--seeds <list>', 'seeds to run: 1..500, 1,5,9, or both (1..10,20)')
      // `infoplane run`'s --seed, caught to point at --seeds.
      .addOption(new Option('--seed <n>').hideHelp())
      .option(
        '--workers <n>',
        'worker threads, one run each (default: cores); each runs its kernels on the cores the others leave',
        numberFlag('--workers', true),
      )
      .option('--keep-curves <which>', 'full per-epoch curves in curves/: rare | all | none (default rare: non-trained or rare outcome combinations)', 'rare')
      .option('--shard <i/N|auto>', SHARD_HELP)
      .option('--quiet', 'print only the summary')
  );
}

/** --shard's help, shared with reproduce. */
export const SHARD_HELP =
  'run only shard i of N (0-based; items at positions p with p mod N = i) for batch engines; join with infoplane merge. ' +
  'auto: from a Slurm job array, a Kubernetes Indexed Job (auto/N, N = completions) or INFOPLANE_SHARD=i/N';

/** --shard's value resolved (auto: from the environment, said on stderr unless quiet). */
export function shardFlag(text: string | undefined, quiet: boolean): Shard {
  if (text === undefined) return WHOLE;
  const resolved = resolveShard(text, process.env);
  if (resolved.source && !quiet) process.stderr.write(`shard ${resolved.shard.index}/${resolved.shard.count} from ${resolved.source}\n`);
  return resolved.shard;
}

/** For runTrials' onCreate (every check passed, no run started): writes shard.json into the output directory. */
export function shardRecorder(out: string, shard: Shard, seeds: string): () => void {
  return () => {
    mkdirSync(out, { recursive: true });
    writeShardRecord(out, shard, seeds);
  };
}

export interface CommonTrialsArgs {
  seeds: number[];
  shard: Shard;
  workers?: number;
  keepCurves: KeepCurves;
}

/** `defaultSeeds`: the seeds when --seeds is absent (trials --until); without it --seeds is required. */
export function commonTrialsArgs(flags: TrialsFlags, defaultSeeds?: () => number[]): CommonTrialsArgs {
  if (flags.seeds === undefined && !defaultSeeds)
    throw new InputError('--seeds: required (e.g. --seeds 1..20 or --seeds 1,5,9), unless --until says when to stop');
  const seeds = flags.seeds === undefined ? defaultSeeds!() : parseSeeds(flags.seeds);
  const shard = shardFlag(flags.shard, Boolean(flags.quiet));
  if (flags.workers !== undefined && flags.workers < 1) throw new InputError(`--workers: must be at least 1, got ${flags.workers}`);
  if (!(KEEP_CURVES as readonly string[]).includes(flags.keepCurves))
    throw new InputError(`--keep-curves: expected ${KEEP_CURVES.join(' | ')}, got "${flags.keepCurves}"`);
  return { seeds, shard, workers: flags.workers, keepCurves: flags.keepCurves as KeepCurves };
}

/** The spec of the run flags, as a trials spec: the seed comes from --seeds. */
export function trialsSpecFromFlags(flags: object): Spec {
  const { seed } = flags as TrialsFlags;
  if (seed !== undefined) throw new InputError(`--seed: trials run many seeds: use --seeds ${seed} (or a range, e.g. --seeds 1..20)`);
  const spec = specFromFlags(flags as Parameters<typeof specFromFlags>[0]);
  if ((spec as { save?: unknown }).save !== undefined) {
    throw new InputError(
      "spec.save: trials do not save arrays (one run's files); replay a seed with `infoplane run --spec <dir>/spec.json --seed N --save ...`",
    );
  }
  return spec;
}

/** Warns when `trained` would compare a non-default setting with the default net's baseline. */
export function baselineWarning(spec: Spec): string | undefined {
  if (spec.outcomes?.baselineAcc !== undefined) return undefined;
  const pick = (s: Spec) => ({ data: s.data, net: s.net, train: s.train });
  const differs = specDifferences(pick(parseSpec({})), pick(spec)).map((line) => line.slice(0, line.indexOf(':')));
  if (differs.length === 0) return undefined;
  return (
    `note: \`trained\` means test acc ≥ ${DEFAULT_THRESHOLDS.baselineAcc} − ${DEFAULT_THRESHOLDS.trainedMargin}, the default baseline of the unpruned ` +
    `default net, but this spec changes ${differs.join(', ')}; set spec.outcomes.baselineAcc to this setting's unpruned accuracy ` +
    '(e.g. the median of `infoplane trials` on it without --prune)\n'
  );
}

const pct = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '—');

/** Seconds between the plain lines of running seeds' epochs when stderr is not a terminal. */
export const RUNNING_LINE_SECONDS = 30;

/**
 * One stderr line per finished seed, with the rate so far and an ETA; within
 * a seed, the epoch each running seed is at: a live line on a terminal, a
 * plain line every RUNNING_LINE_SECONDS otherwise.
 */
export function progressPrinter(
  quiet: boolean,
  label: (e: { target: number }) => string = () => '',
  note?: string,
  spec?: Spec,
): Pick<RunTrialsOptions, 'onStart' | 'onFinished' | 'onEpoch'> {
  let started = 0;
  let lastPlain = 0;
  const tty = Boolean(process.stderr.isTTY);
  const running = new Map<string, string>();
  const write = (text: string) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${text}`);
  let noted = false;
  return {
    onStart: (info) => {
      started = performance.now();
      lastPlain = started;
      if (note && !quiet) process.stderr.write(note);
      for (const r of info.repaired) process.stderr.write(`resume: dropped an interrupted last line (${r.bytes} bytes) from a journal; that seed runs again\n`);
      if (!quiet) process.stderr.write(`${info.toRun} to run, ${info.alreadyDone} already done, on ${info.workers} worker${info.workers === 1 ? '' : 's'}\n`);
    },
    onEpoch: (e) => {
      if (quiet) return;
      running.set(`${e.target}:${e.seed}`, `${label(e)}seed ${e.seed} epoch ${e.epoch}/${e.epochs}`);
      const now = performance.now();
      if (tty) process.stderr.write(`\r\x1b[Krunning: ${[...running.values()].join(', ')}`);
      else if (now - lastPlain >= RUNNING_LINE_SECONDS * 1000) {
        lastPlain = now;
        process.stderr.write(`running: ${[...running.values()].join(', ')}\n`);
      }
    },
    onFinished: (e) => {
      running.delete(`${e.target}:${e.record.seed}`);
      // The pruning of one seed says what the amount means for all: printed once.
      if (spec && !noted && e.record.pruning) {
        noted = true;
        for (const line of pruningNotes(spec, e.record.pruning)) process.stderr.write(`${line}\n`);
      }
      if (quiet) return;
      const elapsed = (performance.now() - started) / 1000;
      const rate = e.done / elapsed;
      const eta = (e.total - e.done) / rate;
      const r = e.record;
      const what = r.status === 'error' ? `error: ${r.error}` : `${r.outcome.combination}  acc ${pct(r.final?.testAcc)}`;
      const width = String(e.total).length;
      write(
        `[${String(e.done).padStart(width)}/${e.total}] ${label(e)}seed ${r.seed}  ${what}${e.seconds !== undefined ? `  ${e.seconds.toFixed(1)} s` : ''}` +
          `  (${(rate * 3600).toFixed(0)} trials/h, ETA ${duration(eta)})\n`,
      );
    },
  };
}

export function throughputLine(stats: { ran: number; seconds: number; workers: number }): string {
  if (stats.ran === 0) return 'nothing to run: every seed is already in the journal\n';
  return `ran ${stats.ran} seed${stats.ran === 1 ? '' : 's'} in ${stats.seconds.toFixed(1)} s on ${stats.workers} worker${stats.workers === 1 ? '' : 's'}: ${((stats.ran / stats.seconds) * 3600).toFixed(0)} trials/hour\n`;
}

export function trialsSummaryOf(spec: Spec, records: readonly TrialRecord[], rule?: StopRule): TrialsSummary {
  const summary = summarizeTrials(specHash(spec), records, thresholdsOf(spec), watchedLayers(spec.net.hidden.length));
  return rule
    ? {
        ...summary,
        stop: stopState(
          rule,
          records.filter((r) => r.specHash === summary.specHash),
        ),
      }
    : summary;
}

/** Default cap of `--until` without --max-seeds. */
export const DEFAULT_MAX_SEEDS = 1000;

function stopRuleOf(flags: { until?: string; maxSeeds?: number; shard?: string }): StopRule | undefined {
  if (flags.until === undefined) {
    if (flags.maxSeeds !== undefined) throw new InputError('--max-seeds: only with --until (without it, --seeds says how many)');
    return undefined;
  }
  if (flags.shard !== undefined) throw new InputError('--until: cannot be used with --shard (a shard sees only its own seeds; run --until in one process)');
  return parseStopRule(flags.until, flags.maxSeeds ?? DEFAULT_MAX_SEEDS);
}

export function registerTrialsCommand(program: Command): void {
  const command = program.command('trials').description('run many seeds of one spec in parallel and report outcome frequencies with Wilson intervals');
  addRunFlags(program, command);
  addTrialsFlags(command)
    .option('--out <dir>', 'trials directory (default runs/trials-<spec hash>[-shard<i>of<N>]); the same command resumes it')
    .option(
      '--until <rule>',
      'run seeds in order until an outcome is seen K times (chance:5, h4:compression:3) or its Wilson 95% upper bound is below a rate (chance<0.01); with --seeds, within that list',
    )
    .option('--max-seeds <n>', `with --until: stop after this many runs in the directory (default ${DEFAULT_MAX_SEEDS})`, numberFlag('--max-seeds', true))
    .action(async (flags: TrialsFlags & { until?: string; maxSeeds?: number } & Record<string, unknown>) => {
      const rule = stopRuleOf(flags);
      const spec = trialsSpecFromFlags(flags);
      const args = commonTrialsArgs(flags, rule ? () => Array.from({ length: rule.maxSeeds }, (_, i) => i + 1) : undefined);
      const shardSuffix = args.shard.count > 1 ? `-shard${args.shard.index}of${args.shard.count}` : '';
      const out = flags.out ?? join('runs', `trials-${specHash(spec)}${shardSuffix}`);
      const seeds = shardItems(args.seeds, args.shard);
      checkOutputPath(out, { flag: '--out', kind: 'directory', existing: 'resume' });
      checkShardRecord(out, args.shard);
      if (flags.dryRun) {
        process.stdout.write(
          dryRunText({ ...spec, seed: seeds[0] ?? spec.seed, threads: 1 }, { runs: seeds.length, parallel: args.workers ?? defaultWorkers(), out }),
        );
        return;
      }
      const hash = specHash(spec);
      const stats = await runTrials(
        [{ dir: out, spec, label: out }],
        seeds.map((seed) => ({ target: 0, seed })),
        {
          workers: args.workers,
          // Under --until without --seeds the list is 1..max-seeds (a shard record still names it).
          onCreate: shardRecorder(out, args.shard, flags.seeds ?? `1..${args.seeds.length}`),
          keepCurves: args.keepCurves,
          ...(rule
            ? {
                stopWhen: (records: readonly TrialRecord[][]) =>
                  stopState(
                    rule,
                    records[0].filter((r) => r.specHash === hash),
                  ).met,
              }
            : {}),
          ...progressPrinter(Boolean(flags.quiet), undefined, baselineWarning(spec), spec),
        },
      );
      const summary = trialsSummaryOf(spec, stats.records[0], rule);
      // A shard's plots would be thrown away by the merge, which draws them for all shards.
      const sharded = args.shard.count > 1;
      writeFilesAtomically(
        out,
        sharded ? { 'summary.json': jsonWithUnits(summary) } : await trialsReportFiles(summary, storedSpec(spec), out, stats.records[0]),
      );
      process.stdout.write(trialsTable(summary, out));
      if (summary.stop) process.stdout.write(`stopping rule: ${stopText(summary.stop)}\n`);
      process.stdout.write(throughputLine(stats));
      process.stdout.write(
        `wrote ${out}/trials.jsonl, summary.json${sharded ? ' (tables, plots and trials.html: after infoplane merge)' : ', trials.csv, trials-mi.csv, trials.html, plots/'}\n`,
      );
    });
}
