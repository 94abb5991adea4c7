// The machine's FMA peak, measured rather than looked up: compiles
// bench/fma-peak.cc with g++ into /tmp (the addon's build files stay untouched)
// and runs it for AVX2 and AVX-512 on 1 and 2 threads. Every "% of peak" in
// the other suites divides by these numbers.
//
//   npx tsx bench/peak.ts
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentionMeter, fx, heading, isMain, leastContended, table } from './common.ts';

export interface CpuInfo {
  modelName: string;
  family: number;
  model: number;
  /** Our reading of family/model: Zen 4 (family 25 = 0x19) or Zen 5 (family 26 = 0x1a), else "unknown". */
  microarch: string;
  logicalCpus: number;
}

export interface PeakResult {
  cpu: CpuInfo;
  /** GFLOP/s by variant and thread count; undefined when the CPU lacks the ISA. */
  gflops: Record<'avx2' | 'avx512', { 1?: number; 2?: number }>;
  /** The best variant's figure at 1 thread: the denominator of every 1-thread "% of peak". */
  peak1: number;
  /**
   * The 2-thread denominator: the best measured 2-thread figure, unless that is
   * below 1.9 × peak1 while other processes were busy (this machine's two CPUs
   * are separate cores: a quiet probe gives 2.00×), then 2 × peak1.
   */
  peak2: number;
  peak2Basis: 'measured' | 'twice the 1-thread peak';
  /**
   * GF/s on 1 thread of the input-sparse kernels' loop shape with every operand in L1 (fma-peak.cc
   * rows-avx2: each FMA loads its weight-row vector): what those kernels can reach on this core.
   * Undefined without AVX2.
   */
  rowUpdate1?: number;
  /** Other processes' load (in cores) during the 1- and 2-thread probes (the worst of the variants). */
  othersCores1: number;
  othersCores2: number;
}

export function readCpuInfo(): CpuInfo {
  const text = readFileSync('/proc/cpuinfo', 'utf8');
  const first = text.split('\n\n')[0];
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(first)?.[1]?.trim() ?? '';
  const family = Number(field('cpu family'));
  const model = Number(field('model'));
  const vendor = field('vendor_id');
  let microarch = 'unknown';
  if (vendor === 'AuthenticAMD' || /AMD/.test(field('model name'))) {
    // AMD: family 0x19 is Zen 3/Zen 4 (Zen 4 models 0x10–0x1f, 0x60–0x7f, 0xa0–0xaf), family 0x1a is Zen 5.
    if (family === 26) microarch = 'Zen 5';
    else if (family === 25)
      microarch = (model >= 0x10 && model <= 0x1f) || (model >= 0x60 && model <= 0x7f) || (model >= 0xa0 && model <= 0xaf) ? 'Zen 4' : 'Zen 3 (or Zen 4)';
  }
  const logicalCpus = (text.match(/^processor\s*:/gm) ?? []).length;
  return { modelName: field('model name'), family, model, microarch, logicalCpus };
}

/** Compiles the probe once per source version (cached in /tmp by content hash). */
function probeBinary(): string {
  const src = join(dirname(fileURLToPath(import.meta.url)), 'fma-peak.cc');
  const hash = createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 12);
  const bin = join(tmpdir(), `infoplane-fma-peak-${hash}`);
  if (!existsSync(bin)) execFileSync('g++', ['-O2', '-pthread', src, '-o', bin], { stdio: ['ignore', 'inherit', 'inherit'] });
  return bin;
}

