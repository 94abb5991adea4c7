// A run of a trials pool going alone widens to the pool's idle cores, and its results
// stay those of a run on one thread.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/experiment/spec.ts';
import { type PoolJob, type PoolResult, runPool } from '../../src/experiment/trials/pool.ts';

const tiny = (epochs: number, seed: number) =>
  parseSpec({ seed, threads: 1, net: { hidden: [16, 8] }, train: { epochs }, data: { trainSize: 300, testSize: 200 } });

describe('trials pool tail', () => {
  it('the run left alone goes on with every core the pool was given, with the same results', async () => {
    // Two 1-epoch runs, then one of 6 epochs: it starts when a short run ends, and the other
    // short one is done long before its last epoch.
    const jobs: PoolJob[] = [
      { id: 0, spec: tiny(1, 1) },
      { id: 1, spec: tiny(1, 2) },
      { id: 2, spec: tiny(6, 3) },
    ];
    const threads: number[] = [];
    const results = new Map<number, PoolResult>();
    await runPool(
      jobs,
      2,
      (job, r) => results.set(job.id, r),
      (job, _epoch, t) => {
        if (job.id === 2) threads.push(t);
      },
    );
    expect(threads).toHaveLength(6);
    expect(threads.at(-1)).toBe(Math.min(2, availableParallelism()));
    // Alone in a pool of one, the same seed stays on one thread throughout and trains the same bits.
    const alone: number[] = [];
    let aloneResult: PoolResult | undefined;
    await runPool(
      [jobs[2]],
      1,
      (_job, r) => (aloneResult = r),
      (_job, _epoch, t) => alone.push(t),
    );
    expect(alone).toEqual([1, 1, 1, 1, 1, 1]);
    const r = results.get(2)!;
    expect(r.ok && aloneResult?.ok).toBe(true);
    // Everything but the wall-clock seconds.
    const bits = (p: PoolResult | undefined) => (p?.ok ? JSON.stringify({ ...p.run, seconds: 0 }) : undefined);
    expect(bits(r)).toBe(bits(aloneResult));
  });
});
