// Where training stops succeeding along a sweep of pruning amounts, and what
// the pruning analysis says the masks left of each layer at init (the
// "why" behind a limit that differs from the report's).
//
// The trainability series reuses the sweep's definitions
// (src/experiment/trials/trainability.ts): per amount the fraction of runs
// `trained`, degraded and at chance level (`chance` or `collapse`), Wilson
// intervals, errors left out, and the first fall of the trained fraction
// through 50% by linear interpolation. Its interval here is where the
// Wilson lower and upper bounds fall through 50%, stopped at the grid's ends
// (and marked open there) when a bound does not fall within it.
import type { TrialRecord } from '../trials/record.ts';
import { trainabilityPoint, type TrainabilitySeries, trainabilitySeriesOf } from '../trials/trainability.ts';
import type { Estimate } from './estimates.ts';

export interface SweepPoint {
  x: number;
  /** The setting id (a cell of the sweep). */
  cell: string;
  records: readonly TrialRecord[];
}

export function trainabilitySeries(series: string, input: readonly SweepPoint[]): TrainabilitySeries {
  return trainabilitySeriesOf(
    series,
    input.map((p) => trainabilityPoint(p.x, p.cell, p.records)),
  );
}

export interface LimitEstimate extends Estimate {
  /** Set when the trained fraction does not fall through 50% within the grid: the limit lies above (or below) every amount tried. */
  beyondGrid: 'above' | 'below' | null;
  /** Ends of the band the Wilson bounds do not close within the grid: the interval stops at the grid's end there. */
  openEnds: { low: boolean; high: boolean };
}

/** The amount where the trained fraction falls through 50%, with the band where the Wilson bounds fall through it (clipped to the grid). */
export function limitEstimate(s: TrainabilitySeries): LimitEstimate {
  const method =
    'first fall of the trained fraction through 50%, linear interpolation between amounts; interval where the Wilson 95% bounds fall through 50%, clipped to the amounts tried';
  const pts = s.points;
  const runs = pts.reduce((n, p) => n + p.runs, 0);
  if (pts.length === 0) return { value: null, interval: null, n: 0, coverage: null, method, beyondGrid: null, openEnds: { low: false, high: false } };
  const [xmin, xmax] = [pts[0].x, pts[pts.length - 1].x];
  const fractions = pts.map((p) => p.trained.fraction ?? 0);
  // Where a bound never falls within the grid, the band stops at the grid's end on the side the limit lies: above the
  // last amount when the bound stays ≥ 50% throughout, below the first when it starts under 50%.
  const lower = pts.map((p) => p.trained.wilson95[0]);
  const upper = pts.map((p) => p.trained.wilson95[1]);
  const stays = (bounds: number[]) => bounds.every((v) => v >= 0.5);
  const lo = s.threshold50.fromLowerBound ?? (stays(lower) ? xmax : xmin);
  const hi = s.threshold50.fromUpperBound ?? (stays(upper) ? xmax : xmin);
  const openEnds = { low: s.threshold50.fromLowerBound === null && !stays(lower), high: s.threshold50.fromUpperBound === null && stays(upper) };
  const beyondGrid = s.threshold50.x !== null ? null : fractions.every((f) => f >= 0.5) ? 'above' : 'below';
  return { value: s.threshold50.x, interval: [Math.min(lo, hi), Math.max(lo, hi)], n: runs, coverage: null, method, beyondGrid, openEnds };
}

export interface LayerAtInit {
  layer: number;
  /** Median over runs of kept / total weights of the layer's matrix. */
  keptFraction: number;
  /** Median over runs of neurons with a kept incoming weight / neurons. */
  aliveFraction: number;
  neurons: number;
  /** Fraction of runs in which this layer collapsed (no neuron reachable from the input). */
  collapsed: number;
}

export interface PruningAtInit {
  x: number;
  cell: string;
  runs: number;
  layers: LayerAtInit[];
  /** Runs whose net collapsed (no input → output path), of those with a pruning report. */
  collapse: { count: number; total: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The pruning analysis of each point's runs at init (src/prune/analysis.ts), as medians over seeds. */
export function pruningAtInit(input: readonly SweepPoint[]): PruningAtInit[] {
  return input
    .map((p) => {
      const reports = p.records.map((r) => r.pruning).filter((r): r is NonNullable<typeof r> => r !== undefined);
      const layerCount = Math.max(0, ...reports.map((r) => r.layers.length));
      const layers = Array.from({ length: layerCount }, (_, l) => {
        const rows = reports.map((r) => r.layers[l]).filter(Boolean);
        return {
          layer: l + 1,
          keptFraction: median(rows.map((r) => r.kept / r.total)),
          aliveFraction: median(rows.map((r) => r.neuronsAlive / r.neurons)),
          neurons: rows[0]?.neurons ?? 0,
          collapsed: rows.filter((r) => r.collapsed).length / Math.max(1, rows.length),
        };
      });
      return { x: p.x, cell: p.cell, runs: reports.length, layers, collapse: { count: reports.filter((r) => r.collapse).length, total: reports.length } };
    })
    .filter((p) => p.runs > 0)
    .sort((a, b) => a.x - b.x);
}
