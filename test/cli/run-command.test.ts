import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { infoplane } from '../helpers/cli.ts';

const small = ['--epochs', '2', '--train-size', '600', '--test-size', '300', '--hidden', '32,8'];
const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-cli-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('infoplane run', () => {
  it('writes the resolved spec, per-epoch metrics (JSONL and CSV) and a summary', () => {
    const out = join(tmp(), 'run');
    const r = infoplane(['run', ...small, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'metrics.csv',
      'metrics.jsonl',
      'mi.csv',
      'mi.jsonl',
      'plots',
      'report.html',
      'spec.json',
      'summary.json',
      'timing.json',
    ]);
    expect(readdirSync(join(out, 'plots')).sort()).toEqual(['information-plane', 'mi-vs-epoch', 'training'].flatMap((p) => [`${p}.png`, `${p}.svg`]));
    // MI at init (epoch 0) and after each epoch, for each of the 3 layers, with the stated estimator and ceilings.
    const mi = read(out, 'mi.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(mi.map((r) => `${r.epoch}:${r.layer}`)).toEqual(['0:h1', '0:h2', '0:out', '1:h1', '1:h2', '1:out', '2:h1', '2:h2', '2:out']);
    expect(mi[0]).toMatchObject({ estimator: 'fixed:30', xMode: 'each-sample-distinct', ceilingX: Math.log2(900) });
    for (const r of mi) expect(r.ixt).toBeLessThanOrEqual(r.ceilingX + 1e-9);
    const lines = read(out, 'metrics.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    const csv = read(out, 'metrics.csv').trim().split('\n');
    expect(csv[0]).toBe('epoch,trainLoss,trainAcc,testLoss,testAcc');
    expect(csv).toHaveLength(3);
    expect(JSON.parse(read(out, 'spec.json')).net.hidden).toEqual([32, 8]);
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.final.testAcc).toBe(lines[1].testAcc);
    expect(summary.data.testMajorityRate).toBeGreaterThan(0.5);
    expect(summary.pruning.collapse).toBe(false);
    expect(r.stderr).toMatch(/epoch +2 +loss/);
  });

  it('gives byte-identical outputs for the same seed, on 1 and 2 threads', () => {
    const dir = tmp();
    const a = infoplane(['run', ...small, '--seed', '5', '--threads', '1', '--out', join(dir, 'a')]);
    const b = infoplane(['run', ...small, '--seed', '5', '--threads', '2', '--out', join(dir, 'b')]);
    const c = infoplane(['run', ...small, '--seed', '6', '--out', join(dir, 'c')]);
    expect([a.status, b.status, c.status]).toEqual([0, 0, 0]);
    for (const f of ['metrics.jsonl', 'metrics.csv', 'summary.json', 'mi.jsonl', 'plots/information-plane.svg', 'report.html'])
      expect(read(join(dir, 'b'), f)).toBe(read(join(dir, 'a'), f));
    expect(read(join(dir, 'c'), 'metrics.jsonl')).not.toBe(read(join(dir, 'a'), 'metrics.jsonl'));
  });

  it('takes a spec file and lets flags override it', () => {
    const dir = tmp();
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ seed: 3, net: { hidden: [16] }, train: { epochs: 3 }, data: { trainSize: 500, testSize: 200 } }));
    const r = infoplane(['run', '--spec', spec, '--epochs', '1', '--out', join(dir, 'o')]);
    expect(r.status, r.stderr).toBe(0);
    const resolved = JSON.parse(read(join(dir, 'o'), 'spec.json'));
    expect([resolved.seed, resolved.net.hidden, resolved.train.epochs]).toEqual([3, [16], 1]);
  });

  const rejected: [string, string[], RegExp][] = [
    ['a non-numeric flag', ['--lr', 'abc'], /--lr: expected a number, got "abc"/],
    ['a negative learning rate', ['--lr', '-1'], /spec\.train\.lr: .*got -1/],
    ['an unknown task', ['--task', 'odd'], /spec\.data\.task: .*"odd"/],
    ['an amount above 1', ['--prune', 'global-weight', '--amount', '1.5'], /amount.*1\.5/],
    ['neuron pruning of the output layer', ['--prune', 'layer-neuron', '--amount', '0.5', '--layers', '3'], /layers.*output layer/],
    ['an unknown layer', ['--prune', 'layer-weight', '--amount', '0.5', '--layers', '9'], /layers.*9/],
    ['--amount without --prune', ['--amount', '0.5'], /--amount: only meaningful with --prune/],
    ['an unknown flag', ['--bogus'], /unknown option/],
  ];
  it.each(rejected)('rejects %s with exit code 2 and no output', (_name, args, message) => {
    const out = join(tmp(), 'never');
    const r = infoplane(['run', ...small, ...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects an invalid spec file naming the field, and refuses to overwrite a run', () => {
    const dir = tmp();
    const spec = join(dir, 'bad.json');
    writeFileSync(spec, JSON.stringify({ train: { batchSize: 0 } }));
    const bad = infoplane(['run', '--spec', spec, '--out', join(dir, 'x')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/spec\.train\.batchSize: .*got 0/);
    writeFileSync(join(dir, 'notjson.json'), '{');
    expect(infoplane(['run', '--spec', join(dir, 'notjson.json')]).status).toBe(2);
    const out = join(dir, 'once');
    expect(infoplane(['run', ...small, '--epochs', '1', '--out', out]).status).toBe(0);
    const again = infoplane(['run', ...small, '--epochs', '1', '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('flags layer collapse up front: global L1 at 0.9 empties the 1024→20 layer', () => {
    const out = join(tmp(), 'collapse');
    const r = infoplane(['run', '--epochs', '1', '--train-size', '600', '--test-size', '300', '--prune', 'global-weight', '--amount', '0.9', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/LAYER COLLAPSE/);
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.pruning.collapse).toBe(true);
    expect(summary.pruning.layers[1].kept).toBe(0);
  });
});
