// Runs the CLI as a user would: a separate node process, real exit code.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** `env` adds to (or, with undefined values, removes from) this process's environment. */
export function infoplane(args: string[], cwd = repoRoot, env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'src/cli/bin.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: Object.fromEntries(Object.entries({ ...process.env, CI: 'true', ...env }).filter(([, v]) => v !== undefined)),
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
