// GFLOP/s of the three products of the default net's big layer (784 → 1024):
// linearForward, linearBackwardInput, linearBackwardWeight, at the training
// batch (128) and at a whole training set (8000 rows), for every SIMD variant
// the addon offers, on 1 and 2 threads. Correctness first (each variant vs the
// reference kernels, thread counts bitwise), then time, then % of the FMA peak.
//
//   npx tsx bench/gemm.bench.ts
import { Bench } from 'tinybench';
import { requireNativeAddon, type NativeAddon } from '../src/backend/native/addon.ts';
import { referenceKernels } from '../src/backend/reference/dense.ts';
import type { DenseKernels } from '../src/backend/kernels.ts';
import { contentionMeter, leastContendedAsync, fillRandom, fx, heading, isMain, pct, secs, table } from './common.ts';
import { measurePeak, printPeak, type PeakResult } from './peak.ts';

export const PRODUCTS = ['linearForward', 'linearBackwardInput', 'linearBackwardWeight'] as const;
export type Product = (typeof PRODUCTS)[number];

export interface GemmRow {
  product: Product;
  B: number;
  IN: number;
  OUT: number;
  variant: string;
  threads: number;
  /** Median seconds per call. */
  seconds: number;
  gflops: number;
  /** Of the measured FMA peak at this thread count (best variant). */
  fractionOfPeak: number;
  samples: number;
  /** Other processes' load (cores) while this variant/thread group ran (the least contended of `attempts` tries). */
  othersCores: number;
  attempts: number;
}

export interface GemmCheck {
  case: string;
  maxError: number;
  bound: number;
  ok: boolean;
}

export interface GemmResult {
  checks: GemmCheck[];
  /** Whether every variant gave the same bits as the scalar one on the check case (the kernels claim they do). */
  variantsBitwiseEqual: boolean;
  rows: GemmRow[];
  notes: string[];
}

const IN = 784;
const OUT = 1024;
const THREADS = [1, 2];

interface Operands {
  B: number;
  IN: number;
  OUT: number;
  W: Float32Array;
  b: Float32Array;
  xT: Float32Array; // [IN, B]
  x: Float32Array; // [B, IN]
  dyT: Float32Array; // [OUT, B]
  outT: Float32Array; // [OUT, B]
  dxT: Float32Array; // [IN, B]
  dW: Float32Array; // [OUT, IN]
  db: Float32Array; // [OUT]
}

function operands(B: number, inF: number, outF: number, seed: number): Operands {
  return {
    B,
    IN: inF,
    OUT: outF,
    W: fillRandom(new Float32Array(outF * inF), seed, 1 / Math.sqrt(inF)),
    b: fillRandom(new Float32Array(outF), seed + 1, 0.1),
    xT: fillRandom(new Float32Array(inF * B), seed + 2),
    x: fillRandom(new Float32Array(B * inF), seed + 3),
    dyT: fillRandom(new Float32Array(outF * B), seed + 4, 0.01),
    // Outputs are written once here so their pages are faulted in before timing.
    outT: new Float32Array(outF * B).fill(0),
    dxT: new Float32Array(inF * B).fill(0),
    dW: new Float32Array(outF * inF).fill(0),
    db: new Float32Array(outF).fill(0),
  };
}

/** Runs one product on `k`; returns the output array it wrote. */
function runProduct(k: DenseKernels, p: Product, o: Operands): Float32Array {
  if (p === 'linearForward') {
    k.linearForward(o.outT, o.xT, o.W, o.b, o.B, o.IN, o.OUT);
    return o.outT;
  }
  if (p === 'linearBackwardInput') {
    k.linearBackwardInput(o.dxT, o.dyT, o.W, o.B, o.IN, o.OUT);
    return o.dxT;
  }
  k.linearBackwardWeight(o.dW, o.db, o.dyT, o.x, o.B, o.IN, o.OUT);
  return o.dW;
}

const abs = (a: Float32Array) => a.map(Math.abs);

/**
 * Each output element of a float32 FMA chain over K terms is within
 * K·2⁻²⁴·Σ|terms| of the exact sum (the reference sums in double); the bound
 * uses 2K for slack. Σ|terms| comes from running the reference on |operands|.
 */
