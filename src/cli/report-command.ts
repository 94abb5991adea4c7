// `infoplane report <run-dir>`: re-render the plots and report.html of a finished run.
import { writeFilesAtomically } from '../core/atomic-write.ts';
import { InputError } from '../core/input-error.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runFigureFiles, type RunRecord } from '../report/run-figures.ts';

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export function readRunDirectory(dir: string): RunRecord {
  try {
    return {
      spec: JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')),
      summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')),
      history: readJsonl(join(dir, 'metrics.jsonl')),
      mi: readJsonl(join(dir, 'mi.jsonl')),
      kde: existsSync(join(dir, 'kde.jsonl')) ? readJsonl(join(dir, 'kde.jsonl')) : [],
    };
  } catch (err) {
    throw new InputError(`run-dir: ${dir} is not a complete infoplane run (${(err as Error).message})`);
  }
}

export function registerReportCommand(program: Command): void {
  program
    .command('report <run-dir>')
    .description('re-render the plots (SVG, PNG) and report.html of a finished run')
    .action(async (dir: string) => {
      const files = await runFigureFiles(readRunDirectory(dir));
      writeFilesAtomically(dir, files);
      process.stdout.write(`rendered ${Object.keys(files).length} files in ${dir}\n`);
    });
}
