// The flat tables as pandas or R would read them: parsed with a real CSV
// parser, one row per key (run: epoch × layer × estimator; trials: seed;
// trials-mi: seed × epoch × layer; sweep: cell × seed), headers as documented,
// and every JSON file stating its units.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { inProcess } from '../trials/cli.ts';

const SMALL = ['--epochs', '2', '--train-size', '300', '--test-size', '100', '--hidden', '12,6', '--quiet'];

function table(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function expectUniqueKeys(rows: readonly Record<string, string>[], key: readonly string[]): void {
  const keys = rows.map((r) => key.map((k) => r[k]).join('|'));
  expect(new Set(keys).size, `duplicate ${key.join('×')}`).toBe(rows.length);
}

const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-tables-'));

describe('tables', () => {
  it('a run: mi.csv and kde.csv have one row per epoch, layer and estimator, with range, seed and spec hash; summary.json states units', async () => {
    const out = join(tmp(), 'run');
    const r = await inProcess(['run', ...SMALL, '--seed', '4', '--bins', '10,30', '--kde', '--kde-subsample', '50', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const mi = table(join(out, 'mi.csv'));
    expect(mi.length).toBe(3 * 3 * 2); // epochs 0..2 × h1,h2,out × fixed:10,fixed:30
    expectUniqueKeys(mi, ['epoch', 'layer', 'estimator']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(new Set(mi.map((row) => row.seed))).toEqual(new Set(['4']));
    expect(new Set(mi.map((row) => row.specHash))).toEqual(new Set([summary.specHash]));
    const h1 = mi.find((row) => row.layer === 'h1')!;
    expect([Number(h1.rangeLo), Number(h1.rangeHi)]).toEqual([-1, 1]);
    const out1 = mi.find((row) => row.layer === 'out')!;
    expect([Number(out1.rangeLo), Number(out1.rangeHi)]).toEqual([0, 1]);
    const kde = table(join(out, 'kde.csv'));
    expect(kde.length).toBe(3 * 3);
    expectUniqueKeys(kde, ['epoch', 'layer', 'noiseVariance']);
    const jsonl = readFileSync(join(out, 'kde.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(kde.map((row) => Number(row.htUpper))).toEqual(jsonl.map((k) => k.htUpper));
    expect(Object.keys(summary)[0]).toBe('units');
    expect(summary.units.ixt).toBe('bits');
    expect(summary.units.htUpper).toMatch(/differential/);
  });

  it('trials: trials.csv has one row per seed with every outcome label; trials-mi.csv one row per seed, epoch and layer', async () => {
    const out = join(tmp(), 'trials');
    const r = await inProcess(['trials', ...SMALL, '--seeds', '1..3', '--workers', '1', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const trials = table(join(out, 'trials.csv'));
    expect(trials.map((row) => row.seed)).toEqual(['1', '2', '3']);
    expectUniqueKeys(trials, ['seed']);
    const journal = readFileSync(join(out, 'trials.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const row of trials) {
      const record = journal.find((j) => String(j.seed) === row.seed);
      expect(row.accuracy).toBe(record.outcome.accuracy);
      expect(row.combination).toBe(record.outcome.combination);
      expect(row['plane:h2']).toBe(record.outcome.planes.h2);
      expect(row['plane:out']).toBe(record.outcome.planes.out);
      expect(Number(row.testAcc)).toBe(record.final.testAcc);
      expect(Number(row.weightsKept)).toBe(record.pruning.kept);
      expect(Number(row['h2.peakIxt'])).toBe(record.mi['fixed:30'].h2.peakIxt);
    }
    const mi = table(join(out, 'trials-mi.csv'));
    expect(mi.length).toBe(3 * 3 * 3); // seeds × epochs 0..2 × h1,h2,out
    expectUniqueKeys(mi, ['seed', 'epoch', 'layer']);
    expect(Object.keys(mi[0])).toEqual(['specHash', 'seed', 'epoch', 'layer', 'estimator', 'ixt', 'ity', 'ht', 'saturated', 'rangeLo', 'rangeHi']);
    expect(new Set(mi.map((row) => row.saturated))).not.toContain('');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.units.fraction).toMatch(/fraction/);
  });

  it('a sweep: the tables stack the cells behind the grid columns, one row per cell and seed', async () => {
    const out = join(tmp(), 'sweep');
    const r = await inProcess([
      'sweep',
      ...SMALL,
      '--prune',
      'global-weight',
      '--amount',
      '0.5',
      '--grid',
      'amount=0.2,0.8',
      '--seeds',
      '1..2',
      '--workers',
      '1',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const trials = table(join(out, 'trials.csv'));
    expect(Object.keys(trials[0])[0]).toBe('amount');
    expect(trials.map((row) => `${row.amount}/${row.seed}`)).toEqual(['0.2/1', '0.2/2', '0.8/1', '0.8/2']);
    expectUniqueKeys(trials, ['amount', 'seed']);
    expect(Number(trials[2].density)).toBeLessThan(Number(trials[0].density));
    const mi = table(join(out, 'trials-mi.csv'));
    expectUniqueKeys(mi, ['amount', 'seed', 'epoch', 'layer']);
    expect(mi.length).toBe(2 * 2 * 3 * 3);
  });
});
