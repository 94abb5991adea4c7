// The trainability curve of a sweep: per series (the grid keys other than
// the x axis, e.g. the pruning mode) and x value (amount by default), the
// fraction of runs `trained` and the fraction at chance level (`chance` or
// `collapse`: a collapsed net predicts the majority class), each with its
// Wilson 95% interval. Runs that ended in `error` say nothing about
// trainability: they are left out of both fractions' denominators and
// counted apart (`errors`).
//
// The threshold is where the trained fraction FALLS through 50% as x grows
// (from ≥ 50% at one grid point to < 50% at the next), by linear
// interpolation between the two; a rise through 50% is not a limit of
// trainability. A non-monotone curve can fall through 50% more than once:
// `x` is the first fall and `crossings` lists every one, so a page can say
// the curve is not monotone. Its band is where the Wilson interval's lower
// and upper bounds fall through 50%, interpolated the same way: a rough band
// that shows the grid's resolution and the seeds' count, not a formal
// confidence interval of the threshold.
//
// Layer collapse (no input→output path through kept weights, the pruning
// analysis's effective view) is counted per cell from each run's pruning
// report, and each series gets its critical x (Tanaka et al. 2020's
// "critical compression"): the largest grid x such that no seed collapsed
// at it or at any smaller x of the series.
import type { Incompleteness } from './shard-record.ts';
import type { TrialRecord } from './record.ts';
import type { SweepPlan } from './sweep.ts';
import { type Proportion, proportion } from './wilson.ts';
import { GRID_KEYS } from './grid.ts';
import { ACCURACY_OUTCOMES, watchedLayers } from './classify.ts';
import { trajectory, type Trajectory } from './summary.ts';

export interface CellRow {
  name: string;
  values: Record<string, string>;
  specHash: string;
  /** Runs that finished (errors excluded): the denominator of the fractions. */
  runs: number;
  errors: number;
  trained: Proportion;
  chance: Proportion;
  degraded: Proportion;
  /** Runs whose masks leave no input→output path. */
  collapse: Proportion;
  /** Runs per accuracy outcome. */
  counts: Record<string, number>;
}

export interface TrainabilityPoint {
  x: number;
  cell: string;
  /** Runs that finished (errors excluded). */
  runs: number;
  errors: number;
  trained: Proportion;
  chance: Proportion;
  /** Neither trained nor at chance: learned something, short of the baseline. */
  degraded: Proportion;
  /** Runs whose masks leave no input→output path. */
  collapse: Proportion;
}

export interface Threshold50 {
  /** x where the trained fraction first falls through 0.5; null when it does not within the grid. */
  x: number | null;
  /** Every x where it falls through 0.5, in order (more than one: the curve is not monotone). */
  crossings: number[];
  /** Where the lower and upper Wilson bounds cross 0.5 (null: not within the grid). */
  fromLowerBound: number | null;
  fromUpperBound: number | null;
}

export interface TrainabilitySeries {
  /** The other keys' values, e.g. `prune=global-weight`; `all` when x is the only key. */
  series: string;
  points: TrainabilityPoint[];
  threshold50: Threshold50;
  /** The largest x with no collapsed run at it or below (null: collapse at the first x). */
  criticalX: number | null;
}

/** The median information plane of each series' runs at one x (its cell nearest to it). */
export interface SeriesPlanes {
  /** The x asked for; each series shows its cell nearest to it. */
  x: number;
  /** The last hidden layer (e.g. h4). */
  layer: string;
  /** Series → its cell and the median trajectory of that layer. */
  bySeries: Record<string, { cell: string; x: number; trajectory: Trajectory }>;
}

export interface SweepSummary {
  baseHash: string;
  seedsPerCell: { min: number; max: number };
  xKey: string | null;
  series: TrainabilitySeries[];
  /** Present when the runs measured MI and the sweep has an x axis. */
  planes?: SeriesPlanes;
  cells: CellRow[];
  method: string;
  /** Only in a merge made with --allow-incomplete: what is missing. */
  incomplete?: Incompleteness;
}

export const THRESHOLD_METHOD =
  'linear interpolation of the trained fraction between the two grid points where it falls from ≥ 50% to < 50% (the first such fall along x; ' +
  'every fall is listed when the curve is not monotone); the band is the same for the Wilson 95% lower and upper bounds; error runs are excluded from the fractions';

/** Every x where ys falls through `level` (from ≥ level to < level as x grows), linearly interpolated. */
export function fallingCrossings(xs: readonly number[], ys: readonly number[], level = 0.5): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < xs.length; i++) {
    if (!(ys[i] >= level && ys[i + 1] < level)) continue;
    out.push(ys[i] === level ? xs[i] : xs[i] + ((level - ys[i]) * (xs[i + 1] - xs[i])) / (ys[i + 1] - ys[i]));
  }
  return out;
}

/** The first x where ys falls through `level`; null when it never does. */
export function crossing(xs: readonly number[], ys: readonly number[], level = 0.5): number | null {
  return fallingCrossings(xs, ys, level)[0] ?? null;
}

const finished = (records: readonly TrialRecord[]) => records.filter((r) => r.status === 'ok');

