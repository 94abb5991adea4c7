// One writer per output directory: two processes appending to one journal
// could run the same seed twice. The lock file holds the owner's host and
// pid. A lock of a live process on this host is refused; a lock left by a
// dead one is taken over, and so is one from another host (whether it lives
// cannot be told from here: a batch engine's replacement pod resuming a
// shard on shared storage is the usual case), with a warning.
import { InputError } from '../../core/input-error.ts';
import { hostname } from 'node:os';
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = '.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// One 'exit' listener for every held lock: a listener per lock would trip
// Node's MaxListenersExceededWarning on a sweep of more than 10 cells.
const held = new Set<DirectoryLock>();
const releaseAll = () => {
  for (const lock of [...held]) lock.release();
};

export class DirectoryLock {
  private released = false;

  private constructor(private readonly path: string) {
    if (held.size === 0) process.on('exit', releaseAll);
    held.add(this);
  }

  static acquire(dir: string): DirectoryLock {
    const path = join(dir, LOCK_FILE);
    const me = JSON.stringify({ host: hostname(), pid: process.pid });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, me);
        closeSync(fd);
        return new DirectoryLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        let owner: { host?: string; pid?: number } = {};
        try {
          owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
        } catch {
          // An empty or half-written lock: its writer died between open and write.
        }
        if (owner.host === hostname() && typeof owner.pid === 'number' && owner.pid !== process.pid && alive(owner.pid)) {
          throw new InputError(`out: ${dir} is in use by another infoplane process (pid ${owner.pid}); wait for it or give another --out`);
        }
        if (owner.host !== undefined && owner.host !== hostname()) {
          // Cannot tell whether it lives: a batch engine's replacement pod or node takes over its shard.
          process.stderr.write(`infoplane: taking over ${dir} from host ${owner.host} (pid ${owner.pid}); stop that process if it still runs\n`);
        }
        rmSync(path, { force: true });
      }
    }
    throw new InputError(`out: could not lock ${dir}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    if (held.size === 0) process.off('exit', releaseAll);
    rmSync(this.path, { force: true });
  }
}
