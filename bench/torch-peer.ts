// PyTorch as the speed peer, run from the same bench process so the ratios
// come from one run on one machine state. Writes the bench's train and test
// rows as raw binaries to a temp dir, runs bench/torch_epoch.py on 1 and 2
// threads in torch's best configuration (TOOLCHAIN.md, "PyTorch as the speed
// peer"), and compares with the native epochs.
//
//   npx tsx bench/torch-peer.ts
//
// Needs Debian's python3-torch, python3-numpy and libopenblas0-pthread under
// /usr/bin/python3 (override with INFOPLANE_BENCH_PYTHON). Without them the
// peer is skipped with a note; the project never depends on torch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset, SplitDataset } from '../src/data/dataset.ts';
import { contentionMeter, fx, heading, isMain, leastContended, pct, secs, table } from './common.ts';
import { BATCH, SEED, SIZES, benchData, epochGemmFlops, timeNativeEpochs, type NativeEpochs } from './epoch.bench.ts';
import type { PeakResult } from './peak.ts';

export const PYTHON = process.env.INFOPLANE_BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch_epoch.py');

export interface TorchRun {
  threads: number;
  config: {
    torch: string;
    torch_blas_info: string | null;
    openblas_library: string;
    openblas_config: string;
    openblas_corename: string;
    openblas_threads: number;
    torch_threads: number;
    env: Record<string, string | null>;
  };
  epochs: {
    train: number[];
    evaluate: number[];
    warmup_train: number[];
    train_median: number;
    evaluate_median: number;
    final_train_loss: number;
    final_test_acc: number;
  };
  gemm?: { product: string; B: number; seconds: number; gflops: number }[];
  /** Other processes' load (cores) while this peer run went (added on the TS side). */
  othersCores: number;
}

export interface TorchPeerResult {
  skipped?: string;
  runs: TorchRun[];
  gemmFlopsPerEpoch: number;
  comparisons: {
    threads: number;
    /** The native engine as it runs by default (input-sparse layer 1 on MNIST). */
    nativeTrain: number;
    /** The native engine with layer 1 forced dense: the same arithmetic as torch. */
    nativeDenseTrain: number;
    torchTrain: number;
    /** torch seconds / native seconds: > 1 means infoplane is faster. */
    speedup: number;
    speedupDense: number;
    /** Dense GEMM work of one epoch ÷ epoch time ÷ peak at this thread count (native: the dense-forced run). */
    torchFractionOfPeak: number;
    nativeFractionOfPeak: number;
    /** Other processes' load (cores) during the native and the torch measurement. */
    othersCores: { native: number; nativeDense: number; torch: number };
    attempts: number;
  }[];
}

function writeSet(prefix: string, ds: Dataset): void {
  // Raw little-endian (x86): numpy.fromfile(dtype='<f4'/'<i4') reads these as is.
  writeFileSync(`${prefix}.x.f32`, new Uint8Array(ds.x.buffer, ds.x.byteOffset, ds.x.byteLength));
  writeFileSync(`${prefix}.y.i32`, new Uint8Array(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength));
}

/** The train and test sets as the peer reads them, in `dir`. */
export function writePeerData(dir: string, data: SplitDataset): void {
  writeSet(join(dir, 'train'), data.train);
  writeSet(join(dir, 'test'), data.test);
}

/** The peer script and where its data is (see writePeerData): the arguments every run starts with. */
export function peerDataArgs(dir: string, data: SplitDataset): string[] {
  return [SCRIPT, '--train', join(dir, 'train'), '--train-rows', String(data.train.rows), '--test', join(dir, 'test'), '--test-rows', String(data.test.rows)];
}

/** torch's best configuration, in the peer's environment only. */
export function peerEnv(threads: number): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // preset AVX2 kernels; unset → OpenBLAS 0.3.21 picks its AVX-512 (Cooperlake) ones
  delete env.OPENBLAS_L2_SIZE;
  env.OMP_WAIT_POLICY = 'PASSIVE'; // default spin-wait oversubscribes 2 cores (1.2 s/epoch instead of 0.3)
  env.OMP_NUM_THREADS = String(threads);
  return env;
}

