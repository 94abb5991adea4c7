// The one timer of autotuning and benchmarks.

/**
 * Seconds of the fastest of several runs of `run` after a warm-up (repeated for at least
 * `minSeconds` and 3 times). The minimum, not the median: on a shared machine the slower
 * repeats measure the neighbours (descheduling, their cache traffic), not the kernel.
 */
export function timeFastest(run: () => void, minSeconds = 0): number {
  run(); // warm-up: page faults, pool threads, caches
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start) / 1000 < minSeconds) {
    const t0 = performance.now();
    run();
    times.push((performance.now() - t0) / 1000);
    if (times.length >= 200) break;
  }
  return Math.min(...times);
}
