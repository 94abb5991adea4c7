// A file inside an output directory that is replaced whole or not at all:
// written to a temporary sibling, fsynced, then renamed over the old one.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OutputWriteError } from '../../report/write-error.ts';

export function writeFileAtomically(path: string, content: string | Uint8Array): void {
  const staging = `${path}.partial-${process.pid}`;
  try {
    const fd = openSync(staging, 'w');
    try {
      if (typeof content === 'string') writeSync(fd, content);
      else writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(staging, path);
  } catch (err) {
    rmSync(staging, { force: true });
    throw new OutputWriteError(path, err);
  }
}

/** Writes each file (paths relative to dir) atomically, creating folders as needed. */
export function writeFilesAtomically(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomically(path, content);
  }
}