function checkProduct(addon: NativeAddon, p: Product, o: Operands, variant: string): GemmCheck {
  const ref = runProduct(referenceKernels, p, o).slice();
  const absOps = {
    ...o,
    W: abs(o.W),
    b: abs(o.b),
    xT: abs(o.xT),
    x: abs(o.x),
    dyT: abs(o.dyT),
    outT: new Float32Array(o.outT.length),
    dxT: new Float32Array(o.dxT.length),
    dW: new Float32Array(o.dW.length),
    db: new Float32Array(o.db.length),
  };
  const mag = runProduct(referenceKernels, p, absOps).slice();
  addon.setVariant(variant);
  const got = runProduct(addon, p, o);
  const K = p === 'linearForward' ? o.IN + 1 : p === 'linearBackwardInput' ? o.OUT : o.B;
  let maxError = 0;
  let worstRatio = 0;
  let bound = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    const tol = 2 * K * 2 ** -24 * mag[i] + 1e-30;
    if (!(err <= tol) || err / tol > worstRatio) {
      worstRatio = Number.isNaN(err) ? Infinity : err / tol;
      bound = tol;
    }
    if (!(err <= maxError)) maxError = err;
  }
  return { case: `${p}(B=${o.B},IN=${o.IN},OUT=${o.OUT},${variant},${addon.features().threads}T)`, maxError, bound, ok: worstRatio <= 1 };
}

/** Correctness first: every variant vs the reference on small, ragged shapes; thread counts must agree bitwise. */
export function checkGemm(addon: NativeAddon): Pick<GemmResult, 'checks' | 'variantsBitwiseEqual'> {
  const variants = addon.features().variants;
  const checks: GemmCheck[] = [];
  let variantsBitwiseEqual = true;
  for (const [B, inF, outF] of [
    [37, 101, 70],
    [128, 200, 150],
  ]) {
    const o = operands(B, inF, outF, 7);
    for (const p of PRODUCTS) {
      const outputs: Float32Array[] = [];
      for (const variant of variants) {
        for (const threads of THREADS) {
          addon.setThreads(threads);
          const c = checkProduct(addon, p, o, variant);
          checks.push(c);
          const got = runProduct(addon, p, o).slice();
          if (threads === THREADS[0]) outputs.push(got);
          else if (!bitwiseEqual(got, outputs[outputs.length - 1])) {
            checks.push({ case: `${p}(B=${B},IN=${inF},OUT=${outF},${variant}) 1T vs ${threads}T bitwise`, maxError: NaN, bound: 0, ok: false });
          }
        }
      }
      if (!outputs.every((out) => bitwiseEqual(out, outputs[0]))) variantsBitwiseEqual = false;
    }
  }
  addon.setVariant('auto');
  return { checks, variantsBitwiseEqual };
}

function bitwiseEqual(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.length === ub.length && ua.every((v, i) => v === ub[i]);
}

