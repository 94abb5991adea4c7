// The information plane inside `infoplane run`: schedules, sample sets, binned
// X, KDE bounds, several binnings, and `infoplane report` re-rendering.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { miEpochs } from '../../src/experiment/mi-measure.ts';
import { infoplane } from '../helpers/cli.ts';

const small = ['--train-size', '500', '--test-size', '200', '--hidden', '24,6'];
const jsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('MI during a run', () => {
  it('measures on the chosen samples, on a log schedule, with a binned X and KDE bounds', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'infoplane-mi-')), 'run');
    const r = infoplane([
      'run',
      ...small,
      '--epochs',
      '8',
      '--mi-epochs',
      'log:3',
      '--mi-on',
      'test',
      '--bins',
      '10,30',
      '--mi-x',
      'fixed:2:0:1',
      '--kde',
      '--kde-subsample',
      '100',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const mi = jsonl(join(out, 'mi.jsonl'));
    expect([...new Set(mi.map((m) => m.epoch))]).toEqual([...miEpochs('log:3', 8)].sort((a, b) => a - b));
    expect(new Set(mi.map((m) => m.estimator))).toEqual(new Set(['fixed:10', 'fixed:30']));
    for (const m of mi) {
      expect(m.xMode).toBe('binned');
      expect(m.ixt).toBeLessThanOrEqual(m.ceilingX + 1e-9);
      expect(m.ity).toBeLessThanOrEqual(m.ceilingY + 1e-9);
      expect(m.ceilingX).toBeLessThanOrEqual(Math.log2(200) + 1e-9); // H(X) over the 200 test rows
    }
    const kde = jsonl(join(out, 'kde.jsonl'));
    expect(kde.length).toBe(3 * new Set(mi.map((m) => m.epoch)).size);
    for (const k of kde) {
      expect(k.ixtLower).toBeLessThanOrEqual(k.ixtUpper);
      expect(k.samples).toBe(100);
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('kde-upper:0.1');
  });

  it('log:K always includes the initialisation and the last epoch', () => {
    expect([...miEpochs('log:4', 100)].sort((a, b) => a - b)).toEqual([0, 1, 5, 22, 100]);
    expect(miEpochs('none', 10).size).toBe(0);
    expect(miEpochs('every', 3)).toEqual(new Set([0, 1, 2, 3]));
  });

  it('`infoplane report` re-renders the same plots and page from the run directory', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'infoplane-report-')), 'run');
    expect(infoplane(['run', ...small, '--epochs', '2', '--out', out]).status).toBe(0);
    const before = ['report.html', 'plots/information-plane.svg', 'plots/training.png'].map((f) => readFileSync(join(out, f)));
    rmSync(join(out, 'plots'), { recursive: true });
    rmSync(join(out, 'report.html'));
    const r = infoplane(['report', out]);
    expect(r.status, r.stderr).toBe(0);
    const after = ['report.html', 'plots/information-plane.svg', 'plots/training.png'].map((f) => readFileSync(join(out, f)));
    after.forEach((buf, i) => expect(buf.equals(before[i])).toBe(true));
    expect(infoplane(['report', join(out, 'nope')]).status).toBe(2);
  });

  it('adaptive binning with --range global bins every epoch over the run-wide min and max of each layer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-range-'));
    const args = [...small, '--epochs', '3', '--scheme', 'adaptive', '--bins', '30'];
    expect(infoplane(['run', ...args, '--out', join(dir, 'epoch')]).status).toBe(0);
    expect(infoplane(['run', ...args, '--range', 'global', '--out', join(dir, 'global')]).status).toBe(0);
    const perEpoch = jsonl(join(dir, 'epoch', 'mi.jsonl'));
    const global = jsonl(join(dir, 'global', 'mi.jsonl'));
    expect(global.map((r) => `${r.epoch}:${r.layer}`)).toEqual(perEpoch.map((r) => `${r.epoch}:${r.layer}`));
    for (const layer of ['h1', 'h2', 'out']) {
      const ranges = perEpoch.filter((r) => r.layer === layer).map((r) => r.range);
      const expected = [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
      for (const r of global.filter((g) => g.layer === layer)) {
        expect(r.estimator).toBe('adaptive:30:global');
        expect(r.range).toEqual(expected);
      }
    }
  });

  it('rejects a bad binning naming the field', () => {
    const r = infoplane(['run', ...small, '--epochs', '1', '--scheme', 'octile', '--out', join(tmpdir(), 'never-mi')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/spec\.mi\.binning\[0\].*octile/);
  });
});
