// Runs every bench suite in one process (so ratios come from one machine
// state), prints each suite's report, then a compact summary table.
//
//   npm run bench                         (= tsx bench/index.ts)
//   npx tsx bench/index.ts --json out.json [--only peak,gemm,epoch,torch]
//
// Order: FMA peak → GEMM kernels → native/reference epochs → PyTorch peer.
// Every suite checks correctness before it times anything and throws (exit 1)
// on a mismatch.
import { writeFileSync } from 'node:fs';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { contended, fx, heading, pct, secs, table } from './common.ts';
import { printEpoch, runEpoch, type EpochResult } from './epoch.bench.ts';
import { printGemm, runGemm, PRODUCTS, type GemmResult } from './gemm.bench.ts';
import { measurePeak, printPeak, type PeakResult } from './peak.ts';
import { compareWithTorch, printTorch, runTorch, type TorchPeerResult } from './torch-peer.ts';

const SUITES = ['peak', 'gemm', 'epoch', 'torch'] as const;
type Suite = (typeof SUITES)[number];

function parseArgs(argv: string[]): { json?: string; only: Set<Suite> } {
  let json: string | undefined;
  let only = new Set<Suite>(SUITES);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = argv[++i];
    else if (a.startsWith('--json=')) json = a.slice(7);
    else if (a === '--only') only = parseOnly(argv[++i]);
    else if (a.startsWith('--only=')) only = parseOnly(a.slice(7));
    else if (a === '--help' || a === '-h') {
      console.log('usage: tsx bench/index.ts [--json out.json] [--only peak,gemm,epoch,torch]');
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(a)} (expected --json FILE, --only LIST)`);
  }
  if (json === undefined && argv.includes('--json')) throw new Error('--json needs a file path');
  return { json, only };
}

function parseOnly(list: string | undefined): Set<Suite> {
  const names = (list ?? '').split(',').filter(Boolean);
  for (const n of names) if (!SUITES.includes(n as Suite)) throw new Error(`--only: unknown suite ${JSON.stringify(n)} (expected ${SUITES.join(', ')})`);
  return new Set(names as Suite[]);
}

function summary(peak: PeakResult, gemm?: GemmResult, epoch?: EpochResult, torch?: TorchPeerResult): void {
  heading('Summary (one run; the machine is shared — compare ratios, not absolute figures across runs)');
  console.log(
    `CPU ${peak.cpu.modelName} family ${peak.cpu.family} model ${peak.cpu.model} (${peak.cpu.microarch}); ` +
      `FMA peak ${fx(peak.peak1)} GF/s 1T, ${fx(peak.peak2)} GF/s 2T (avx2 ${fx(peak.gflops.avx2[1])}, avx512 ${fx(peak.gflops.avx512[1])} on 1T)`,
  );
  if (contended(peak.othersCores1, 1))
    console.log(
      `WARNING: the machine was busy (${fx(peak.othersCores1, 2)} cores of other processes) during the 1-thread peak probe: every % of peak below is unreliable`,
    );
  if (gemm) {
    const cols = [...new Set(gemm.rows.filter((r) => r.variant !== 'scalar').map((r) => `${r.variant} ${r.threads}T`))];
    const keys = [...new Set(gemm.rows.map((r) => `${r.product}|${r.B}`))];
    console.log('\nGEMM 784→1024, GF/s (% of peak at that thread count); target ≥ 60% on 1 thread:');
    console.log(
      table(
        ['product', 'B', ...cols],
        keys
          .map((k) => {
            const [product, B] = k.split('|');
            return [
              product,
              B,
              ...cols.map((c) => {
                const r = gemm.rows.find((x) => x.product === product && String(x.B) === B && `${x.variant} ${x.threads}T` === c);
                return r ? `${fx(r.gflops)} (${pct(r.fractionOfPeak)})${contended(r.othersCores, r.threads) ? '*' : ''}` : '–';
              }),
            ];
          })
          .sort((a, b) => Number(a[1]) - Number(b[1]) || PRODUCTS.indexOf(a[0] as never) - PRODUCTS.indexOf(b[0] as never)),
      ),
    );
    const scalar = gemm.rows.filter((r) => r.variant === 'scalar' && r.threads === 1);
    if (scalar.length) console.log(`scalar (B=128, 1T): ${scalar.map((r) => `${r.product} ${fx(r.gflops, 2)}`).join(', ')} GF/s`);
  }
  if (epoch || torch?.runs.length) {
    console.log('\nEpoch (784-1024-20-20-20-2 tanh, 8000 rows, batch 128, Adam): training batches / test evaluation (2000 rows)');
    const rows: string[][] = [];
    const star = (others: number | undefined) => (others !== undefined && contended(others, 1) ? '*' : '');
    for (const n of epoch?.native ?? [])
      rows.push([
        `infoplane native ${n.variant}, layer 1 ${n.layer1Kernel}`,
        String(n.threads),
        secs(n.trainMedian) + star(n.othersCores),
        secs(n.evaluateMedian),
        'median of ' + n.train.length,
      ]);
    if (epoch)
      rows.push([
        'infoplane reference',
        '1',
        secs(epoch.reference.extrapolatedEpoch) + star(epoch.reference.othersCores),
        secs(epoch.reference.extrapolatedEvaluate),
        `extrapolated from ${epoch.reference.batchesTimed} batches`,
      ]);
    for (const c of torch?.comparisons ?? []) {
      rows.push([`infoplane native default (torch suite)`, String(c.threads), secs(c.nativeTrain) + star(c.othersCores.native), '', 'timed just before torch']);
      rows.push([
        `infoplane native dense L1 (torch suite)`,
        String(c.threads),
        secs(c.nativeDenseTrain) + star(c.othersCores.nativeDense),
        '',
        'timed just before torch',
      ]);
    }
    for (const t of torch?.runs ?? [])
      rows.push([
        `torch ${t.config.torch} + OpenBLAS ${t.config.openblas_corename}`,
        String(t.threads),
        secs(t.epochs.train_median) + star(t.othersCores),
        secs(t.epochs.evaluate_median),
        'median of ' + t.epochs.train.length,
      ]);
    console.log(table(['who', 'threads', 'train/epoch', 'eval', 'how'], rows));
    if (torch?.comparisons.length) {
      console.log(
        `ratios torch ÷ native (training, from the torch suite; target ≥ 2×): ` +
          torch.comparisons.map((c) => `${c.threads}T ${fx(c.speedup, 2)}× default, ${fx(c.speedupDense, 2)}× dense L1`).join('; '),
      );
      console.log(
        `dense GEMM work per epoch as % of FMA peak: ${torch.comparisons.map((c) => `${c.threads}T native dense ${pct(c.nativeFractionOfPeak)} / torch ${pct(c.torchFractionOfPeak)}`).join(', ')}`,
      );
    }
    if (epoch) {
      const n1 = epoch.native.find((n) => n.threads === 1 && n.inputMode === 'auto');
      if (n1) console.log(`native 1T vs reference: ${fx(epoch.reference.extrapolatedEpoch / n1.trainMedian, 0)}× (reference extrapolated)`);
      console.log(
        `floor for a dense epoch: ${fx(epoch.gemmFlopsPerEpoch / 1e9, 2)} GFLOP of GEMM = ${secs(epoch.gemmFlopsPerEpoch / 1e9 / peak.peak1)} at 100% of the 1-thread peak; inputs ${fx(100 * epoch.data.inputDensity, 1)}% non-zero (the default engine skips the zeros in layer 1)`,
      );
    }
  }
  if (torch?.skipped) console.log(`torch peer skipped: ${torch.skipped}`);
  console.log('* = other processes used > 0.25 of a core during that measurement even after retries: treat it as a lower bound on speed');
}

const { json, only } = parseArgs(process.argv.slice(2));
const addon = requireNativeAddon();
const started = performance.now();
// Every suite needs the peak for its "% of peak" column.
const peak = measurePeak();
printPeak(peak);
let gemm: GemmResult | undefined;
let epoch: EpochResult | undefined;
let torch: TorchPeerResult | undefined;
if (only.has('gemm')) {
  gemm = await runGemm(peak);
  printGemm(gemm, peak);
}
if (only.has('epoch')) {
  epoch = runEpoch();
  printEpoch(epoch, peak);
}
if (only.has('torch')) {
  const peer = runTorch([1, 2]);
  torch = compareWithTorch(peer.native, peer, peak);
  printTorch(torch, peak, gemm?.rows);
}
summary(peak, gemm, epoch, torch);
console.log(`\nbench took ${fx((performance.now() - started) / 1000, 0)} s`);
if (json) {
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    addon: addon.features(),
    peak,
    gemm,
    epoch,
    torch,
  };
  writeFileSync(json, JSON.stringify(out, null, 2) + '\n');
  console.log(`results written to ${json}`);
}