export async function runGemm(peak: PeakResult, opts: { batches?: number[] } = {}): Promise<GemmResult> {
  const addon = requireNativeAddon();
  const savedThreads = addon.features().threads;
  const { checks, variantsBitwiseEqual } = checkGemm(addon);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    throw new Error(`GEMM correctness failed (no timings taken):\n${failed.map((c) => `  ${c.case}: max error ${c.maxError} > bound ${c.bound}`).join('\n')}`);
  }
  const notes: string[] = [];
  const rows: GemmRow[] = [];
  const variants = addon.features().variants;
  for (const B of opts.batches ?? [128, 8000]) {
    const o = operands(B, IN, OUT, 11);
    const flops = 2 * B * IN * OUT;
    const big = B > 1000;
    if (big && variants.includes('scalar')) notes.push(`scalar skipped at B=${B} (≈${fx(flops / 1e9, 1)} GFLOP per call at a few GF/s)`);
    for (const variant of variants) {
      if (big && variant === 'scalar') continue;
      for (const threads of THREADS) {
        addon.setVariant(variant);
        addon.setThreads(threads);
        // ~130 ms per call at B=8000 (and ~170 ms for scalar at B=128): a few calls suffice; at B=128 (~2 ms) let time decide.
        const slow = big || variant === 'scalar';
        const group = await leastContendedAsync(threads, async () => {
          const bench = new Bench({ time: slow ? 0 : 300, iterations: slow ? 5 : 20, warmupTime: 0, warmupIterations: slow ? 1 : 5 });
          for (const p of PRODUCTS)
            bench.add(p, () => {
              runProduct(addon, p, o);
            });
          const meter = contentionMeter();
          await bench.run();
          return { tasks: bench.tasks, othersCores: meter().othersCores };
        });
        for (const task of group.tasks) {
          const r = task.result;
          if (!('latency' in r)) throw new Error(`${task.name} ${variant} ${threads}T: ${r.state}`);
          const seconds = r.latency.p50 / 1000;
          const gflops = flops / seconds / 1e9;
          rows.push({
            product: task.name as Product,
            B,
            IN,
            OUT,
            variant,
            threads,
            seconds,
            gflops,
            fractionOfPeak: gflops / (threads === 1 ? peak.peak1 : peak.peak2),
            samples: r.latency.samplesCount ?? task.runs,
            othersCores: group.othersCores,
            attempts: group.attempts,
          });
        }
      }
    }
  }
  addon.setVariant('auto');
  addon.setThreads(savedThreads);
  return { checks, variantsBitwiseEqual, rows, notes };
}

export function printGemm(res: GemmResult, peak: PeakResult): void {
  heading('GEMM: the 784→1024 layer (native addon)');
  console.log(
    `correctness: ${res.checks.length} checks vs reference kernels (B=37/128, IN=101/200, OUT=70/150, every variant, 1 and 2 threads): all within K·2⁻²³·Σ|terms|; ` +
      `1T vs 2T bitwise equal; variants bitwise equal to each other: ${res.variantsBitwiseEqual ? 'yes' : 'NO'}`,
  );
  const worst = res.checks.reduce((w, c) => (c.maxError / c.bound > w.maxError / w.bound ? c : w));
  console.log(`  worst: ${worst.case} max |err| ${worst.maxError.toExponential(2)} (bound there ${worst.bound.toExponential(2)})`);
  console.log(
    `peak: ${fx(peak.peak1)} GF/s (1T), ${fx(peak.peak2)} GF/s (2T); each call is 2·B·784·1024 flop = ${fx((2 * 128 * IN * OUT) / 1e6, 0)} MFLOP at B=128, ${fx((2 * 8000 * IN * OUT) / 1e9, 2)} GFLOP at B=8000`,
  );
  console.log(
    table(
      ['product', 'B', 'variant', 'threads', 'median/call', 'GF/s', '% peak', 'others busy', 'tries'],
      res.rows.map((r) => [
        r.product,
        String(r.B),
        r.variant,
        String(r.threads),
        secs(r.seconds),
        fx(r.gflops),
        pct(r.fractionOfPeak),
        fx(r.othersCores, 2),
        String(r.attempts),
      ]),
    ),
  );
  console.log(
    '(others busy: cores used by other processes while that variant/thread group ran, least contended of up to 3 tries; ' +
      'above ~0.25 the figure measures the neighbours too)',
  );
  // Napkin: operand bytes vs DRAM; at B=8000 the activations (25–33 MB) stream from DRAM once per 256-column block.
  const bytes = (B: number) => 4 * (IN * OUT + IN * B + OUT * B);
  console.log(
    `napkin: bytes touched once per call: ${fx(bytes(128) / 1e6, 1)} MB at B=128 (fits L2+L3), ${fx(bytes(8000) / 1e6, 0)} MB at B=8000; ` +
      `arithmetic intensity ${fx((2 * 128 * IN * OUT) / bytes(128), 0)} and ${fx((2 * 8000 * IN * OUT) / bytes(8000), 0)} flop/byte — compute-bound at both sizes if blocked well.`,
  );
  for (const n of res.notes) console.log(`note: ${n}`);
}

if (isMain(import.meta.url)) {
  const peak = measurePeak();
  printPeak(peak);
  const res = await runGemm(peak);
  printGemm(res, peak);
}
