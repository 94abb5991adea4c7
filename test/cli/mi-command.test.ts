// `infoplane mi` on files numpy wrote, its refusals (exit 2, the file named),
// and the NumPy side of `infoplane run`: --save (every file checked against
// the .npy format and read back by numpy when /usr/bin/python3 has it) and
// --init-from (a state_dict numpy wrote).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliInProcess } from '../helpers/cli-in-process.ts';
import { parseSpec, specHash } from '../../src/experiment/spec.ts';
import { decodeNpy } from '../../src/io/npy.ts';
import { encodeNpz, readArrayFile } from '../../src/io/npz.ts';
import { l1Unstructured, parseAmount } from '../../src/prune/index.ts';
import { infoplane, repoRoot } from '../helpers/cli.ts';
import { numpy, python } from '../io/python.ts';

const fx = (name: string) => join(repoRoot, 'test/fixtures/npy', name);
const fixtures = JSON.parse(readFileSync(fx('fixtures.json'), 'utf8')) as { mi: Record<string, Record<string, { ht: number; ity: number; distinct: number }>> };
const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-mi-cli-'));

const cli = cliInProcess;
afterEach(() => vi.restoreAllMocks());

describe('infoplane mi', () => {
  it('prints a table per binning and writes JSON matching numpy, layers in archive order', async () => {
    const json = join(tmp(), 'mi.json');
    const r = await cli(['mi', fx('acts.npz'), '--labels', fx('acts-y.npy'), '--bins', '3,30', '--json', json]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fixed:3: N = 64, 3 classes, H\(Y\) = 1\.5759 bits/);
    expect(r.stdout).toMatch(/layer +width +I\(X;T\) +I\(T;Y\) +H\(T\) +H\(T\|Y\) +distinct +ceil X +ceil Y +saturated +range/);
    expect(r.stdout).toMatch(/\nh2 +3 +5\.9375 +1\.5134 +5\.9375 .* 62 +6\.0000 +1\.5759 +no +\[-1, 1\] default/);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc.inputs.map((i: { name: string }) => i.name)).toEqual(['h2', 'h1']);
    expect(doc.labels).toMatchObject({ dtype: 'int64', encoding: 'indices', classes: 3 });
    for (const plane of doc.planes) {
      for (const p of plane.points) {
        expect(p.ht).toBeCloseTo(fixtures.mi[plane.binning][p.name].ht, 12);
        expect(p.ity).toBeCloseTo(fixtures.mi[plane.binning][p.name].ity, 12);
      }
    }
  });

  it('takes .npy files, --layers to pick and order, FILE.npz:NAME labels (left out of the layers) and KDE', async () => {
    const dir = tmp();
    const y = readArrayFile(fx('acts-y.npy'))[0].array;
    const h1 = readArrayFile(fx('acts-h1.npy'))[0].array;
    writeFileSync(
      join(dir, 'run.npz'),
      encodeNpz([
        { name: 'h1', array: h1 },
        { name: 'y', array: y },
      ]),
    );
    const a = await cli(['mi', join(dir, 'run.npz'), '--labels', `${join(dir, 'run.npz')}:y`, '--quiet', '--json', join(dir, 'a.json')]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toBe('');
    const b = await cli([
      'mi',
      fx('acts-h2.npy'),
      fx('acts-h1.npy'),
      '--labels',
      fx('acts-y.npy'),
      '--layers',
      'acts-h1',
      '--kde',
      '--kde-subsample',
      '0',
      '--json',
      join(dir, 'b.json'),
    ]);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toMatch(
      /kde \(Kolchinsky & Tracey bounds on I\(X;T\); I\(T;Y\) from each entropy estimator, not a bound\): noise variance 0\.1, 64 samples, I\(X;T\) ceiling log2 64 = 6\.0000; bits/,
    );
    const [ja, jb] = ['a.json', 'b.json'].map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
    expect(ja.layers.map((l: { name: string }) => l.name)).toEqual(['h1']);
    expect(ja.planes[0].points[0].ht).toBe(jb.planes[0].points[0].ht);
    expect(jb.kde.points[0].ixtLower).toBeLessThanOrEqual(jb.kde.points[0].ixtUpper);
    // The upper bound cannot pass log2 of the rows it is estimated on.
    expect(jb.kde.points[0].ceiling).toBe(6);
    expect(jb.kde.points[0].ixtUpper).toBeLessThanOrEqual(6 + 1e-9);
  });

  const refused: [string, string[], RegExp][] = [
    ['bad magic', [fx('make_fixtures.py'), '--labels', fx('acts-y.npy')], /make_fixtures\.py: not a \.npy or \.npz file: bad magic/],
    ['an unsupported dtype', [fx('c8.npy'), '--labels', fx('acts-y.npy')], /c8\.npy: unsupported dtype: complex/],
    ['a scalar', [fx('f4-scalar.npy'), '--labels', fx('acts-y.npy')], /f4-scalar\.npy: wrong shape: a scalar/],
    [
      'an N mismatch',
      [fx('acts-h1.npy'), fx('f4-c.npy'), '--labels', fx('acts-y.npy')],
      /f4-c\.npy: has 5 samples \(rows\), the labels \(.*acts-y\.npy\) have 64/,
    ],
    ['NaN', [fx('f4-nan.npy'), '--labels', fx('labels-le-i8.npy')], /f4-nan\.npy: 2 non-finite values .* NaN/],
    ['labels that are not one-hot', [fx('acts-h1.npy'), '--labels', fx('acts-h2.npy')], /acts-h2\.npy: labels of shape \(64, 3\) must be one-hot/],
    ['a missing file', [fx('nope.npy'), '--labels', fx('acts-y.npy')], /nope\.npy: cannot read: no such file/],
    ['an unknown array', [fx('acts.npz'), '--labels', fx('acts-y.npy'), '--layers', 'h3'], /--layers: no array named "h3"/],
    ['a bad range', [fx('acts.npz'), '--labels', fx('acts-y.npy'), '--range', '1,-1'], /--range: expected LO,HI with LO < HI/],
    ['an unbounded layer without a range', [fx('acts.npz'), '--labels', fx('acts-y.npy'), '--activation', 'relu'], /relu layer is unbounded/],
    ['no labels', [fx('acts.npz')], /required option '--labels <file>'/],
  ];
  it.each(refused)('refuses %s: exit 2, the file named, no JSON', async (_name, args, message) => {
    const json = join(tmp(), 'never.json');
    const r = await cli(['mi', ...args, '--json', json]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(json)).toBe(false);
  });
});

