// KSG speed beside the binning kernel: N = 10 000 rows, 20 dimensions, k = 3,
// one thread. KSG algorithm 1 on X[10] × Y[10] (a 20-d joint space), Ross's
// label form on T[20] with a binary label, and fixed:30 binning of the same
// T[20]. Correctness first (native counts = the TypeScript oracle on 600
// rows, every SIMD variant), then time, then coordinate visits per second
// (N² · d per brute-force pass).
//
//   npx tsx bench/ksg.bench.ts
import { Bench } from 'tinybench';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { binningParams, parseBinning } from '../src/mi/binning.ts';
import { nativeMiEngine } from '../src/backend/native/mi.ts';
import { nativeKsgCounts } from '../src/backend/native/ksg.ts';
import { referenceKsgCounts } from '../src/backend/reference/ksg.ts';
import { ksgLabelMutualInformation, ksgMutualInformation } from '../src/mi/ksg.ts';
import { Rng } from '../src/core/rng.ts';

const N = 10_000;
const D = 20;
const addon = requireNativeAddon();
const native = nativeKsgCounts()!;
const binning = nativeMiEngine()!;
addon.setThreads(1);

const rng = new Rng(1);
const labels = Int32Array.from({ length: N }, () => rng.nextInt(2));
const t = Float32Array.from({ length: N * D }, (_, i) => Math.tanh(rng.nextNormal() + (labels[Math.floor(i / D)] ? 0.5 : -0.5)));
const x = Float32Array.from({ length: (N * D) / 2 }, () => rng.nextNormal());
const y = x.map((v) => v + 0.5 * rng.nextNormal());

for (const variant of addon.features().variants) {
  addon.setVariant(variant);
  const n = 600;
  const check = (e: typeof native) => {
    const c = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
    e.counts(c[0], c[1], x.subarray(0, n * 10), 10, y.subarray(0, n * 10), 10, n, 3);
    e.classCounts(c[2], t.subarray(0, n * D), D, labels.subarray(0, n), 2, n, 3);
    return c.map((a) => a.join()).join('|');
  };
  if (check(native) !== check(referenceKsgCounts)) throw new Error(`native KSG counts differ from the oracle on ${variant}`);
}

const rows: string[][] = [];
for (const variant of addon.features().variants) {
  addon.setVariant(variant);
  const bench = new Bench({ time: variant === 'scalar' ? 2000 : 4000, warmup: true, iterations: 3 });
  bench.add('ksg X[10];Y[10]', () => void ksgMutualInformation(x, 10, y, 10));
  bench.add('ksg T[20];label', () => void ksgLabelMutualInformation(t, D, labels));
  bench.add(
    'binning fixed:30 T[20]',
    () => void binning.informationPlane([{ activations: t, width: D }], labels, N, 2, binningParams(parseBinning('fixed:30')), null),
  );
  await bench.run();
  for (const task of bench.tasks) {
    const r = task.result as unknown as { latency: { p50: number; min: number; samplesCount: number } };
    const visits = task.name.startsWith('ksg') ? ((N * N * D) / (r.latency.p50 / 1000)).toExponential(2) : '';
    rows.push([variant, task.name, r.latency.p50.toFixed(1), r.latency.min.toFixed(1), visits, String(r.latency.samplesCount)]);
  }
}
const header = ['variant', 'estimator', 'ms (median)', 'min', 'coord visits/s', 'samples'];
const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log(`N = ${N}, d = ${D}, k = 3, 1 thread, tie noise and digamma sums included (node ${process.version})`);
console.log(header.map((h, i) => h.padStart(w[i])).join('  '));
for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i])).join('  '));
