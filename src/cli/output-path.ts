// Output paths are checked before any computation, so a long run never ends
// in "cannot write": the path must be new (or replaceable), not a dangling
// symlink, and its nearest existing ancestor a directory this process can
// write into. Each refusal names the flag and the path (exit 2).
import { lstatSync, mkdtempSync, rmdirSync, type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/input-error.ts';

export interface OutputRule {
  /** The flag, e.g. `--out`. */
  flag: string;
  /** A directory the command creates (run, trials, sweep) or a file it replaces (`mi --json`). */
  kind: 'directory' | 'file';
  /**
   * What an existing path may be: `refuse` (without --force), `replace`, or
   * `resume` (an existing directory is checked by the caller, e.g. a trials
   * directory of the same spec).
   */
  existing: 'refuse' | 'replace' | 'resume';
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function checkWritableDirectory(dir: string, path: string, flag: string): void {
  let ancestor = resolve(dir);
  while (lstatOrNull(ancestor) === null && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  let stat: Stats;
  try {
    stat = statSync(ancestor);
  } catch {
    throw new InputError(flag, `${path}: ${ancestor} is a dangling symlink`);
  }
  if (!stat.isDirectory()) throw new InputError(flag, `${path}: ${ancestor} is not a directory`);
  // A probe, not access(2): root passes every permission check, yet a read-only mount still refuses it.
  try {
    rmdirSync(mkdtempSync(join(ancestor, '.infoplane-write-check-')));
  } catch (err) {
    throw new InputError(flag, `${path}: ${ancestor} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function checkOutputPath(path: string, rule: OutputRule): void {
  const { flag } = rule;
  const link = lstatOrNull(path);
  if (link?.isSymbolicLink()) {
    try {
      statSync(path);
    } catch {
      throw new InputError(flag, `${path} is a dangling symlink (its target does not exist)`);
    }
  }
  if (link !== null) {
    const stat = statSync(path);
    if (rule.kind === 'directory' && !stat.isDirectory()) throw new InputError(flag, `${path} exists and is not a directory`);
    if (rule.kind === 'file' && stat.isDirectory()) throw new InputError(flag, `${path} is a directory (give a file name)`);
    if (rule.existing === 'refuse') throw new InputError(flag, `${path} already exists (pass --force to replace it)`);
    // The new version replaces the old one by a rename in the same folder.
    checkWritableDirectory(dirname(path), path, flag);
    if (rule.kind === 'directory' && rule.existing === 'resume') checkWritableDirectory(path, path, flag);
    return;
  }
  checkWritableDirectory(dirname(path), path, flag);
}
