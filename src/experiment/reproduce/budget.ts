// What a reproduction costs, projected from per-epoch costs measured on the
// development machine (2 cores, AVX-512, native backend, 2 workers with one
// kernel thread each, so each worker shares the memory bus with the other).
// `infoplane reproduce --dry-run` prints the projection; the page states the
// measured wall time of the runs themselves (timing.json).
import type { ReproductionPlan } from './plan.ts';
import { subsetSizes } from './settings.ts';

// Measured: `infoplane reproduce seed-report --seeds 1 --epochs 2 --workers 2`
// (19 runs) took 8.3 s per run, 80 s for the runs and 89 s in all.
export const COST = Object.freeze({
  /** Seconds of one training epoch on the 60 000 training images plus the test evaluation, per worker, 2 workers busy. */
  epochSeconds: 3.3,
  /** Seconds of one MI measurement of every layer on the 10 000 test images, per binning. */
  miSeconds: 0.3,
  /** Seconds per run outside the epochs: network init, pruning, the subsample of a subset. */
  runSeconds: 1,
  /** Seconds per invocation: preflight of every setting, workers starting and loading full MNIST, the page. */
  fixedSeconds: 30,
});

export interface Projection {
  runs: number;
  seconds: number;
  /** Per setting: runs and projected worker-seconds. */
  settings: { id: string; runs: number; workerSeconds: number }[];
}

export function projectReproduction(plan: ReproductionPlan, workers: number, shards = 1): Projection {
  const { epochs, subset } = plan.options;
  const sizes = subset === null ? { trainSize: 60000, testSize: 10000 } : subsetSizes(subset);
  const trainScale = sizes.trainSize / 60000;
  const testScale = sizes.testSize / 10000;
  const settings = plan.settings.map((s) => {
    const perRun = COST.runSeconds + epochs * (COST.epochSeconds * trainScale + COST.miSeconds * testScale * s.binnings.length) + COST.miSeconds * testScale * s.binnings.length;
    return { id: s.id, runs: s.seeds, workerSeconds: s.seeds * perRun };
  });
  const runs = settings.reduce((n, s) => n + s.runs, 0);
  const work = settings.reduce((n, s) => n + s.workerSeconds, 0);
  return { runs, seconds: COST.fixedSeconds + work / Math.max(1, workers) / Math.max(1, shards), settings };
}
