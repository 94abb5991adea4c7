// The CLI checks before it computes: every output path is refused up front
// (exit 2, naming the path) when it exists, is a dangling symlink, sits under
// a file or cannot be written; a failed write names its file and leaves no
// temporary file; --version, --dry-run and the --seed hint for trials.
import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcess } from '../trials/cli.ts';

const SMALL = ['--epochs', '1', '--train-size', '200', '--test-size', '100', '--hidden', '8', '--quiet'];
const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-outputs-'));

describe('output paths are checked before any computation', () => {
  const cases: [string, (dir: string) => string, RegExp][] = [
    ['an existing directory', (d) => d, /already exists \(pass --force/],
    ['a dangling symlink', (d) => (symlinkSync(join(d, 'gone', 'x'), join(d, 'link')), join(d, 'link')), /dangling symlink/],
    ['a path under a file', (d) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'run')), /is not a directory/],
    ['a path in an unwritable place', () => '/proc/infoplane-run', /is not writable/],
  ];
  for (const command of ['run', 'trials', 'sweep'] as const) {
    for (const [what, make, message] of cases) {
      if (command !== 'run' && what === 'an existing directory') continue; // trials and sweeps resume an existing directory
      it(`${command} --out ${what}: exit 2 naming the path, before training`, async () => {
        const out = make(tmp());
        const extra = command === 'run' ? [] : command === 'trials' ? ['--seeds', '1'] : ['--seeds', '1', '--grid', 'epochs=1,2'];
        const started = performance.now();
        const r = await inProcess([command, ...SMALL, ...extra, '--out', out]);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toContain(out);
        expect(r.stderr).not.toMatch(/epoch|to run/);
        expect(performance.now() - started).toBeLessThan(3000);
      });
    }
  }

  it('mi --json DIR is refused up front and leaves no temporary file', async () => {
    const dir = tmp();
    const r = await inProcess(['mi', 'test/fixtures/npy/acts-h1.npy', '--labels', 'test/fixtures/npy/acts-y.npy', '--json', dir, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--json: ${dir} is a directory`);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(join(dir, '..')).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('mi --json FILE states its units and replaces an old file whole', async () => {
    const dir = tmp();
    const json = join(dir, 'mi.json');
    writeFileSync(json, 'old');
    const r = await inProcess(['mi', 'test/fixtures/npy/acts-h1.npy', '--labels', 'test/fixtures/npy/acts-y.npy', '--json', json, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse((await import('node:fs')).readFileSync(json, 'utf8'));
    expect(Object.keys(doc)[0]).toBe('units');
    expect(readdirSync(dir)).toEqual(['mi.json']);
  });
});

describe('a failed write', () => {
  it('names the file, exits non-zero and leaves no temporary file (disk full: /dev/full)', async () => {
    const { writeFileAtomically } = await import('../../src/core/atomic-write.ts');
    const dir = tmp();
    // The staging file is .<name>.partial-<pid>: make it /dev/full so the write hits ENOSPC.
    const path = join(dir, 'summary.json');
    symlinkSync('/dev/full', join(dir, `.summary.json.partial-${process.pid}`));
    expect(() => writeFileAtomically(path, 'x'.repeat(100))).toThrow(`cannot write ${path}: the disk is full (ENOSPC)`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('--version, --dry-run, --seed', () => {
  it('--version prints the package version', async () => {
    const r = await inProcess(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('run/trials/sweep --dry-run print the resolved spec, the number of runs and a projected time, and write nothing', async () => {
    const base = tmp();
    for (const [args, runs] of [
      [['run', '--seed', '3'], 1],
      [['trials', '--seeds', '1..6', '--workers', '2'], 6],
      [['sweep', '--seeds', '1..2', '--grid', 'epochs=1,2,3'], 6],
    ] as [string[], number][]) {
      const out = join(base, args[0]);
      const r = await inProcess([...args, ...SMALL, '--dry-run', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/resolved spec \(hash [0-9a-f]+\)/);
      expect(r.stdout).toContain('"hidden": [\n');
      expect(r.stdout).toMatch(new RegExp(`runs: ${runs}\\b`));
      expect(r.stdout).toMatch(/projected: [\d.]+ (s|min|h) per run/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('trials --seed suggests --seeds', async () => {
    const r = await inProcess(['trials', ...SMALL, '--seed', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('use --seeds 3');
  });
});

describe('progress and warnings', () => {
  it('a long run prints a summary every K epochs, not a line per epoch', async () => {
    const { Progress, summaryEvery } = await import('../../src/cli/progress.ts');
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) > 0 } as unknown as NodeJS.WriteStream;
    const progress = new Progress(stream, 8000, false);
    for (let epoch = 1; epoch <= 8000; epoch++) progress.epoch({ epoch, trainLoss: 1 / epoch, trainAcc: 0.5, testLoss: 1, testAcc: 0.5 + epoch / 20000 }, 0.01);
    expect(summaryEvery(8000)).toBe(200);
    expect(lines.length).toBe(40);
    expect(lines[0]).toMatch(/^epochs 1–200\/8000 .*ETA/);
    expect(lines[39]).toMatch(/^epochs 7801–8000\/8000 .*test acc 90\.00% \(best 90\.00%\)/);
    expect(summaryEvery(20)).toBe(1);
  });

  it('a sweep of more than 10 cells raises no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const listener = (w: Error) => warnings.push(w.name);
    process.on('warning', listener);
    try {
      const r = await inProcess([
        'sweep',
        '--epochs',
        '1',
        '--train-size',
        '100',
        '--test-size',
        '50',
        '--hidden',
        '4',
        '--mi-epochs',
        'none',
        '--quiet',
        '--grid',
        'lr=0.001,0.002,0.003,0.004,0.005,0.006,0.007,0.008,0.009,0.01,0.011,0.012',
        '--seeds',
        '1',
        '--workers',
        '1',
        '--out',
        join(tmp(), 'sweep'),
      ]);
      expect(r.status, r.stderr).toBe(0);
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
