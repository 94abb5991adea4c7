// The infoplane command line. Usage errors exit 2, failures 1.
import { createRequire } from 'node:module';
import { InputError } from '../core/input-error.ts';
import { Command, CommanderError } from 'commander';
import { registerRunCommand } from './run-command.ts';
import { registerBackendsCommand } from './backends-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerTrialsCommand } from './trials-command.ts';
import { registerSweepCommand } from './sweep-command.ts';
import { registerMergeCommand } from './merge-command.ts';
import { registerMiCommand } from './mi-command.ts';
import { registerPresetsCommand } from './presets-command.ts';

/** `extraCommands` register commands that live outside cli/ (the entry point adds `bench`). */
export async function main(argv: string[], extraCommands: ((program: Command) => void)[] = []): Promise<number> {
  const program = new Command('infoplane')
    .description('Pruning at initialization and the information plane of neural networks')
    .version((createRequire(import.meta.url)('../../package.json') as { version: string }).version, '--version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerRunCommand(program);
  registerBackendsCommand(program);
  registerReportCommand(program);
  // trials and sweep reuse the run command's flags: register them after it.
  registerTrialsCommand(program);
  registerSweepCommand(program);
  registerMergeCommand(program);
  registerMiCommand(program);
  registerPresetsCommand(program);
  for (const register of extraCommands) register(program);
  (await import('./reproduce-command.ts')).registerReproduceCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const usage = err instanceof InputError;
    process.stderr.write(`infoplane: ${(err as Error).message}\n`);
    return usage ? 2 : 1;
  }
}