/** The .npy format 1.0 as numpy/lib/format.py specifies it, byte by byte. */
function checkNpyBytes(bytes: Uint8Array, descr: string, shape: number[]): void {
  expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const headerLength = bytes[8] + 256 * bytes[9];
  expect((10 + headerLength) % 64).toBe(0);
  const header = Buffer.from(bytes.subarray(10, 10 + headerLength)).toString('latin1');
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  expect(header).toMatch(
    new RegExp(`^\\{'descr': '${descr.replace('|', '\\|')}', 'fortran_order': False, 'shape': ${tuple.replace(/[()]/g, '\\$&')}, \\} *\\n$`),
  );
  const itemsize = Number(descr.slice(2));
  expect(bytes.length - 10 - headerLength).toBe(shape.reduce((a, b) => a * b, 1) * itemsize);
}

describe('infoplane run --save / --init-from', () => {
  const small = ['--epochs', '2', '--train-size', '600', '--test-size', '300', '--hidden', '32,8', '--quiet'];

  it('saves activations, weights and masks that reproduce mi.jsonl and read in numpy', async () => {
    const out = join(tmp(), 'run');
    const r = infoplane([
      'run',
      ...small,
      '--prune',
      'global-weight',
      '--amount',
      '0.5',
      '--save',
      'activations,weights,masks',
      '--save-epochs',
      '0,2',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'arrays/index.json'), 'utf8'));
    expect(index.epochs).toEqual([0, 2]);
    expect(index.samples).toMatchObject({ on: 'all', rows: 900 });
    const names = index.files.filter((f: { epoch: number }) => f.epoch === 2).map((f: { file: string }) => f.file);
    expect(names).toEqual(
      ['h1', 'h2', 'out', 'weight-1', 'bias-1', 'mask-1', 'weight-2', 'bias-2', 'mask-2', 'weight-3', 'bias-3', 'mask-3'].map((n) => `epoch-0002/${n}.npy`),
    );
    for (const f of index.files) checkNpyBytes(readFileSync(join(out, 'arrays', f.file)), f.dtype, f.shape);
    checkNpyBytes(readFileSync(join(out, 'arrays/labels.npy')), '<i8', [900]);

    // The saved activations are exactly what MI binned.
    const mi = readFileSync(join(out, 'mi.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const arrays = (e: string) => ['h1', 'h2', 'out'].map((n) => join(out, 'arrays', e, `${n}.npy`));
    const json = join(out, 'check.json');
    const c = await cli([
      'mi',
      ...arrays('epoch-0002'),
      '--labels',
      join(out, 'arrays/labels.npy'),
      '--activation',
      'tanh,tanh,softmax',
      '--quiet',
      '--json',
      json,
    ]);
    expect(c.status, c.stderr).toBe(0);
    const points = JSON.parse(readFileSync(json, 'utf8')).planes[0].points;
    const want = mi.filter((m) => m.epoch === 2);
    expect(points.map((p: { ht: number; ity: number }) => [p.ht, p.ity])).toEqual(want.map((m) => [m.ht, m.ity]));

    // Masks are uint8, fixed through training, and zero exactly the pruned weights.
    const mask = (e: string, k: number) => decodeNpy(readFileSync(join(out, 'arrays', e, `mask-${k}.npy`)), 'mask');
    const w1 = decodeNpy(readFileSync(join(out, 'arrays/epoch-0002/weight-1.npy')), 'w').data;
    const m1 = mask('epoch-0002', 1);
    expect(m1.dtype).toBe('uint8');
    expect(m1.data).toEqual(mask('epoch-0000', 1).data);
    for (let i = 0; i < w1.length; i++) if (!m1.data[i]) expect(w1[i]).toBe(0);

    if (!numpy.ok) return console.warn(`numpy.load check skipped: ${numpy.why}`);
    const report = python(
      `
import json, sys, numpy as np
run = sys.argv[1]
idx = json.load(open(run + "/arrays/index.json"))
for f in idx["files"]:
    a = np.load(run + "/arrays/" + f["file"])
    assert list(a.shape) == f["shape"] and a.dtype.str == f["dtype"] and a.flags.c_contiguous, f
y = np.load(run + "/arrays/labels.npy")
worst = 0.0
for line in open(run + "/mi.jsonl"):
    r = json.loads(line)
    if r["epoch"] not in idx["epochs"]:
        continue
    t = np.load("%s/arrays/epoch-%04d/%s.npy" % (run, r["epoch"], r["layer"]))
    lo, hi = r["range"]
    bins = int(r["estimator"].split(":")[1])
    codes = np.clip(np.floor((t.astype(np.float64) - lo) / (hi - lo) * bins), 0, bins - 1).astype(np.int64)
    _, ids, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
    ids = ids.reshape(-1)
    p = counts / len(t)
    ht = -np.sum(p * np.log2(p))
    hty = 0.0
    for c in np.unique(y):
        _, cc = np.unique(ids[y == c], return_counts=True)
        q = cc / cc.sum()
        hty += np.mean(y == c) * -np.sum(q * np.log2(q))
    worst = max(worst, abs(ht - r["ht"]), abs(ht - hty - r["ity"]))
print(json.dumps({"files": len(idx["files"]), "worst": worst}))
`,
      [out],
    );
    const { files, worst } = JSON.parse(report);
    expect(files).toBe(index.files.length);
    expect(worst).toBeLessThan(1e-9);
  });

  it('starts from a state_dict numpy wrote, prunes it as usual, and keeps save out of the spec hash', () => {
    const out = join(tmp(), 'init');
    const r = infoplane([
      'run',
      ...small,
      '--epochs',
      '1',
      '--hidden',
      '8',
      '--init-from',
      fx('init-784-8-2.npz'),
      '--prune',
      'layer-weight',
      '--layers',
      '1',
      '--amount',
      '0.3',
      '--save',
      'weights,masks',
      '--save-epochs',
      '0',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const given = Object.fromEntries(readArrayFile(fx('init-784-8-2.npz')).map((a) => [a.name, a.array.data as Float32Array]));
    const saved = (n: string) => decodeNpy(readFileSync(join(out, 'arrays/epoch-0000', `${n}.npy`)), n).data;
    const mask = saved('mask-1');
    expect(mask).toEqual(l1Unstructured(given['0.weight'], undefined, parseAmount(0.3)));
    expect(saved('weight-1')).toEqual(given['0.weight'].map((w, i) => (mask[i] ? w : 0)));
    expect(saved('bias-1')).toEqual(given['0.bias']);
    expect(saved('weight-2')).toEqual(given['2.weight']);
    expect(JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')).initFrom).toBe(fx('init-784-8-2.npz'));
    const base = { net: { hidden: [8] } };
    expect(specHash(parseSpec({ ...base, save: { what: ['weights'] } }))).toBe(specHash(parseSpec(base)));
    expect(specHash(parseSpec({ ...base, initFrom: 'w.npz' }))).not.toBe(specHash(parseSpec(base)));
  });

  const refused: [string, string[], RegExp][] = [
    [
      'weights that do not fit the net',
      ['--hidden', '16', '--init-from', fx('init-784-8-2.npz')],
      /init-784-8-2\.npz:0\.weight: shape \(8, 784\) does not fit layer 1 of the net 784-16-2/,
    ],
    ['a save epoch after the last', ['--save', 'weights', '--save-epochs', '0,5'], /spec\.save\.epochs: epoch 5 is after the last epoch of training \(2\)/],
    ['an unknown save kind', ['--save', 'gradients'], /spec\.save\.what\.0: .*"gradients"/],
    ['--save-epochs alone', ['--save-epochs', 'all'], /--save-epochs: only meaningful with --save/],
  ];
  it.each(refused)('refuses %s with exit 2 and no output', (_name, args, message) => {
    const out = join(tmp(), 'never');
    const r = infoplane(['run', ...small, ...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
