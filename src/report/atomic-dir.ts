// Outputs appear whole or not at all: a run writes into a sibling temporary
// directory and renames it into place only when every file is written.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { namingPath } from './write-error.ts';

export class OutputExistsError extends Error {
  override name = 'OutputExistsError';
}

export function writeDirectoryAtomically(out: string, files: Record<string, string | Uint8Array>, options: { force?: boolean } = {}): void {
  if (existsSync(out) && !options.force) {
    throw new OutputExistsError(`out: ${out} already exists (pass --force to replace it)`);
  }
  namingPath(out, () => mkdirSync(dirname(out), { recursive: true }));
  const staging = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [name, content] of Object.entries(files)) {
      const path = join(staging, name);
      namingPath(join(out, name), () => {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      });
    }
    namingPath(out, () => {
      if (existsSync(out)) rmSync(out, { recursive: true, force: true });
      renameSync(staging, out);
    });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
