// A run of a trials pool going alone widens to the pool's idle cores, and its results
// stay those of a run on one thread.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/experiment/spec.ts';
import { type PoolJob, type PoolResult, runPool } from '../../src/experiment/trials/pool.ts';

const tiny = (epochs: number, seed: number) =>
  parseSpec({ seed, threads: 1, net: { hidden: [16, 8] }, train: { epochs }, data: { trainSize: 300, testSize: 200 } });

describe('trials pool tail', () => {
  it('a run going alone goes on with every core the pool was given, with the same results', async () => {
    // A 1-epoch run beside one of 100: the long one goes alone for most of its epochs, after
    // the short one ends or before it starts, whichever way the two workers' start-up falls.
    const jobs: PoolJob[] = [
      { id: 0, spec: tiny(1, 1) },
      { id: 1, spec: tiny(100, 3) },
    ];
    const threads: number[] = [];
    const results = new Map<number, PoolResult>();
    await runPool(
      jobs,
      2,
      (job, r) => results.set(job.id, r),
      (job, _epoch, t) => {
        if (job.id === 1) threads.push(t);
      },
    );
    expect(threads).toHaveLength(100);
    expect(threads).toContain(Math.min(2, availableParallelism()));
    // Alone in a pool of one, the same seed stays on one thread throughout and trains the same bits.
    const alone: number[] = [];
    let aloneResult: PoolResult | undefined;
    await runPool(
      [jobs[1]],
      1,
      (_job, r) => (aloneResult = r),
      (_job, _epoch, t) => alone.push(t),
    );
    expect(alone).toEqual(new Array(100).fill(1));
    const r = results.get(1)!;
    expect(r.ok && aloneResult?.ok).toBe(true);
    // Everything but the wall-clock seconds.
    const bits = (p: PoolResult | undefined) => (p?.ok ? JSON.stringify({ ...p.run, seconds: 0 }) : undefined);
    expect(bits(r)).toBe(bits(aloneResult));
  });
});
