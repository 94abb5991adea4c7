// `infoplane mi` end to end (file reading included) against an IDNNs-style
// numpy estimator on the same .npy files: N = 10 000 samples, layers of
// widths 1024, 20, 20, 20 (tanh) and 2 (softmax), idnns:30 binning
// (np.linspace(-1, 1, 30) edges, np.digitize), binary labels.
//
// The numpy side follows IDNNs (Shwartz-Ziv & Tishby, idnns/information/
// information_process.py): digitize, view each row of bin values as one
// np.void of bytes, np.unique for p(t), and again per class for H(T|Y). Its
// bins are float32 values (as IDNNs casts them) indexed by digitize against
// the float64 edges, which is the partition infoplane's idnns scheme uses, so
// both give the same numbers. IDNNs' H(T|X) loop over the 10 000 distinct x is
// left out (it is 0 here and would only slow numpy down).
//
// Correctness first (every H(T) and I(T;Y) within 1e-9 bits), then the median
// of 3 timings of: the CLI as a process, as `npx infoplane` runs it (the
// compiled dist/, rebuilt first with `npm run build:ts`; node start-up and
// module loading included), the same work in this process (read + estimate),
// python3 as a process (numpy import included) and its load + estimate alone.
//
//   npx tsx bench/mi-cli.bench.ts [--python /usr/bin/python3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { informationPlaneOfArrays } from '../src/io/array-mi.ts';
import { encodeNpy } from '../src/io/npy.ts';
import { readArrayFile } from '../src/io/npz.ts';
import { Rng } from '../src/core/rng.ts';
import { median, secs, table } from './common.ts';

const N = 10_000;
const WIDTHS = [1024, 20, 20, 20];
const REPEATS = 3;
const root = resolve(import.meta.dirname, '..');
const pythonAt = process.argv.indexOf('--python');
const PYTHON = pythonAt > 0 ? process.argv[pythonAt + 1] : '/usr/bin/python3';

const NUMPY_ESTIMATOR = `
import json, sys, time
t0 = time.perf_counter()
import numpy as np
t1 = time.perf_counter()
files, labels = sys.argv[1:-1], sys.argv[-1]
layers = [np.load(f) for f in files]
y = np.load(labels)
bins64 = np.linspace(-1, 1, 30)
bins = bins64.astype(np.float32)
def entropy_of_rows(digitized):
    b2 = np.ascontiguousarray(digitized).view(np.dtype((np.void, digitized.dtype.itemsize * digitized.shape[1])))
    _, unique_inverse_t, unique_counts = np.unique(b2, return_index=False, return_inverse=True, return_counts=True)
    p_ts = unique_counts / float(np.sum(unique_counts))
    return -np.sum(p_ts * np.log2(p_ts))
out = []
for data in layers:
    digitized = bins[np.digitize(np.squeeze(data.reshape(1, -1)), bins64) - 1].reshape(len(data), -1)
    ht = entropy_of_rows(digitized)
    hty = sum(np.mean(y == c) * entropy_of_rows(digitized[y == c]) for c in np.unique(y))
    out.append({"ht": float(ht), "ity": float(ht - hty)})
t2 = time.perf_counter()
print(json.dumps({"points": out, "import": t1 - t0, "work": t2 - t1}))
`;

