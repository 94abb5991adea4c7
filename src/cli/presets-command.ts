// `infoplane presets [NAME]`: every preset (or one) in full, as JSON — the
// resolved spec it starts a run from, so what `--preset NAME` does is never
// hidden. Flags and spec fields given with --preset override these fields.
import { InputError } from '../core/input-error.ts';
import type { Command } from 'commander';
import { findPreset, PRESETS, presetDocument } from '../experiment/presets.ts';
import { parseSpec } from '../experiment/spec.ts';

export function presetsJson(name?: string): string {
  const resolve = (doc: unknown) => parseSpec(doc) as unknown as Record<string, unknown>;
  let chosen = PRESETS;
  if (name !== undefined) {
    try {
      chosen = [findPreset(name)];
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`presets: ${err.problem}`);
      throw err;
    }
  }
  const out = Object.fromEntries(chosen.map((p) => [p.name, presetDocument(p, resolve)]));
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function registerPresetsCommand(program: Command): void {
  program
    .command('presets')
    .argument('[name]', 'print only this preset')
    .description('print the published set-ups usable with run --preset NAME, in full, as JSON')
    .action((name?: string) => {
      process.stdout.write(presetsJson(name));
    });
}
