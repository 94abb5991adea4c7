// `infoplane sweep`: a grid of specs × seeds run as trials (one trials
// directory per cell under cells/), the trainability curve and where the
// trained fraction crosses 50%, plots and sweep.html. Resumable like trials.
import { InputError } from '../core/input-error.ts';
import type { Command } from 'commander';
import { jsonWithUnits } from '../report/units.ts';
import { join } from 'node:path';
import { specHash } from '../experiment/spec.ts';
import { writeFilesAtomically } from '../core/atomic-write.ts';
import { type GridAxis, parseGridArg } from '../experiment/trials/grid.ts';
import { defaultWorkers, runTrials } from '../experiment/trials/run-trials.ts';
import { cellDir, checkSweepDir, initSweepDir, planSweep, sweepIdentity, sweepJobs, sweepTargets, type SweepPlan } from '../experiment/trials/sweep.ts';
import type { TrialRecord } from '../experiment/trials/record.ts';
import { summarizeSweep, type SweepSummary } from '../experiment/trials/trainability.ts';
import { sweepReportFiles } from '../report/trials-sweep-files.ts';
import { sweepTable } from '../report/trials-table.ts';
import { checkShardRecord } from '../experiment/trials/shard-record.ts';
import { dryRunText } from './dry-run.ts';
import { checkOutputPath } from './output-path.ts';
import {
  addRunFlags,
  addTrialsFlags,
  baselineWarning,
  commonTrialsArgs,
  progressPrinter,
  shardRecorder,
  throughputLine,
  trialsSpecFromFlags,
  trialsSummaryOf,
  type TrialsFlags,
} from './trials-command.ts';

function gridFlag(text: string, previous: GridAxis[] = []): GridAxis[] {
  return [...previous, parseGridArg(text)];
}

/** Per cell summary.json, then the sweep's summary.json, plots and sweep.html. */
export async function writeSweepOutputs(
  dir: string,
  plan: SweepPlan,
  records: readonly (readonly TrialRecord[])[],
  plots: boolean,
  cellFiles = true,
): Promise<SweepSummary> {
  if (cellFiles) {
    plan.cells.forEach((cell, i) => {
      const summary = trialsSummaryOf(cell.spec, records[i]);
      writeFilesAtomically(cellDir(dir, cell), { 'summary.json': jsonWithUnits(summary) });
    });
  }
  const identity = sweepIdentity(plan);
  const summary = summarizeSweep(plan, identity.baseHash, records);
  const files = await sweepReportFiles(
    summary,
    identity.base,
    identity.grid,
    plan.cells.map((cell, i) => ({ grid: cell.texts, records: records[i] })),
    plots,
  );
  writeFilesAtomically(dir, files);
  return summary;
}

export function registerSweepCommand(program: Command): void {
  const command = program.command('sweep').description('run a grid of settings × seeds as trials; trainability curve and 50% thresholds with intervals');
  addRunFlags(program, command);
  addTrialsFlags(command)
    .option(
      '--grid <key=values>',
      'a grid axis, repeatable: amount=0.3:0.95:0.05, prune=global-weight,global-neuron, layers=1+3,2, epochs, lr, batch-size, optimizer, hidden=64x32, activation, bins, task',
      gridFlag,
    )
    .option('--out <dir>', 'sweep directory (default runs/sweep-<spec hash>[-shard<i>of<N>]); the same command resumes it')
    .action(async (flags: TrialsFlags & { grid?: GridAxis[] } & Record<string, unknown>) => {
      const base = trialsSpecFromFlags(flags);
      const args = commonTrialsArgs(flags);
      if (!flags.grid?.length) throw new InputError('--grid: a sweep needs at least one --grid key=values (e.g. --grid amount=0.3:0.95:0.05)');
      const plan = planSweep(base, flags.grid);
      const shardSuffix = args.shard.count > 1 ? `-shard${args.shard.index}of${args.shard.count}` : '';
      const out = flags.out ?? join('runs', `sweep-${specHash(base)}${shardSuffix}`);
      checkOutputPath(out, { flag: '--out', kind: 'directory', existing: 'resume' });
      checkSweepDir(out, plan);
      checkShardRecord(out, args.shard);
      if (flags.dryRun) {
        const jobs = sweepJobs(plan, args.seeds, args.shard);
        const spec = { ...plan.cells[0].spec, seed: jobs[0]?.seed ?? base.seed, threads: 1 };
        process.stdout.write(`grid: ${plan.cells.length} cells (${plan.cells.map((c) => c.name).join(', ')}); the projection below times the first cell\n`);
        process.stdout.write(dryRunText(spec, { runs: jobs.length, parallel: args.workers ?? defaultWorkers(), out }));
        return;
      }
      const targets = sweepTargets(out, plan);
      const stats = await runTrials(targets, sweepJobs(plan, args.seeds, args.shard), {
        workers: args.workers,
        keepCurves: args.keepCurves,
        onCreate: () => {
          initSweepDir(out, plan);
          shardRecorder(out, args.shard, flags.seeds!)();
        },
        ...progressPrinter(Boolean(flags.quiet), (e) => `${plan.cells[e.target].name} `, baselineWarning(base)),
      });
      // A shard's plots would be thrown away by the merge, which draws them for all shards.
      const summary = await writeSweepOutputs(out, plan, stats.records, args.shard.count === 1);
      process.stdout.write(
        sweepTable(
          summary,
          plan.axes.map((a) => a.key),
        ),
      );
      process.stdout.write(throughputLine(stats));
      const pages = args.shard.count === 1 ? 'sweep.html, summary.json, plots/' : 'summary.json (plots and sweep.html: after infoplane merge)';
      process.stdout.write(`wrote ${out}/${pages}, cells/<cell>/trials.jsonl\n`);
    });
}
