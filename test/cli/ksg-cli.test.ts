// KSG, Miller–Madow and the data-processing check from the command line:
// `infoplane mi --ksg` equals the library call on the same arrays, `infoplane
// run --ksg --bias-correction miller-madow` records ksg.jsonl/ksg.csv, the
// corrected columns, dpi.jsonl and the KSG panel; misuse exits 2.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { cliInProcess } from '../helpers/cli-in-process.ts';
import { activationMatrix, classLabels } from '../../src/io/array-mi.ts';
import { encodeNpy } from '../../src/io/npy.ts';
import { readArrayFile } from '../../src/io/npz.ts';
import { ksgInformationPlane } from '../../src/mi/ksg.ts';
import { symbolEntropy } from '../../src/mi/miller-madow.ts';
import { infoplane, repoRoot } from '../helpers/cli.ts';

const fx = (name: string) => join(repoRoot, 'test/fixtures/npy', name);
const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-ksg-cli-'));
const jsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

const cli = cliInProcess;
afterEach(() => vi.restoreAllMocks());

describe('infoplane mi --ksg', () => {
  it('prints and writes the KSG plane of the library call on the same arrays, X continuous', async () => {
    const dir = tmp();
    const [h2, h1] = readArrayFile(fx('acts.npz'));
    // X: the h1 activations themselves (64 rows), as a separate .npy.
    writeFileSync(join(dir, 'x.npy'), encodeNpy(h1.array));
    const json = join(dir, 'mi.json');
    const r = await cli(['mi', fx('acts.npz'), '--labels', fx('acts-y.npy'), '--x', join(dir, 'x.npy'), '--ksg', '--k', '2', '--seed', '5', '--json', json]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ksg \(Kraskov et al\. 2004, max-norm; Ross 2014 for I\(T;Y\)\): k = 2, 64 samples; bits/);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    const labels = classLabels(readArrayFile(fx('acts-y.npy'))[0].array, 'y').labels;
    const layers = [h2, h1].map((a) => ({ name: a.name, ...activationMatrix(a.array, a.name) }));
    const want = ksgInformationPlane(layers, labels, { k: 2, seed: 5, x: layers[1] });
    expect(doc.ksg).toEqual({ k: 2, points: want });
    expect(want[1].ixt!).toBeGreaterThan(want[0].ixt!); // X = h1 shares more with h1 than with h2
  });

  it.each([
    [['--k', '3'], /--k\/--ksg-subsample: only meaningful with --ksg/],
    [['--ksg', '--k', '0'], /k: must be an integer ≥ 1, got 0/],
  ])('refuses %j with exit 2', async (extra, message) => {
    const r = await cli(['mi', fx('acts.npz'), '--labels', fx('acts-y.npy'), ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('infoplane run --ksg --bias-correction miller-madow --bin-space pre', () => {
  it('records KSG beside binning, the corrected columns, the data-processing check and the KSG panel', () => {
    const out = join(tmp(), 'run');
    const r = infoplane([
      'run',
      '--train-size',
      '300',
      '--test-size',
      '100',
      '--hidden',
      '24,6',
      '--epochs',
      '2',
      '--mi-on',
      'test',
      '--ksg',
      '--k',
      '4',
      '--ksg-subsample',
      '80',
      '--bias-correction',
      'miller-madow',
      '--bin-space',
      'pre',
      '--scheme',
      'adaptive',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const ksg = jsonl(join(out, 'ksg.jsonl'));
    expect(ksg.length).toBe(3 * 3); // epochs 0..2 × layers h1, h2, out
    for (const k of ksg) expect(k).toMatchObject({ k: 4, samples: 80, ixt: expect.any(Number), ity: expect.any(Number) });
    expect(readFileSync(join(out, 'ksg.csv'), 'utf8').split('\n')[0]).toBe('epoch,layer,ixt,ity,k,samples');
    const mi = jsonl(join(out, 'mi.jsonl'));
    expect(new Set(mi.map((m) => m.estimator))).toEqual(new Set(['adaptive:30:pre']));
    for (const m of mi) {
      // each sample its own x: I(X;T) = H(T), so Miller–Madow adds (distinct − 1)/(2N ln 2) to it
      expect(m.ixtMillerMadow).toBeCloseTo(m.ixt + (m.distinct - 1) / (2 * 100 * Math.LN2), 10);
      expect(m.ityMillerMadow).toBeGreaterThan(m.ity - 1e-12 - (m.distinct - 1) / (2 * 100 * Math.LN2));
    }
    expect(readFileSync(join(out, 'mi.csv'), 'utf8').split('\n')[0]).toMatch(/,ixtMillerMadow,ityMillerMadow$/);
    expect(existsSync(join(out, 'plots/ksg-information-plane.svg'))).toBe(true);
    if (existsSync(join(out, 'dpi.jsonl'))) {
      for (const v of jsonl(join(out, 'dpi.jsonl'))) expect(v.value - v.previousValue).toBeGreaterThan(v.tolerance);
    }
  });

  it('refuses --k without --ksg, exit 2', () => {
    const r = infoplane(['run', '--epochs', '1', '--k', '3', '--out', join(tmp(), 'run')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--k\/--ksg-subsample: only meaningful with --ksg/);
  });
});

describe('Miller–Madow by hand', () => {
  it('symbols 0 0 1 2: H = 1.5 bits, 3 occupied bins over 4 samples add 2/(8 ln 2)', () => {
    const h = symbolEntropy([0, 0, 1, 2]);
    expect(h.plugin).toBeCloseTo(1.5, 15);
    expect(h.millerMadow).toBeCloseTo(1.5 + 2 / (8 * Math.LN2), 15);
  });
});
