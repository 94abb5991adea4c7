// Small helpers shared by the bench suites: "am I the entry point", number
// formatting, plain-text tables and medians. No project logic here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when the module with this import.meta.url is the script tsx was asked to run. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(moduleUrl);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Fixed decimals, or '–' for a missing value. */
export function fx(v: number | undefined, digits = 1): string {
  return v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

export function pct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(0)}%`;
}

/** Seconds with a unit suited to the size. */
export function secs(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '–';
  return s < 1e-3 ? `${(s * 1e6).toFixed(0)} µs` : s < 1 ? `${(s * 1e3).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}

/** A left-aligned first column, right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

export { fillLcg as fillRandom } from '../src/core/lcg-fill.ts';

/**
 * How busy the machine was with *other* processes while we measured. The
 * machine is shared (other sessions run builds and tests on the same two
 * cores), so every timed section reports the CPU time spent outside this
 * process and its waited-for children, as a fraction of one core:
 * ~0 = quiet; ≥ 0.3 = a second thread of ours likely lost its core part of the time.
 */
export interface Contention {
  wallSeconds: number;
  /** Other processes' CPU seconds ÷ wall seconds (1.0 = one core fully taken). */
  othersCores: number;
}

function clockTicks(): { busy: number; ours: number } {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq] = f.map(Number);
  // /proc/self/stat: comm may contain spaces; fields after ')' start at #3 (state).
  const self = readFileSync('/proc/self/stat', 'utf8');
  const g = self
    .slice(self.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const [utime, stime, cutime, cstime] = [g[11], g[12], g[13], g[14]];
  return { busy: user + nice + system + irq + softirq, ours: utime + stime + cutime + cstime };
}

/** Starts a contention meter; call the returned function when the timed section ends. */
export function contentionMeter(): () => Contention {
  const t0 = performance.now();
  const a = clockTicks();
  return () => {
    const b = clockTicks();
    const wallSeconds = (performance.now() - t0) / 1000;
    const hz = 100; // USER_HZ on Linux
    const others = Math.max(0, b.busy - a.busy - (b.ours - a.ours)) / hz;
    return { wallSeconds, othersCores: wallSeconds > 0 ? others / wallSeconds : 0 };
  };
}

/**
 * True when other processes used more than a quarter of a core. Even with a
 * core nominally free, a 1-thread kernel lost up to 40% to a neighbour using
 * half a core (scheduler migrations, shared L3 and DRAM), so the threshold
 * does not depend on how many threads we run.
 */
export function contended(othersCores: number, _threads: number): boolean {
  return othersCores > 0.25;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs a measurement, and again (up to `maxAttempts`, 2 s apart) while other
 * processes were contending for the cores it needs; keeps the least contended
 * attempt. The shared machine then yields figures for the kernels, not for
 * the neighbours' test runs. `attempts` records how many it took.
 */
export function leastContended<T extends { othersCores: number }>(threads: number, run: () => T, maxAttempts = 3): T & { attempts: number } {
  let best: T | undefined;
  let attempts = 0;
  while (attempts < maxAttempts) {
    if (attempts > 0) sleepSync(2000);
    const r = run();
    attempts++;
    if (!best || r.othersCores < best.othersCores) best = r;
    if (!contended(r.othersCores, threads)) break;
  }
  return { ...(best as T), attempts };
}

export async function leastContendedAsync<T extends { othersCores: number }>(
  threads: number,
  run: () => Promise<T>,
  maxAttempts = 3,
): Promise<T & { attempts: number }> {
  let best: T | undefined;
  let attempts = 0;
  while (attempts < maxAttempts) {
    if (attempts > 0) await new Promise((r) => setTimeout(r, 2000));
    const r = await run();
    attempts++;
    if (!best || r.othersCores < best.othersCores) best = r;
    if (!contended(r.othersCores, threads)) break;
  }
  return { ...(best as T), attempts };
}

/**
 * `target` with every method call timed: seconds[key] and calls[key] accumulate per key,
 * key(method name, arguments) naming the bucket (one performance.now() pair per call).
 */
export function timedMethods<T extends object>(
  target: T,
  seconds: Record<string, number>,
  calls: Record<string, number> = {},
  key: (name: string, args: unknown[]) => string = (name) => name,
): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const k = key(String(prop), args);
        const t0 = performance.now();
        const r = (v as (...a: unknown[]) => unknown).apply(t, args);
        seconds[k] = (seconds[k] ?? 0) + (performance.now() - t0) / 1000;
        calls[k] = (calls[k] ?? 0) + 1;
        return r;
      };
    },
  });
}
