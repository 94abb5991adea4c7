// `infoplane merge out1 out2 ... --out merged`: joins the outputs of shards
// (trials or sweep directories) into one directory, written atomically:
// journals united and de-duplicated by (spec hash, seed), curves copied,
// summaries, plots and pages recomputed. Different specs are refused.
import type { Command } from 'commander';
import { jsonWithUnits } from '../report/units.ts';
import { recordLine } from '../experiment/trials/record.ts';
import { inputKind, type MergedTrials, mergeSweepDirs, mergeTrialsDirs } from '../experiment/trials/merge.ts';
import { JOURNAL_FILE } from '../experiment/trials/journal.ts';
import { summarizeSweep } from '../experiment/trials/trainability.ts';
import { CELLS_DIR, SWEEP_FILE, sweepJobs } from '../experiment/trials/sweep.ts';
import { WHOLE } from '../experiment/trials/shard.ts';
import {
  checkCoverage,
  type CoverageInput,
  readShardRecord,
  recordSeeds,
  settleCoverage,
  SHARD_FILE,
  type ShardRecord,
} from '../experiment/trials/shard-record.ts';
import { CURVES_DIR, SPEC_FILE, specFileText, storedSpec } from '../experiment/trials/trials-dir.ts';
import { writeDirectoryAtomically } from '../core/atomic-write.ts';
import { checkOutputPath } from './output-path.ts';
import { sweepReportFiles } from '../report/trials-sweep-files.ts';
import { trialsReportFiles } from '../report/trials-files.ts';
import { sweepTable, trialsTable } from '../report/trials-table.ts';
import { trialsSummaryOf } from './trials-command.ts';

type Files = Record<string, string | Uint8Array>;

/** The journal, spec and curves of a merged trials directory (no summary). */
function trialsDataFiles(merged: MergedTrials): Files {
  const files: Files = {
    [SPEC_FILE]: specFileText(merged.spec),
    [JOURNAL_FILE]: merged.records.map((r) => recordLine(r) + '\n').join(''),
  };
  for (const [seed, content] of merged.curves) files[`${CURVES_DIR}/seed-${seed}.json`] = content;
  return files;
}

function warn(merged: MergedTrials, where: string): void {
  for (const dir of merged.truncated)
    process.stderr.write(`merge: ${dir}/${JOURNAL_FILE} ends in an interrupted line; dropped it (resume that shard to rerun the seed)\n`);
  if (merged.conflicts.length) process.stderr.write(`merge${where}: seeds ${merged.conflicts.join(',')} differ between inputs; kept the first input's line\n`);
}

/** Each input's shard record and the runs of its whole list, keyed by `runKeys`. */
function coverageInputs(dirs: readonly string[], runKeys: (seeds: number[]) => string[]): CoverageInput[] {
  return dirs.map((dir) => {
    const record = readShardRecord(dir);
    return { dir, record, runs: record ? runKeys(recordSeeds(dir, record)) : null };
  });
}

const recordFile = (record: ShardRecord) => JSON.stringify(record, null, 2) + '\n';

export function registerMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('join shard outputs (trials or sweep directories) into one, de-duplicating by (spec hash, seed)')
    .argument('<dirs...>', 'trials or sweep directories of the same spec (and grid)')
    .requiredOption('--out <dir>', 'the merged directory (must not exist unless --force)')
    .option('--force', 'replace an existing --out')
    .option('--allow-incomplete', 'merge even when shards are missing, incomplete or of different splits: warn, and mark summary.json "incomplete"')
    .option('--quiet', 'print only the last line')
    .action(async (dirs: string[], flags: { out: string; force?: boolean; allowIncomplete?: boolean; quiet?: boolean }) => {
      checkOutputPath(flags.out, { flag: '--out', kind: 'directory', existing: flags.force ? 'replace' : 'refuse' });
      const files: Files = {};
      const settle = (coverage: ReturnType<typeof checkCoverage>) => {
        files[SHARD_FILE] = recordFile(coverage.record);
        const incomplete = settleCoverage(coverage, Boolean(flags.allowIncomplete), 'merge', 'summary.json and shard.json', (line) =>
          process.stderr.write(line),
        );
        return incomplete ? { incomplete } : {};
      };
      let text: string;
      if (inputKind(dirs) === 'trials') {
        const merged = mergeTrialsDirs(dirs);
        const marker = settle(
          checkCoverage(
            coverageInputs(dirs, (seeds) => seeds.map(String)),
            new Set(merged.records.map((r) => String(r.seed))),
            'seed',
          ),
        );
        warn(merged, '');
        Object.assign(files, trialsDataFiles(merged));
        const summary = { ...trialsSummaryOf(merged.spec, merged.records), ...marker };
        Object.assign(files, await trialsReportFiles(summary, storedSpec(merged.spec), flags.out, merged.records));
        text = trialsTable(summary, flags.out);
      } else {
        const merged = mergeSweepDirs(dirs);
        const key = (target: number, seed: number) => `${merged.plan.cells[target].name} seed ${seed}`;
        const present = new Set(merged.cells.flatMap((c, target) => c.records.map((r) => key(target, r.seed))));
        const marker = settle(
          checkCoverage(
            coverageInputs(dirs, (seeds) => sweepJobs(merged.plan, seeds, WHOLE).map((j) => key(j.target, j.seed))),
            present,
            'run',
          ),
        );
        files[SWEEP_FILE] = JSON.stringify(merged.identity, null, 2) + '\n';
        merged.plan.cells.forEach((cell, i) => {
          const m = merged.cells[i];
          warn(m, `, cell ${cell.name}`);
          for (const [name, content] of Object.entries(trialsDataFiles(m))) files[`${CELLS_DIR}/${cell.name}/${name}`] = content;
          files[`${CELLS_DIR}/${cell.name}/summary.json`] = jsonWithUnits(trialsSummaryOf(cell.spec, m.records));
        });
        const summary = {
          ...summarizeSweep(
            merged.plan,
            merged.identity.baseHash,
            merged.cells.map((c) => c.records),
          ),
          ...marker,
        };
        Object.assign(
          files,
          await sweepReportFiles(
            summary,
            merged.identity.base,
            merged.identity.grid,
            merged.plan.cells.map((cell, i) => ({ grid: cell.texts, records: merged.cells[i].records })),
          ),
        );
        text = sweepTable(
          summary,
          merged.plan.axes.map((a) => a.key),
        );
      }
      writeDirectoryAtomically(flags.out, files, { force: flags.force });
      if (!flags.quiet) process.stdout.write(text);
      process.stdout.write(`merged ${dirs.length} directories → ${flags.out}\n`);
    });
}
