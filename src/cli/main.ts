// The infoplane command line. Usage errors exit 2, failures 1.
import { Command, CommanderError } from 'commander';
import { OutputExistsError } from '../report/atomic-dir.ts';
import { SpecError } from '../experiment/spec.ts';
import { UsageError } from './errors.ts';
import { registerRunCommand } from './run-command.ts';
import { registerBackendsCommand } from './backends-command.ts';
import { registerReportCommand } from './report-command.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('infoplane')
    .description('Pruning at initialization and the information plane of neural networks')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerRunCommand(program);
  registerBackendsCommand(program);
  registerReportCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const usage = err instanceof UsageError || err instanceof SpecError || err instanceof OutputExistsError || (err as Error).name === 'PruneError';
    process.stderr.write(`infoplane: ${(err as Error).message}\n`);
    return usage ? 2 : 1;
  }
}


