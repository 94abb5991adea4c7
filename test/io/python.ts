// /usr/bin/python3 with numpy, when this machine has it: tests that need it
// skip with a message otherwise (the committed fixtures cover the reader).
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

function probe(): { ok: boolean; why: string } {
  const r = spawnSync(PYTHON, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (r.error) return { ok: false, why: `${PYTHON} not found (${(r.error as NodeJS.ErrnoException).code})` };
  if (r.status !== 0) return { ok: false, why: `${PYTHON} has no numpy` };
  return { ok: true, why: `numpy ${r.stdout.trim()}` };
}

export const numpy = probe();
if (!numpy.ok) console.warn(`skipping the numpy round-trip checks: ${numpy.why}`);

/** Runs a Python program with numpy; throws with its stderr when it fails. Returns stdout. */
export function python(program: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', program, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
