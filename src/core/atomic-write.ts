// Outputs appear whole or not at all: every file is written to a temporary
// sibling, fsynced, and renamed over its final name; a directory is filled
// under a temporary name and renamed into place once every file is on disk.
// The parent directory is fsynced after a rename so the new name survives a
// crash too (POSIX rename is atomic, but only durable once the directory is).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './input-error.ts';
import { namingPath, OutputWriteError } from './write-error.ts';

function writeDurably(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomically(path: string, content: string | Uint8Array): void {
  const staging = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    writeDurably(staging, content);
    renameSync(staging, path);
  } catch (err) {
    rmSync(staging, { force: true });
    throw new OutputWriteError(path, err);
  }
  fsyncDirectory(dirname(path));
}

/** Writes each file (paths relative to dir) atomically, creating folders as needed. */
export function writeFilesAtomically(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomically(path, content);
  }
}

/** Writes a whole directory; an existing `out` is an error unless `force` replaces it. */
export function writeDirectoryAtomically(out: string, files: Record<string, string | Uint8Array>, options: { force?: boolean } = {}): void {
  if (existsSync(out) && !options.force) {
    throw new InputError('out', `${out} already exists (pass --force to replace it)`);
  }
  namingPath(out, () => mkdirSync(dirname(out), { recursive: true }));
  const staging = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [name, content] of Object.entries(files)) {
      const path = join(staging, name);
      namingPath(join(out, name), () => {
        mkdirSync(dirname(path), { recursive: true });
        writeDurably(path, content);
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
  fsyncDirectory(dirname(out));
}
