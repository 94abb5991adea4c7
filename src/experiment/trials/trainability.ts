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
  runs: number;
  trained: Proportion;
  chance: Proportion;
  /** Runs whose masks leave no input→output path. */
  collapse: Proportion;
  /** Runs per accuracy outcome. */
  counts: Record<string, number>;
}

export interface TrainabilityPoint {
  x: number;
  cell: string;
  runs: number;
  trained: Proportion;
  chance: Proportion;
  collapse: Proportion;
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

/** The largest x before the first point with a collapsed run (points ascending in x). */
export function criticalX(points: readonly TrainabilityPoint[]): number | null {
  let last: number | null = null;
  for (const p of points) {
    if (p.collapse.count > 0) break;
    last = p.x;
  }
  return last;
}

/** A point of the curve from the runs of one cell. */
export function trainabilityPoint(x: number, cell: string, records: readonly TrialRecord[]): TrainabilityPoint {
  const n = (label: string) => records.filter((r) => r.outcome.accuracy === label).length;
  return {
    x,
    cell,
    runs: records.length,
    trained: proportion(n('trained'), records.length),
    chance: proportion(n('chance') + n('collapse'), records.length),
    collapse: proportion(records.filter((r) => r.pruning?.collapse === true).length, records.length),
  };
}

/** A series from its points (any order; empty cells dropped): the 50% crossing and the critical x. */
export function trainabilitySeries(series: string, input: readonly TrainabilityPoint[]): TrainabilitySeries {
  const points = input.filter((p) => p.runs > 0).sort((a, b) => a.x - b.x);
  const xs = points.map((p) => p.x);
  return {
    series,
    points,
    threshold50: {
      x: crossing(xs, points.map((p) => p.trained.fraction ?? Number.NaN)),
      fromLowerBound: crossing(xs, points.map((p) => p.trained.wilson95[0])),
      fromUpperBound: crossing(xs, points.map((p) => p.trained.wilson95[1])),
    },
    criticalX: criticalX(points),
  };
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
  return xKey === 'compression' && xs.length ? 2 : xs[Math.floor(xs.length / 2)] ?? 0;
}

function seriesPlanes(plan: SweepPlan, series: readonly TrainabilitySeries[], recordsPerCell: readonly (readonly TrialRecord[])[], xKey: string, planeAt?: number): SeriesPlanes | undefined {
  const layer = watchedLayers(plan.base.net.hidden.length)[0];
  const x = planeAt ?? defaultPlaneX([...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b), xKey);
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
    const { runs, trained, chance, collapse } = trainabilityPoint(0, cell.name, records);
    const n = (label: string) => records.filter((r) => r.outcome.accuracy === label).length;
    return {
      name: cell.name,
      values: cell.texts,
      specHash: cell.specHash,
      runs,
      trained,
      chance,
      collapse,
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
        .map(({ name: cell, values, runs, trained, chance, collapse }) => ({ x: Number(values[xKey]), cell, runs, trained, chance, collapse }));
      series.push(trainabilitySeries(name, points));
    }
  }
  const runs = cells.map((c) => c.runs);
  const planes = xKey ? seriesPlanes(plan, series, recordsPerCell, xKey, planeAt) : undefined;
  return { baseHash, seedsPerCell: { min: Math.min(...runs), max: Math.max(...runs) }, xKey, series, ...(planes ? { planes } : {}), cells, method: THRESHOLD_METHOD };
}
