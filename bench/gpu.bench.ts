// GPU (gpu.js) vs native, per kernel and per training epoch of a small net,
// with the transfer time (argument upload + result download) separated from
// the compute: the rows of gpuBenchRows() (src/backend/gpu/bench-rows.ts,
// which checks every kernel against native before timing it), timed here with
// tinybench (median), for each gpu.js mode asked for.
//
//   npx tsx bench/gpu.bench.ts                       (webasm and cpu; headlessgl too when it can run)
//   xvfb-run -a npx tsx bench/gpu.bench.ts --mode headlessgl,webasm,cpu --json gpu.json
//   npx tsx bench/gpu.bench.ts --quick               (small shapes only)
//
// headlessgl needs a built `gl` and an X server (TOOLCHAIN.md "gpu.js 2.24");
// on a machine without a GPU it renders with Mesa llvmpipe, on the CPU.
import { writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { type BenchTimer, type GpuBenchOptions, type GpuBenchRow, gpuBenchRows } from '../src/bench/gpu-rows.ts';
import { GPUJS_MODES, type GpuJsMode, probeGpuJs } from '../src/backend/gpu/loader.ts';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { fx, heading, isMain, table } from './common.ts';

/** tinybench's median of fn (warmed up once), in ms; at least 3 samples, more while under 250 ms. */
export const tinybenchTimer: BenchTimer = async (label, fn) => {
  const bench = new Bench({ time: 250, iterations: 3, warmupTime: 0, warmupIterations: 1 });
  bench.add(label, fn);
  await bench.run();
  const r = bench.tasks[0].result;
  if (!('latency' in r)) throw new Error(`${label}: ${r.state}`);
  return r.latency.p50 ?? r.latency.mean;
};

const gflops = (flops: number, ms: number) => (flops > 0 && ms > 0 ? flops / ms / 1e6 : Number.NaN);

export function printGpuRows(rows: GpuBenchRow[]): void {
  console.log(
    table(
      ['kernel', 'shape', 'mode', 'total ms', 'transfer ms', 'compute ms', 'native ms', 'total ÷ native', 'GF/s compute', 'GF/s native'],
      rows.map((r) => [
        r.kernel,
        r.shape,
        r.mode,
        fx(r.totalMs, 2),
        fx(r.transferMs, 2),
        fx(r.gpuMs, 2),
        fx(r.nativeMs, 3),
        `${fx(r.totalMs / r.nativeMs, 1)}×`,
        fx(gflops(r.flops, r.gpuMs), 2),
        fx(gflops(r.flops, r.nativeMs), 1),
      ]),
    ),
  );
}

function parseArgs(argv: string[]): { modes?: GpuJsMode[]; json?: string; quick: boolean } {
  let modes: GpuJsMode[] | undefined;
  let json: string | undefined;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mode' || a === '--modes') modes = parseModes(argv[++i]);
    else if (a.startsWith('--mode=')) modes = parseModes(a.slice(7));
    else if (a === '--json') json = argv[++i];
    else if (a === '--quick') quick = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: tsx bench/gpu.bench.ts [--mode headlessgl,webasm,cpu] [--quick] [--json out.json]');
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(a)}`);
  }
  return { modes, json, quick };
}

function parseModes(list: string | undefined): GpuJsMode[] {
  const names = (list ?? '').split(',').filter(Boolean);
  for (const n of names)
    if (!(GPUJS_MODES as readonly string[]).includes(n))
      throw new Error(`--mode: unknown gpu.js mode ${JSON.stringify(n)} (expected ${GPUJS_MODES.join(', ')})`);
  return names as GpuJsMode[];
}

export async function runGpuBench(modes: GpuJsMode[], quick: boolean): Promise<{ rows: GpuBenchRow[]; skipped: { mode: string; reason: string }[] }> {
  const rows: GpuBenchRow[] = [];
  const skipped: { mode: string; reason: string }[] = [];
  const options: GpuBenchOptions = quick
    ? {
        products: [
          [128, 20, 20],
          [128, 784, 64],
        ],
        binning: [[2000, 20, 'fixed:30']],
        epoch: { sizes: [784, 32, 16, 10], rows: 1000, batch: 128 },
      }
    : {};
  for (const mode of modes) {
    const status = probeGpuJs({ mode });
    if (!status.available) {
      skipped.push({ mode, reason: status.reason ?? 'unavailable' });
      continue;
    }
    heading(`gpu.js ${status.version} mode ${mode} (kernels: ${status.picked}) vs native`);
    const started = performance.now();
    const modeRows = await gpuBenchRows({
      ...options,
      mode,
      timer: tinybenchTimer,
      onRow: (r) => console.log(`  ${r.kernel}(${r.shape}): total ${fx(r.totalMs, 2)} ms (transfer ${fx(r.transferMs, 2)}), native ${fx(r.nativeMs, 3)} ms`),
    });
    printGpuRows(modeRows);
    console.log(`(${fx((performance.now() - started) / 1000, 0)} s)`);
    rows.push(...modeRows);
  }
  return { rows, skipped };
}

if (isMain(import.meta.url)) {
  const { modes: asked, json, quick } = parseArgs(process.argv.slice(2));
  const addon = requireNativeAddon();
  const gl = probeGpuJs({ mode: 'headlessgl' });
  const modes = asked ?? ([...(gl.available ? ['headlessgl' as const] : []), 'webasm', 'cpu'] as GpuJsMode[]);
  console.log(`native ${addon.features().variant}, ${addon.features().threads} threads; headless-gl: ${gl.available ? 'available' : gl.gl.state}`);
  const { rows, skipped } = await runGpuBench(modes, quick);
  for (const s of skipped) console.log(`mode ${s.mode} skipped: ${s.reason}`);
  console.log(
    'transfer = a kernel with the same arguments and output and no arithmetic; compute = total − transfer. ' +
      'webasm and cpu have no device memory: their "transfer" is the copy into the kernel\'s memory and out of it.',
  );
  if (json) {
    writeFileSync(json, JSON.stringify({ date: new Date().toISOString(), node: process.version, addon: addon.features(), rows, skipped }, null, 2) + '\n');
    console.log(`results written to ${json}`);
  }
}
