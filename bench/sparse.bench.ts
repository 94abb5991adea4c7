// Sparse vs dense kernels of a pruned layer, for development: the
// CSR kernels against the dense GEMMs on the default net's big layer
// (784 → 1024) at batch 128 across unstructured sparsities, and neuron
// pruning's compacted GEMMs; tinybench per kernel (latency p50 and min), on
// 1 and 2 threads. Correctness first: each sparsity's sparse outputs must
// equal the dense kernels' bit for bit (src/bench/kernel-bench.ts throws
// otherwise). `infoplane bench` runs the same measurements on any shape.
//
//   npx tsx bench/sparse.bench.ts [--sparsity 0.5,0.9,0.95] [--threads 1,2]
import { Bench } from 'tinybench';
import { paddedStride } from '../src/backend/kernels.ts';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { buildCsr } from '../src/train/sparse-structure.ts';
import { benchUnstructured, crossovers } from '../src/bench/kernel-bench.ts';
import { contentionMeter, fillRandom, fx, heading, isMain, pct, secs, table } from './common.ts';

const [IN, OUT, B] = [784, 1024, 128];

export interface SparseKernelRow {
  sparsity: number;
  threads: number;
  kernel: string;
  /** tinybench latency, seconds: median and fastest. */
  p50: number;
  min: number;
  othersCores: number;
}

function mask(sparsity: number, seed: number): Float32Array {
  const m = fillRandom(new Float32Array(OUT * IN), seed);
  return m.map((v) => ((v + 1) / 2 < sparsity ? 0 : 1));
}

/** tinybench on each kernel of one training step, dense and CSR, at one sparsity. */
export async function runSparseKernels(sparsities: number[], threads: number[]): Promise<SparseKernelRow[]> {
  const k = requireNativeAddon();
  const rows: SparseKernelRow[] = [];
  const W = fillRandom(new Float32Array(OUT * IN), 1, 1 / Math.sqrt(IN));
  const b = fillRandom(new Float32Array(OUT), 2, 0.1);
  const xT = fillRandom(new Float32Array(IN * B), 3);
  const x = new Float32Array(B * IN);
  k.transpose(x, xT, IN, B);
  const dyT = fillRandom(new Float32Array(OUT * B), 4, 0.01);
  const [outT, dxT, dW, db] = [new Float32Array(OUT * B), new Float32Array(IN * B), new Float32Array(OUT * IN), new Float32Array(OUT)];
  for (const t of threads) {
    k.setThreads(t);
    for (const sparsity of sparsities) {
      const m = mask(sparsity, 10);
      const s = buildCsr(
        m,
        IN,
        Int32Array.from({ length: OUT }, (_, r) => r),
      );
      const val = Float32Array.from(s.pos, (p) => W[p]);
      const cscVal = Float32Array.from(s.cscPerm, (e) => val[e]);
      const g = new Float32Array(s.nnz);
      const bench = new Bench({ time: 200, iterations: 10, warmupTime: 0, warmupIterations: 3 });
      if (sparsity === sparsities[0]) {
        bench.add('dense forward', () => k.linearForward(outT, xT, W, b, B, IN, OUT));
        bench.add('dense weight gradient', () => k.linearBackwardWeight(dW, db, dyT, x, B, IN, OUT));
        bench.add('dense input gradient', () => k.linearBackwardInput(dxT, dyT, W, B, IN, OUT));
      }
      bench.add('csr forward', () => k.csrMatmul(outT, xT, s.ptr, s.idx, val, b, B, OUT, IN));
      bench.add('csr weight gradient', () => k.csrWeightGradient(g, dyT, xT, s.ptr, s.idx, B, OUT, IN));
      bench.add('csr input gradient', () => k.csrMatmul(dxT, dyT, s.cscPtr, s.cscIdx, cscVal, null, B, IN, OUT));
      const Wpub = W.slice();
      bench.add('csr value syncs', () => {
        k.gatherValues(val, Wpub, s.pos, s.nnz);
        k.gatherValues(cscVal, val, s.cscPerm, s.nnz);
        k.scatterValues(Wpub, s.pos, val, s.nnz);
      });
      const meter = contentionMeter();
      await bench.run();
      const { othersCores } = meter();
      for (const task of bench.tasks) {
        const r = task.result;
        if (!('latency' in r)) throw new Error(`${task.name}: ${r.state}`);
        rows.push({
          sparsity: task.name.startsWith('dense') ? 0 : sparsity,
          threads: t,
          kernel: task.name,
          p50: r.latency.p50 / 1000,
          min: r.latency.min / 1000,
          othersCores,
        });
      }
    }
  }
  return rows;
}

function parseList(argv: string[], flag: string, fallback: number[]): number[] {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1].split(',').map(Number) : fallback;
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const sparsities = parseList(argv, '--sparsity', [0.5, 0.7, 0.9, 0.95, 0.99]);
  const threads = parseList(argv, '--threads', [1, 2]);
  heading(`CSR vs dense kernels, ${IN}→${OUT}, batch ${B} (tinybench, seconds per call)`);
  const rows = await runSparseKernels(sparsities, threads);
  console.log(
    table(
      ['kernel', 'sparsity', 'threads', 'p50', 'min', 'others busy'],
      rows.map((r) => [r.kernel, r.kernel.startsWith('dense') ? '–' : pct(r.sparsity), String(r.threads), secs(r.p50), secs(r.min), fx(r.othersCores, 2)]),
    ),
  );
  heading('The same through src/bench/kernel-bench.ts (checked bitwise, fastest of repeats)');
  const steps = threads.flatMap((t) => benchUnstructured({ out: OUT, in: IN }, B, t, sparsities, 0.2));
  console.log(
    table(
      ['sparsity', 'threads', 'fwd ×', 'bwd ×', 'fwd+bwd ×', 'fwd+dW ×'],
      steps.map((r) => [
        pct(r.sparsity),
        String(r.threads),
        fx(r.speedup.forward, 2),
        fx(r.speedup.backward, 2),
        fx(r.speedup.total, 2),
        fx(r.speedup.firstLayer, 2),
      ]),
    ),
  );
  for (const c of crossovers(steps))
    console.log(
      `${c.threads}T: break-even at ${c.fwdBwd === null ? 'none' : pct(c.fwdBwd)} (fwd+bwd), ${c.firstLayer === null ? 'none' : pct(c.firstLayer)} (fwd+dW)`,
    );
  console.log(`(Wᵀ rows padded to ${paddedStride(OUT)} floats for the input-sparse kernels: see bench/input-sparse.bench.ts)`);
}
