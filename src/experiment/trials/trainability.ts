// The trainability curve of a sweep: per series (the grid keys other than
// the x axis, e.g. the pruning mode) and x value (amount by default), the
// fraction of runs `trained` and the fraction at chance level (`chance` or
// `collapse`: a collapsed net predicts the majority class), each with its
// Wilson 95% interval; and the x where the trained fraction crosses 50%,
// by linear interpolation between the two grid points that bracket it (the
// first crossing along x). Its error bar is where the Wilson interval's lower
// and upper bounds cross 50%, interpolated the same way: a rough band that
// shows the grid's resolution and the seeds' count, not a formal confidence
// interval of the threshold.
import type { Incompleteness } from './shard-record.ts';
import type { TrialRecord } from './record.ts';
import type { SweepPlan } from './sweep.ts';
import { type Proportion, proportion } from './wilson.ts';
import { GRID_KEYS } from './grid.ts';
import { ACCURACY_OUTCOMES } from './classify.ts';

export interface CellRow {
  name: string;
  values: Record<string, string>;
  specHash: string;
  runs: number;
  trained: Proportion;
  chance: Proportion;
  /** Runs per accuracy outcome. */
  counts: Record<string, number>;
}

export interface TrainabilityPoint {
  x: number;
  cell: string;
  runs: number;
  trained: Proportion;
  chance: Proportion;
}

export interface Threshold50 {
  /** x where the trained fraction crosses 0.5; null when it does not within the grid. */
  x: number | null;
  /** Where the lower and upper Wilson bounds cross 0.5 (null: not within the grid). */
  fromLowerBound: number | null;
  fromUpperBound: number | null;
}

export interface TrainabilitySeries {
  /** The other keys' values, e.g. `prune=global-weight`; `all` when x is the only key. */
  series: string;
  points: TrainabilityPoint[];
  threshold50: Threshold50;
}

export interface SweepSummary {
  baseHash: string;
  seedsPerCell: { min: number; max: number };
  xKey: string | null;
  series: TrainabilitySeries[];
  cells: CellRow[];
  method: string;
  /** Only in a merge made with --allow-incomplete: what is missing. */
  incomplete?: Incompleteness;
}

export const THRESHOLD_METHOD =
  'linear interpolation of the trained fraction between the two grid points that bracket 50% (first crossing along x); ' +
  'the band is the same for the Wilson 95% lower and upper bounds';

/** The x where ys crosses `level` first, linearly interpolated; null when it does not. */
export function crossing(xs: readonly number[], ys: readonly number[], level = 0.5): number | null {
  for (let i = 0; i < xs.length; i++) {
    if (ys[i] === level) return xs[i];
    if (i + 1 < xs.length && (ys[i] - level) * (ys[i + 1] - level) < 0) {
      return xs[i] + ((level - ys[i]) * (xs[i + 1] - xs[i])) / (ys[i + 1] - ys[i]);
    }
  }
  return null;
}

function xKeyOf(plan: SweepPlan): string | null {
  if (plan.axes.some((a) => a.key === 'amount')) return 'amount';
  return plan.axes.find((a) => GRID_KEYS[a.key].numeric)?.key ?? null;
}

export function summarizeSweep(plan: SweepPlan, baseHash: string, recordsPerCell: readonly (readonly TrialRecord[])[]): SweepSummary {
  const cells: CellRow[] = plan.cells.map((cell, i) => {
    const records = recordsPerCell[i].filter((r) => r.specHash === cell.specHash);
    const n = (label: string) => records.filter((r) => r.outcome.accuracy === label).length;
    return {
      name: cell.name,
      values: cell.texts,
      specHash: cell.specHash,
      runs: records.length,
      trained: proportion(n('trained'), records.length),
      chance: proportion(n('chance') + n('collapse'), records.length),
      counts: Object.fromEntries(ACCURACY_OUTCOMES.map((label) => [label, n(label)])),
    };
  });
  const xKey = xKeyOf(plan);
  const seriesOf = (row: CellRow) => {
    const others = plan.axes.filter((a) => a.key !== xKey).map((a) => `${a.key}=${row.values[a.key]}`);
    return others.length ? others.join(' ') : 'all';
  };
  const series: TrainabilitySeries[] = [];
  if (xKey) {
    for (const name of [...new Set(cells.map(seriesOf))]) {
      const points = cells
        .filter((row) => seriesOf(row) === name && row.runs > 0)
        .map((row) => ({ x: Number(row.values[xKey]), cell: row.name, runs: row.runs, trained: row.trained, chance: row.chance }))
        .sort((a, b) => a.x - b.x);
      const xs = points.map((p) => p.x);
      series.push({
        series: name,
        points,
        threshold50: {
          x: crossing(xs, points.map((p) => p.trained.fraction ?? Number.NaN)),
          fromLowerBound: crossing(xs, points.map((p) => p.trained.wilson95[0])),
          fromUpperBound: crossing(xs, points.map((p) => p.trained.wilson95[1])),
        },
      });
    }
  }
  const runs = cells.map((c) => c.runs);
  return { baseHash, seedsPerCell: { min: Math.min(...runs), max: Math.max(...runs) }, xKey, series, cells, method: THRESHOLD_METHOD };
}
