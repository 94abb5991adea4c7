// `infoplane …` in this process, output captured (fast; the CLI tests of `run`
// spawn it like a user instead, see cli.ts).
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export async function cliInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