function timed<T>(f: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

// ---- the arrays, written once ----
const dir = mkdtempSync(join(tmpdir(), 'infoplane-mi-bench-'));
const rng = new Rng(2024);
const labels = BigInt64Array.from({ length: N }, () => BigInt(rng.nextInt(2)));
const files: string[] = [];
for (const [i, width] of [...WIDTHS, 2].entries()) {
  const data = new Float32Array(N * width);
  if (i < WIDTHS.length) {
    for (let k = 0; k < data.length; k++) data[k] = Math.tanh(rng.nextNormal() + (k % 3 === 0 ? Number(labels[Math.floor(k / width)]) : 0));
  } else {
    for (let r = 0; r < N; r++) {
      const p = 1 / (1 + Math.exp(-3 * rng.nextNormal() - (labels[r] ? 2 : -2)));
      data[2 * r] = 1 - p;
      data[2 * r + 1] = p;
    }
  }
  const file = join(dir, `${i < WIDTHS.length ? `h${i + 1}` : 'out'}.npy`);
  writeFileSync(file, encodeNpy({ data, shape: [N, width] }));
  files.push(file);
}
const labelFile = join(dir, 'y.npy');
writeFileSync(labelFile, encodeNpy({ data: labels, shape: [N] }));
const activation = 'tanh,tanh,tanh,tanh,softmax';
const megabytes = files.reduce((s, f) => s + readFileSync(f).length, 0) / 1e6;

// ---- infoplane: in this process, and the CLI as a process ----
const inProcess = () => {
  const layers = files.map((f, i) => ({
    ...readArrayFile(f)[0].array,
    name: `L${i}`,
    activation: (i === WIDTHS.length ? 'softmax' : 'tanh') as 'tanh' | 'softmax',
  }));
  return informationPlaneOfArrays(layers, readArrayFile(labelFile)[0].array, { binnings: ['idnns:30'] }).planes[0].points;
};
const build = spawnSync('npm', ['run', 'build:ts', '--silent'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`npm run build:ts failed: ${build.stdout}${build.stderr}`);
const cliArgs = [
  join(root, 'bin/infoplane.js'),
  'mi',
  ...files,
  '--labels',
  labelFile,
  '--scheme',
  'idnns',
  '--bins',
  '30',
  '--activation',
  activation,
  '--quiet',
  '--json',
  join(dir, 'mi.json'),
];
const cli = () => {
  const r = spawnSync(process.execPath, cliArgs, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`infoplane mi failed: ${r.stderr}`);
  return JSON.parse(readFileSync(join(dir, 'mi.json'), 'utf8')).planes[0].points as { ht: number; ity: number }[];
};
const numpy = () => {
  const r = spawnSync(PYTHON, ['-c', NUMPY_ESTIMATOR, ...files, labelFile], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${PYTHON} failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as { points: { ht: number; ity: number }[]; import: number; work: number };
};

// ---- correctness first ----
const ours = inProcess();
const viaCli = cli();
let theirs: ReturnType<typeof numpy> | undefined;
try {
  theirs = numpy();
} catch (err) {
  console.log(`numpy side skipped: ${(err as Error).message.split('\n')[0]}`);
}
ours.forEach((p, i) => {
  const others = [viaCli[i], ...(theirs ? [theirs.points[i]] : [])];
  for (const q of others) {
    if (Math.abs(p.ht - q.ht) > 1e-9 || Math.abs(p.ity - q.ity) > 1e-9) throw new Error(`layer ${i}: infoplane ${p.ht}/${p.ity} vs ${q.ht}/${q.ity}`);
  }
});

// ---- then time ----
const runs = { inProcess: [] as number[], cli: [] as number[], python: [] as number[], numpyWork: [] as number[] };
for (let k = 0; k < REPEATS; k++) {
  runs.inProcess.push(timed(inProcess).seconds);
  runs.cli.push(timed(cli).seconds);
  if (theirs) {
    const t = timed(numpy);
    runs.python.push(t.seconds);
    runs.numpyWork.push(t.value.work);
  }
}
const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<keyof typeof runs, number>;

console.log(
  `infoplane mi vs IDNNs-style numpy: N = ${N}, widths ${[...WIDTHS, 2].join(', ')}, idnns:30, ${megabytes.toFixed(1)} MB of float32 .npy; median of ${REPEATS}`,
);
console.log(
  `results agree: ${ours.map((p, i) => `L${i} H(T) ${p.ht.toFixed(4)} I(T;Y) ${p.ity.toFixed(4)}`).join('; ')}${theirs ? ' (infoplane, its CLI and numpy within 1e-9 bits)' : ''}`,
);
const rows = [
  ['infoplane mi (process: node start, read, estimate)', secs(m.cli), theirs ? `${(m.python / m.cli).toFixed(1)}×` : '–'],
  ['infoplane read + estimate (in process)', secs(m.inProcess), theirs ? `${(m.numpyWork / m.inProcess).toFixed(1)}×` : '–'],
  ...(theirs
    ? [
        [`numpy (process: python start, import numpy, load, estimate)`, secs(m.python), '1×'],
        ['numpy load + estimate (in script)', secs(m.numpyWork), '1×'],
      ]
    : []),
];
console.log(table(['what', 'seconds', 'numpy ÷ infoplane'], rows));
console.log(`in-process throughput: ${(megabytes / m.inProcess).toFixed(0)} MB/s of .npy read and binned`);
rmSync(dir, { recursive: true, force: true });
