// `infoplane mi --bias-correction miller-madow` against a hand-computed case,
// `--bin-space pre` against binning the pre-activations themselves, and the
// refusals of both flags (exit 2, the flag and value named, no JSON).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/io/npy.ts';
import { cliInProcess as cli } from '../helpers/cli-in-process.ts';

function write(dir: string, name: string, data: Float32Array | Int32Array, shape: number[]): string {
  const file = join(dir, name);
  writeFileSync(file, encodeNpy({ data, shape }));
  return file;
}

describe('infoplane mi --bias-correction miller-madow', () => {
  it('records the corrected values beside the plug-in ones, each entropy + (m − 1)/(2N ln 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-mm-'));
    // N = 6 rows, one unit; fixed:3 over [-1, 1] puts them in bins a a b b c c (m_T = 3).
    const t = write(dir, 't.npy', Float32Array.of(-0.9, -0.9, 0, 0, 0.9, 0.9), [6, 1]);
    // Y alternates, so (T, Y) has 6 distinct pairs: H(T) = log2 3, H(Y) = 1, H(T,Y) = log2 6.
    const y = write(dir, 'y.npy', Int32Array.of(0, 1, 0, 1, 0, 1), [6]);
    const json = join(dir, 'mi.json');
    const r = await cli(['mi', t, '--labels', y, '--bins', '3', '--bias-correction', 'miller-madow', '--json', json]);
    expect(r.status, r.stderr).toBe(0);
    const term = (m: number) => (m - 1) / (2 * 6 * Math.LN2);
    const [p] = JSON.parse(readFileSync(json, 'utf8')).planes[0].points;
    // Each sample its own x: I(X;T) = H(T), corrected by m_T = 3.
    expect(p.ixt).toBeCloseTo(Math.log2(3), 12);
    expect(p.ixtMillerMadow).toBeCloseTo(Math.log2(3) + term(3), 12);
    // I(T;Y) = log2 3 + 1 − log2 6 = 0; corrected: + term(3) + term(2) − term(6) = −1/(6 ln 2).
    expect(p.ity).toBeCloseTo(0, 12);
    expect(p.ityMillerMadow).toBeCloseTo(term(3) + term(2) - term(6), 12);
    expect(p.ityMillerMadow).toBeCloseTo(-1 / (6 * Math.LN2), 12);
    expect(r.stdout).toMatch(/I\(X;T\) +I\(T;Y\) +I\(X;T\) MM +I\(T;Y\) MM/);
    expect(r.stdout).toMatch(new RegExp(`\\nt +1 +1\\.5850 +0\\.0000 +${(Math.log2(3) + term(3)).toFixed(4)} +${(-1 / (6 * Math.LN2)).toFixed(4)} `));
  });

  it('leaves the points uncorrected without the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-mm-'));
    const t = write(dir, 't.npy', Float32Array.of(-0.9, 0.9), [2]);
    const y = write(dir, 'y.npy', Int32Array.of(0, 1), [2]);
    const json = join(dir, 'mi.json');
    const r = await cli(['mi', t, '--labels', y, '--json', json]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/MM/);
    expect(JSON.parse(readFileSync(json, 'utf8')).planes[0].points[0]).not.toHaveProperty('ixtMillerMadow');
  });
});

describe('infoplane mi --bin-space pre', () => {
  // Pre-activations away from the edges of fixed:4:-4:4 (…, -2, 0, 2, …), so float32 atanh(tanh z) stays in z's bin.
  const z = Float32Array.of(-3, -1.5, -1, 0.5, 1, 1.5, 3, 3.5);
  const y = Int32Array.of(0, 0, 1, 1, 0, 1, 1, 0);

  it('bins tanh activations as their pre-activations would be binned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-pre-'));
    const tanh = write(dir, 'h.npy', z.map(Math.tanh), [8, 1]);
    const linear = write(dir, 'z.npy', z, [8, 1]);
    const labels = write(dir, 'y.npy', y, [8]);
    const [pre, ref, post] = ['pre.json', 'ref.json', 'post.json'].map((f) => join(dir, f));
    const a = await cli([
      'mi',
      tanh,
      '--labels',
      labels,
      '--activation',
      'tanh',
      '--bin-space',
      'pre',
      '--range',
      '-4,4',
      '--bins',
      '4',
      '--bias-correction',
      'miller-madow',
      '--quiet',
      '--json',
      pre,
    ]);
    const b = await cli([
      'mi',
      linear,
      '--labels',
      labels,
      '--activation',
      'linear',
      '--range',
      '-4,4',
      '--bins',
      '4',
      '--bias-correction',
      'miller-madow',
      '--quiet',
      '--json',
      ref,
    ]);
    const c = await cli(['mi', tanh, '--labels', labels, '--activation', 'tanh', '--range', '-4,4', '--bins', '4', '--quiet', '--json', post]);
    for (const r of [a, b, c]) expect(r.status, r.stderr).toBe(0);
    const [jp, jr, jo] = [pre, ref, post].map((f) => JSON.parse(readFileSync(f, 'utf8')));
    expect(jp.binSpace).toBe('pre');
    expect(jp.planes[0].binning).toBe('fixed:4:-4:4:pre');
    const pick = (p: Record<string, number>) => [p.ixt, p.ity, p.distinct, p.ixtMillerMadow, p.ityMillerMadow];
    expect(pick(jp.planes[0].points[0])).toEqual(pick(jr.planes[0].points[0]));
    // z bins: [-4,-2) [-2,0) [0,2) [2,4] → 4 occupied; the tanh values on the same edges all fall in the two middle bins.
    expect(jp.planes[0].points[0].distinct).toBe(4);
    expect(jo.planes[0].points[0].distinct).toBe(2);
  });

  const refused: [string, string[], RegExp][] = [
    ['an unknown correction', ['--bias-correction', 'panzeri'], /--bias-correction: expected none, miller-madow, got "panzeri"/],
    ['an unknown space', ['--bin-space', 'logit'], /--bin-space: expected post, pre, got "logit"/],
    ['pre without --activation', ['--bin-space', 'pre', '--range', '-4,4'], /--bin-space: pre inverts each layer's activation; name it with --activation/],
    [
      'pre on a sigmoid layer',
      ['--bin-space', 'pre', '--activation', 'sigmoid', '--range', '-4,4'],
      /--bin-space: pre inverts tanh, relu and linear layers .*; h is sigmoid/,
    ],
    [
      'pre with fixed binning and no range',
      ['--bin-space', 'pre', '--activation', 'tanh'],
      /--bin-space: pre-activations are unbounded: fixed:30 needs a range/,
    ],
  ];
  it.each(refused)('refuses %s: exit 2, no JSON', async (_name, args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-pre-'));
    const h = write(dir, 'h.npy', z.map(Math.tanh), [8, 1]);
    const labels = write(dir, 'y.npy', y, [8]);
    const json = join(dir, 'never.json');
    const r = await cli(['mi', h, '--labels', labels, ...args, '--json', json]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(json)).toBe(false);
  });
});
