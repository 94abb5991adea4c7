// The input-sparse first layer, for development, on the bench's own
// data (bench/epoch.bench.ts: mnist package, parity, 8000 train rows):
//  1. layer 1 (784 → 1024) forward + weight gradient at batch 128 on real
//     training batches, dense vs input-sparse (checked bitwise first);
//  2. the MI pass: a forward with activations over all 10 000 samples, and its
//     first layer alone with Wt read from rows or from tiles;
//  3. whole training epochs on one thread, side by side: infoplane dense (the
//     kernels only), infoplane input-sparse, and PyTorch in its
//     best configuration (bench/torch-peer.ts), each pair timed back to back;
//     and the fraction of the FMA peak a dense epoch would need to match.
//
//   npx tsx bench/input-sparse.bench.ts [--no-torch] [--epochs 5]
import type { EngineOptions } from '../src/train/engine-types.ts';
import { nativeBackend } from '../src/backend/registry.ts';
import { benchFullForward, benchInputSparse, benchTiledForward } from '../src/bench/kernel-bench.ts';
import { parseSpec } from '../src/experiment/spec.ts';
import { train } from '../src/train/trainer.ts';
import { contentionMeter, fx, heading, isMain, leastContended, pct, secs, table } from './common.ts';
import { ADAM, BATCH, SEED, benchData, benchNet, epochGemmFlops } from './epoch.bench.ts';
import { measurePeak, printPeak } from './peak.ts';
import { compareWithTorch, printTorch, runTorch } from './torch-peer.ts';

export interface OptionEpochs {
  label: string;
  threads: number;
  /** Seconds of each timed epoch's training batches (after one warm-up epoch). */
  train: number[];
  fastest: number;
  finalTestAcc: number;
  othersCores: number;
  plan: string;
}

/** Epochs of the bench net through the trainer with these engine options. */
export function timeEpochs(label: string, options: EngineOptions, threads: number, epochs: number): OptionEpochs {
  const data = benchData();
  return leastContended(threads, () => {
    const backend = nativeBackend(threads);
    const trainS: number[] = [];
    let start = 0;
    let end = 0;
    let plan = '';
    const meter = contentionMeter();
    const history = train({
      net: benchNet(),
      backend,
      engineOptions: options,
      data,
      epochs: epochs + 1,
      batchSize: BATCH,
      optimizer: ADAM,
      seed: SEED,
      measure: (e, engine) => {
        if (e === 0) start = performance.now();
        plan =
          engine
            .kernelPlan?.()
            ?.layers.map((l) => l.kernel)
            .join(' ') ?? plan;
      },
      onBatch: (b, n) => {
        if (b === n) end = performance.now();
      },
      onEpoch: () => {
        trainS.push((end - start) / 1000);
        start = performance.now();
      },
    });
    trainS.shift();
    return {
      label,
      threads,
      train: trainS,
      fastest: Math.min(...trainS),
      finalTestAcc: history[history.length - 1].testAcc,
      othersCores: meter().othersCores,
      plan,
    };
  });
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const epochs = argv.includes('--epochs') ? Number(argv[argv.indexOf('--epochs') + 1]) : 5;
  const peak = measurePeak();
  printPeak(peak);
  const data = benchData();

  heading('Layer 1 (784 → 1024), batch 128, real training batches: forward + weight gradient (fastest of repeats)');
  const layer = [1, 2].map((t) => benchInputSparse(data, 1024, BATCH, t, 0.3));
  console.log(
    table(
      ['threads', 'density', 'dense fwd', 'dense dW', 'sparse fwd', 'sparse dW', 'kernels ×', 'with layout work ×'],
      layer.map((r) => [
        String(r.threads),
        pct(r.density),
        secs(r.dense.forward),
        secs(r.dense.weight),
        secs(r.sparse.forward),
        secs(r.sparse.weight),
        fx(r.speedup.kernels, 2),
        fx(r.speedup.withOverheads, 2),
      ]),
    ),
  );

  heading('The MI pass: evaluate 10 000 samples with activations');
  const spec = parseSpec({});
  const full = [1, 2].map((t) => benchFullForward(spec, data, t, 1));
  console.log(
    table(
      ['rows', 'threads', 'dense', 'input-sparse', 'speed-up'],
      full.map((r) => [String(r.rows), String(r.threads), secs(r.dense), secs(r.inputSparse), `${fx(r.speedup, 2)}×`]),
    ),
  );
  heading('Its first layer alone, panels of 128 rows: Wt read from rows vs from tiles (tiled once per pass)');
  const tiled = [1, 2].map((t) => benchTiledForward(data, 1024, 128, t, 1));
  console.log(
    table(
      ['rows', 'threads', 'Wt in rows', 'Wt in tiles', 'speed-up'],
      tiled.map((r) => [String(r.rows), String(r.threads), secs(r.inRows), secs(r.inTiles), `${fx(r.speedup, 2)}×`]),
    ),
  );

  heading(`Epochs, 1 thread (${epochs} timed after a warm-up; training batches only)`);
  const dense = timeEpochs('infoplane dense (dense input kernel)', { kernels: 'dense', inputKernel: 'dense' }, 1, epochs);
  const sparse = timeEpochs('infoplane input-sparse', { inputKernel: 'sparse' }, 1, epochs);
  const rows = [dense, sparse].map((r) => [
    r.label,
    secs(r.fastest),
    `${secs(Math.min(...r.train))}–${secs(Math.max(...r.train))}`,
    `${fx(100 * r.finalTestAcc, 2)}%`,
    fx(r.othersCores, 2),
    r.plan,
  ]);
  console.log(table(['who', 'fastest epoch', 'range', 'test acc', 'others busy', 'kernels'], rows));
  const flops = epochGemmFlops(data.train.rows);
  console.log(
    `input-sparse vs dense: ${fx(dense.fastest / sparse.fastest, 2)}×; a dense epoch (${fx(flops / 1e9, 1)} GFLOP of GEMM) in ${secs(sparse.fastest)} ` +
      `would need ${pct(flops / sparse.fastest / 1e9 / peak.peak1)} of the 1-thread FMA peak (${fx(peak.peak1)} GF/s) for its GEMMs alone`,
  );
  if (!argv.includes('--no-torch')) {
    // runTorch times the native backend's default engine (inputKernel: auto → input-sparse on MNIST) just before each torch run.
    const peer = runTorch([1], { epochs, gemm: false });
    const cmp = compareWithTorch(peer.native, peer, peak);
    printTorch(cmp, peak);
    for (const c of cmp.comparisons) {
      console.log(
        `\n${c.threads}T: PyTorch ${secs(c.torchTrain)} vs infoplane (auto: input-sparse) ${secs(c.nativeTrain)} → infoplane ${fx(c.speedup, 2)}× faster; ` +
          `dense infoplane ${secs(dense.fastest)} → ${fx(c.torchTrain / dense.fastest, 2)}×`,
      );
    }
  }
}