/** Why the peer cannot run here, or undefined when it can. */
export function torchUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} not runnable: ${probe.error.message}`;
  if (probe.status !== 0)
    return `${PYTHON} cannot import torch/numpy (apt-get install python3-torch python3-numpy libopenblas0-pthread): ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

/**
 * For each thread count: native epochs, then the torch peer, back to back, so
 * each ratio compares two measurements taken seconds apart (the machine is shared).
 */
export function runTorch(
  threadCounts: number[] = [1, 2],
  opts: { epochs?: number; gemm?: boolean } = {},
): { runs: TorchRun[]; native: NativeEpochs[]; skipped?: string } {
  const skipped = torchUnavailable();
  if (skipped) return { runs: [], native: [], skipped };
  const data = benchData();
  const dir = mkdtempSync(join(tmpdir(), 'infoplane-torch-peer-'));
  const runs: TorchRun[] = [];
  const native: NativeEpochs[] = [];
  try {
    writePeerData(dir, data);
    for (const threads of threadCounts) {
      // The pair is retried together while the machine is contended, so both sides of a ratio share one machine state.
      const pair = leastContended(threads, () => {
        const n = timeNativeEpochs(threads, opts.epochs ?? 5, 1, 'auto');
        const nd = timeNativeEpochs(threads, opts.epochs ?? 5, 1, 'dense');
        const args = [
          ...peerDataArgs(dir, data),
          '--sizes',
          SIZES.join(','),
          '--threads',
          String(threads),
          '--batch',
          String(BATCH),
          '--epochs',
          String(opts.epochs ?? 5),
          '--warmup',
          '1',
          '--seed',
          String(SEED),
          ...(opts.gemm === false ? [] : ['--gemm']),
        ];
        const meter = contentionMeter();
        const r = spawnSync(PYTHON, args, { env: peerEnv(threads), encoding: 'utf8', maxBuffer: 1 << 24 });
        const { othersCores } = meter();
        if (r.status !== 0) throw new Error(`torch peer failed (${threads} threads): ${r.error?.message ?? ''}${r.stderr}`);
        const t: TorchRun = { ...(JSON.parse(r.stdout) as Omit<TorchRun, 'othersCores'>), othersCores };
        return { native: n, nativeDense: nd, torch: t, othersCores: Math.max(n.othersCores, nd.othersCores, othersCores) };
      });
      native.push({ ...pair.native, attempts: pair.attempts }, { ...pair.nativeDense, attempts: pair.attempts });
      runs.push(pair.torch);
    }
    return { runs, native };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function compareWithTorch(native: NativeEpochs[], torch: { runs: TorchRun[]; skipped?: string }, peak: PeakResult): TorchPeerResult {
  const gemmFlopsPerEpoch = epochGemmFlops(benchData().train.rows);
  const comparisons = torch.runs.flatMap((t) => {
    const n = native.find((x) => x.threads === t.threads && x.inputMode === 'auto');
    const nd = native.find((x) => x.threads === t.threads && x.inputMode === 'dense');
    if (!n || !nd) return [];
    const p = t.threads === 1 ? peak.peak1 : peak.peak2;
    return [
      {
        threads: t.threads,
        nativeTrain: n.trainMedian,
        nativeDenseTrain: nd.trainMedian,
        torchTrain: t.epochs.train_median,
        speedup: t.epochs.train_median / n.trainMedian,
        speedupDense: t.epochs.train_median / nd.trainMedian,
        torchFractionOfPeak: gemmFlopsPerEpoch / t.epochs.train_median / 1e9 / p,
        nativeFractionOfPeak: gemmFlopsPerEpoch / nd.trainMedian / 1e9 / p,
        othersCores: { native: n.othersCores, nativeDense: nd.othersCores, torch: t.othersCores },
        attempts: n.attempts ?? 1,
      },
    ];
  });
  return { skipped: torch.skipped, runs: torch.runs, gemmFlopsPerEpoch, comparisons };
}

export function printTorch(
  res: TorchPeerResult,
  peak: PeakResult,
  nativeGemm?: { product: string; B: number; threads: number; variant: string; gflops: number }[],
): void {
  heading('PyTorch peer (bench/torch_epoch.py, best configuration)');
  if (res.skipped) {
    console.log(`skipped: ${res.skipped}`);
    return;
  }
  const c = res.runs[0].config;
  console.log(`torch ${c.torch}, BLAS_INFO=${c.torch_blas_info} (Debian links libblas.so.3) → mapped: ${c.openblas_library}`);
  console.log(`OpenBLAS: ${c.openblas_config}; core ${c.openblas_corename}; env ${JSON.stringify(c.env)}`);
  console.log(`threads per run: ${res.runs.map((r) => `torch ${r.config.torch_threads} / OpenBLAS ${r.config.openblas_threads}`).join('; ')}`);
  console.log(
    table(
      ['threads', 'torch train/epoch (median)', 'range', 'torch eval 2000 rows', 'final train loss', 'test acc', 'others busy'],
      res.runs.map((r) => [
        String(r.threads),
        secs(r.epochs.train_median),
        `${secs(Math.min(...r.epochs.train))}–${secs(Math.max(...r.epochs.train))}`,
        secs(r.epochs.evaluate_median),
        fx(r.epochs.final_train_loss, 4),
        `${fx(100 * r.epochs.final_test_acc, 1)}%`,
        fx(r.othersCores, 2),
      ]),
    ),
  );
  console.log(`\nratio: torch epoch ÷ infoplane native epoch, training batches only; the native runs were timed just before their torch run (target ≥ 2×)`);
  console.log(
    table(
      [
        'threads',
        'native (default)',
        'native (dense L1)',
        'torch',
        'faster: default',
        'faster: dense',
        'GEMM % peak: native dense',
        'torch',
        'others busy: native',
        'dense',
        'torch',
        'tries',
      ],
      res.comparisons.map((x) => [
        String(x.threads),
        secs(x.nativeTrain),
        secs(x.nativeDenseTrain),
        secs(x.torchTrain),
        `${fx(x.speedup, 2)}×`,
        `${fx(x.speedupDense, 2)}×`,
        pct(x.nativeFractionOfPeak),
        pct(x.torchFractionOfPeak),
        fx(x.othersCores.native, 2),
        fx(x.othersCores.nativeDense, 2),
        fx(x.othersCores.torch, 2),
        String(x.attempts),
      ]),
    ),
  );
  console.log(
    '(default: the engine picks the input-sparse layer-1 kernels on MNIST, which skip zero pixels; dense L1: forced dense, the same arithmetic torch does)',
  );
  console.log(
    `napkin: ${fx(res.gemmFlopsPerEpoch / 1e9, 2)} GFLOP of dense GEMM per epoch (25.7 of it the 784→1024 layer's forward + dW); ` +
      `at ${fx(peak.peak1)} GF/s that is ${secs(res.gemmFlopsPerEpoch / 1e9 / peak.peak1)} on one core, so a dense epoch cannot beat that; ` +
      `torch's epoch time beyond it is Adam, tanh, autograd/dispatch and the batch gathers.`,
  );
  const gemm = res.runs.flatMap((r) => (r.gemm ?? []).map((g) => ({ ...g, threads: r.threads })));
  if (gemm.length) {
    console.log('\ntorch (OpenBLAS) GEMM on the same 784→1024 products, vs infoplane native (best variant):');
    console.log(
      table(
        ['product', 'B', 'threads', 'torch GF/s', 'torch % peak', 'native GF/s', 'native/torch'],
        gemm.map((g) => {
          const n = nativeGemm
            ?.filter((x) => x.product === g.product && x.B === g.B && x.threads === g.threads)
            .reduce((best, x) => Math.max(best, x.gflops), 0);
          return [
            g.product,
            String(g.B),
            String(g.threads),
            fx(g.gflops),
            pct(g.gflops / (g.threads === 1 ? peak.peak1 : peak.peak2)),
            fx(n || undefined),
            n ? fx(n / g.gflops, 2) : '–',
          ];
        }),
      ),
    );
  }
}

if (isMain(import.meta.url)) {
  const { measurePeak, printPeak } = await import('./peak.ts');
  const peak = measurePeak();
  printPeak(peak);
  const torch = runTorch([1, 2]);
  printTorch(compareWithTorch(torch.native, torch, peak), peak);
}
