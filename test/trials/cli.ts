// Running the CLI for trials tests: in this process through main() where no
// process boundary is under test (fast: no tsx start, modules loaded once),
// and as separate processes, concurrently, where it is (shards, kill -9).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { repoRoot } from '../helpers/cli.ts';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** main(args) with stdout/stderr captured (and env overrides for the call). */
export async function inProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The CLI as its own process (node --import tsx src/cli/bin.ts), without waiting. */
export function spawnCli(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'src/cli/bin.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, CI: 'true' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ status: code ?? (signal ? -1 : -2), stdout, stderr })));
  return { child, done };
}