/** A point of the curve: errors counted apart, fractions over the runs that finished. */
export function trainabilityPoint(x: number, cell: string, records: readonly TrialRecord[]): TrainabilityPoint {
  const ok = finished(records);
  const n = (label: string) => ok.filter((r) => r.outcome.accuracy === label).length;
  return {
    x,
    cell,
    runs: ok.length,
    errors: records.length - ok.length,
    trained: proportion(n('trained'), ok.length),
    chance: proportion(n('chance') + n('collapse'), ok.length),
    degraded: proportion(n('degraded'), ok.length),
    collapse: proportion(ok.filter((r) => r.pruning?.collapse === true).length, ok.length),
  };
}

/** The series through its points (sorted by x; points without finished runs left out) and its 50% threshold. */
export function trainabilitySeriesOf(series: string, input: readonly TrainabilityPoint[]): TrainabilitySeries {
  const points = input.filter((p) => p.runs > 0).sort((a, b) => a.x - b.x);
  const xs = points.map((p) => p.x);
  const crossings = fallingCrossings(
    xs,
    points.map((p) => p.trained.fraction ?? Number.NaN),
  );
  return {
    series,
    points,
    threshold50: {
      x: crossings[0] ?? null,
      crossings,
      fromLowerBound: crossing(
        xs,
        points.map((p) => p.trained.wilson95[0]),
      ),
      fromUpperBound: crossing(
        xs,
        points.map((p) => p.trained.wilson95[1]),
      ),
    },
    criticalX: criticalX(points),
  };
}

/** The largest x before the first point with a collapsed run (points ascending in x). */
export function criticalX(points: readonly TrainabilityPoint[]): number | null {
  let last: number | null = null;
  for (const p of points) {
    if (p.collapse.count > 0) break;
    last = p.x;
  }
  return last;
}

function xKeyOf(plan: SweepPlan): string | null {
  for (const key of ['compression', 'amount']) if (plan.axes.some((a) => a.key === key)) return key;
  return plan.axes.find((a) => GRID_KEYS[a.key].numeric)?.key ?? null;
}

/**
 * The x at which planes are compared when none is given: compression 2
 * (99% sparsity) on a compression axis, else the middle of the grid.
 */
function defaultPlaneX(xs: readonly number[], xKey: string): number {
  return xKey === 'compression' && xs.length ? 2 : (xs[Math.floor(xs.length / 2)] ?? 0);
}

function seriesPlanes(
  plan: SweepPlan,
  series: readonly TrainabilitySeries[],
  recordsPerCell: readonly (readonly TrialRecord[])[],
  xKey: string,
  planeAt?: number,
): SeriesPlanes | undefined {
  const layer = watchedLayers(plan.base.net.hidden.length)[0];
  const x =
    planeAt ??
    defaultPlaneX(
      [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b),
      xKey,
    );
  const bySeries: SeriesPlanes['bySeries'] = {};
  for (const s of series) {
    const nearest = s.points.reduce<TrainabilityPoint | undefined>((best, p) => (!best || Math.abs(p.x - x) < Math.abs(best.x - x) ? p : best), undefined);
    if (!nearest) continue;
    const i = plan.cells.findIndex((c) => c.name === nearest.cell);
    const records = recordsPerCell[i].filter((r) => r.specHash === plan.cells[i].specHash && r.status === 'ok');
    const t = trajectory(records);
    if (!t.layers[layer]?.length) continue;
    bySeries[s.series] = { cell: nearest.cell, x: nearest.x, trajectory: { ...t, layers: { [layer]: t.layers[layer] } } };
  }
  return Object.keys(bySeries).length ? { x, layer, bySeries } : undefined;
}

/** `planeAt`: the x of the per-series median information planes (default: see defaultPlaneX). */
export function summarizeSweep(plan: SweepPlan, baseHash: string, recordsPerCell: readonly (readonly TrialRecord[])[], planeAt?: number): SweepSummary {
  const cells: CellRow[] = plan.cells.map((cell, i) => {
    const records = recordsPerCell[i].filter((r) => r.specHash === cell.specHash);
    const point = trainabilityPoint(0, cell.name, records);
    const n = (label: string) => records.filter((r) => r.outcome.accuracy === label).length;
    return {
      name: cell.name,
      values: cell.texts,
      specHash: cell.specHash,
      runs: point.runs,
      errors: point.errors,
      trained: point.trained,
      chance: point.chance,
      degraded: point.degraded,
      collapse: point.collapse,
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
        .filter((row) => seriesOf(row) === name)
        .map((row) => ({
          x: Number(row.values[xKey]),
          cell: row.name,
          runs: row.runs,
          errors: row.errors,
          trained: row.trained,
          chance: row.chance,
          degraded: row.degraded,
          collapse: row.collapse,
        }));
      series.push(trainabilitySeriesOf(name, points));
    }
  }
  const runs = cells.map((c) => c.runs);
  const planes = xKey ? seriesPlanes(plan, series, recordsPerCell, xKey, planeAt) : undefined;
  return {
    baseHash,
    seedsPerCell: { min: Math.min(...runs), max: Math.max(...runs) },
    xKey,
    series,
    ...(planes ? { planes } : {}),
    cells,
    method: THRESHOLD_METHOD,
  };
}
