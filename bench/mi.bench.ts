// Binning MI throughput: N = 10 000 rows of tanh activations at widths 2, 20
// and 1024, fixed:30 binning, native kernels vs the TypeScript reference.
// Correctness first (counts exactly, entropies within 1e-12), then time, then
// rows/s and the bytes of activations read per second.
//
//   npx tsx bench/mi.bench.ts
import { Bench } from 'tinybench';
import { binningParams, parseBinning } from '../src/mi/binning.ts';
import type { MiEngine } from '../src/backend/mi-kernels.ts';
import { loadNativeMi, nativeMiEngine } from '../src/backend/native/mi.ts';
import { referenceMiEngine } from '../src/backend/reference/mi.ts';
import { Rng } from '../src/core/rng.ts';

const N = 10_000;
const WIDTHS = [2, 20, 1024];
const BINNING = process.argv[2] ?? 'fixed:30';

const native = nativeMiEngine();
if (!native) {
  console.error(`native MI engine unavailable: ${loadNativeMi().error}`);
  process.exit(1);
}
const params = binningParams(parseBinning(BINNING));
const rng = new Rng(1);
const labels = Int32Array.from({ length: N }, () => rng.nextInt(2));

const rows: string[][] = [];
for (const width of WIDTHS) {
  const t = Float32Array.from({ length: N * width }, () => Math.tanh(rng.nextNormal()));
  const layer = [{ activations: t, width }];
  const run = (e: MiEngine) => e.informationPlane(layer, labels, N, 2, params, null)[0];

  const a = run(native);
  const b = run(referenceMiEngine);
  if (a.distinct !== b.distinct || Math.abs(a.ht - b.ht) > 1e-12 || Math.abs(a.ity - b.ity) > 1e-12) {
    throw new Error(`native and reference disagree at width ${width}: ${JSON.stringify({ a, b })}`);
  }

  const bench = new Bench({ time: width > 100 ? 3000 : 1000, warmup: true });
  bench.add('native', () => void run(native));
  bench.add('reference', () => void run(referenceMiEngine));
  await bench.run();
  const stats = Object.fromEntries(
    bench.tasks.map((task) => {
      const r = task.result as unknown as { latency: { p50: number; min: number; samplesCount: number } };
      return [task.name, { ms: r.latency.p50, min: r.latency.min, samples: r.latency.samplesCount }];
    }),
  );
  for (const name of ['native', 'reference']) {
    const { ms, min, samples } = stats[name];
    const rowsPerSecond = N / (ms / 1000);
    rows.push([
      String(width),
      name,
      ms.toFixed(2),
      min.toFixed(2),
      rowsPerSecond.toExponential(3),
      ((rowsPerSecond * width * 4) / 1e9).toFixed(2),
      String(samples),
    ]);
  }
  rows.push([String(width), 'speed-up', (stats.reference.ms / stats.native.ms).toFixed(1) + '×', '', `distinct ${a.distinct}`, `H(T) ${a.ht.toFixed(4)}`, '']);
}

const header = ['width', 'engine', 'ms/call (median)', 'min', 'rows/s (median)', 'GB/s read', 'samples'];
const widthsOf = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => c.padStart(widthsOf[i])).join('  ');
console.log(`binning MI, N = ${N}, ${BINNING}, one layer per call, 1 thread (node ${process.version})`);
console.log(line(header));
for (const r of rows) console.log(line(r));
