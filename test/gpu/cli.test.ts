// The gpu backend from the command line: `infoplane backends` lists it with
// gpu.js's pick and the reason it is unavailable; `--backend gpu` fails fast
// with exit 2 and an install hint where gpu.js has no GL context (no DISPLAY
// is given to the child, so this holds whether or not `gl` is built);
// `--backend auto` never picks gpu; a forced CPU mode runs end to end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, selectBackend } from '../../src/backend/registry.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'infoplane-gpu-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function infoplane(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string; seconds: number } {
  const { DISPLAY: _display, INFOPLANE_GPUJS_MODE: _mode, ...rest } = process.env;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'src/cli/bin.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...rest, CI: 'true', ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

describe('infoplane backends', () => {
  it('lists gpu as unavailable without a display, with the mode gpu.js picked and how to fix it', () => {
    const r = infoplane(['backends']);
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('gpu '));
    expect(line).toMatch(/^gpu +unavailable \(gpu\.js 2\.24\.\d+, mode webasm\): gpu\.js 2\.24\.\d+ has no GPU here: /);
    expect(line).toContain('xvfb-run -a');
    expect(r.stdout).toMatch(/^native +available/m);
  });

  it('lists gpu as available in a forced CPU mode, naming it', () => {
    const r = infoplane(['backends'], { INFOPLANE_GPUJS_MODE: 'cpu' });
    expect(r.stdout).toMatch(/^gpu +available \(gpu\.js 2\.24\.\d+, mode cpu, requested cpu; native for the other ops\)$/m);
  });
});

describe('infoplane run --backend', () => {
  it('gpu without a GL context: exit 2 at once, saying what is missing and how to install it, no output', () => {
    const out = join(scratch, 'no-gpu');
    const r = infoplane(['run', '--backend', 'gpu', '--epochs', '1', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^infoplane: backend gpu is unavailable: gpu\.js 2\.24\.\d+ has no GPU here: .*xvfb-run -a/);
    expect(r.stderr).toContain('INFOPLANE_GPUJS_MODE=webasm');
    expect(existsSync(out)).toBe(false);
    expect(r.seconds).toBeLessThan(20); // before any data is loaded or trained on
  });

  it("gpu in gpu.js's cpu mode trains end to end and records backend gpu", () => {
    const out = join(scratch, 'cpu-mode');
    const r = infoplane(
      [
        'run',
        '--backend',
        'gpu',
        '--epochs',
        '1',
        '--hidden',
        '16',
        '--train-size',
        '400',
        '--test-size',
        '200',
        '--mi-epochs',
        'none',
        '--quiet',
        '--out',
        out,
      ],
      { INFOPLANE_GPUJS_MODE: 'cpu' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { backend: string; final: { testAcc: number } };
    expect(summary.backend).toBe('gpu');
    expect(summary.final.testAcc).toBeGreaterThan(0.6);
  });

  it('auto picks native, never gpu, and availableBackends lists gpu with its mode', () => {
    expect(selectBackend('auto').name).toBe('native');
    const gpu = availableBackends().find((b) => b.name === 'gpu');
    expect(gpu).toBeDefined();
    expect(typeof gpu!.mode).toBe('string');
    if (!gpu!.available) expect(gpu!.reason).toMatch(/gpu\.js|gl/);
  });
});