export function measurePeak(): PeakResult {
  const bin = probeBinary();
  const cpu = readCpuInfo();
  const gflops: PeakResult['gflops'] = { avx2: {}, avx512: {} };
  let othersCores1 = 0;
  let othersCores2 = 0;
  // The least contended of repeated probes of one variant, with the other processes' load while it ran.
  const probe = (variant: string, threads: 1 | 2) =>
    leastContended(threads, () => {
      const meter = contentionMeter();
      const r = JSON.parse(execFileSync(bin, [variant, String(threads), '150'], { encoding: 'utf8' })) as { supported: boolean; gflops?: number };
      return { ...r, othersCores: meter().othersCores };
    });
  for (const variant of ['avx2', 'avx512'] as const) {
    for (const threads of [1, 2] as const) {
      const out = probe(variant, threads);
      if (threads === 2) othersCores2 = Math.max(othersCores2, out.othersCores);
      else othersCores1 = Math.max(othersCores1, out.othersCores);
      if (out.supported) gflops[variant][threads] = out.gflops;
    }
  }
  const rows = gflops.avx2[1] === undefined ? undefined : probe('rows-avx2', 1);
  const best = (t: 1 | 2) => Math.max(gflops.avx2[t] ?? 0, gflops.avx512[t] ?? 0);
  const peak1 = best(1);
  const measured2 = best(2);
  const contended = measured2 < 1.9 * peak1 && othersCores2 > 0.1 && cpu.logicalCpus >= 2;
  return {
    cpu,
    gflops,
    peak1,
    peak2: contended ? 2 * peak1 : measured2,
    peak2Basis: contended ? 'twice the 1-thread peak' : 'measured',
    rowUpdate1: rows?.gflops,
    othersCores1,
    othersCores2,
  };
}

export function printPeak(p: PeakResult): void {
  heading('FMA peak (bench/fma-peak.cc: 12 independent FMA chains, float32)');
  const { cpu } = p;
  console.log(
    `CPU: ${cpu.modelName}, family ${cpu.family} model ${cpu.model} (0x${cpu.model.toString(16)}) → ${cpu.microarch}; ${cpu.logicalCpus} logical CPUs`,
  );
  console.log(
    table(
      ['variant', '1 thread GF/s', '2 threads GF/s', '2T / 1T'],
      (['avx2', 'avx512'] as const).map((v) => [v, fx(p.gflops[v][1]), fx(p.gflops[v][2]), fx((p.gflops[v][2] ?? NaN) / (p.gflops[v][1] ?? NaN), 2)]),
    ),
  );
  // Zen 4 runs 512-bit FMAs as two 256-bit halves (same peak as AVX2); Zen 5 has full-width 512-bit pipes (2× AVX2).
  const ratio = (p.gflops.avx512[1] ?? NaN) / (p.gflops.avx2[1] ?? NaN);
  console.log(
    `avx512/avx2 = ${fx(ratio, 2)} (≈1 on Zen 4, double-pumped; ≈2 on Zen 5). Peak used below: ${fx(p.peak1)} GF/s on 1 thread, ${fx(p.peak2)} GF/s on 2 (${p.peak2Basis}).`,
  );
  if (p.rowUpdate1 !== undefined)
    console.log(
      `The input-sparse kernels' loop shape (rows-avx2: a weight-row vector loaded per FMA, every operand in L1): ${fx(p.rowUpdate1)} GF/s on 1 thread, ${fx((100 * p.rowUpdate1) / p.peak1, 0)}% of the peak.`,
    );
  if (p.othersCores1 > 0.25)
    console.log(
      `WARNING: other processes used ${fx(p.othersCores1, 2)} cores during the 1-thread probe: the peak (and every % of peak) is unreliable in this run`,
    );
  console.log(
    `other processes during the 2-thread probes: ${fx(p.othersCores2, 2)} cores` +
      (p.peak2Basis === 'measured' ? '' : ' — the second core was contended, so the 2-thread denominator is 2 × the 1-thread peak'),
  );
  console.log(
    'napkin: 2 FMA pipes × 256 bit = 32 flop/cycle on Zen 4 → peak/32 ≈ ' + fx(p.peak1 / 32, 2) + ' GHz effective clock; on Zen 5 (2 × 512 bit) divide by 64.',
  );
}

if (isMain(import.meta.url)) printPeak(measurePeak());
