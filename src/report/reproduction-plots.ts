// The figures of reproduction.html as Vega-Lite specs: information planes
// (a setting's median beside its rare runs; the bin counts side by side),
// accuracy curves, trainability curves with the report's limits marked, what
// pruning leaves of each layer at init, compression against accuracy.
import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../experiment/reproduce/evaluate.ts';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'DejaVu Sans';
export const config = {
  font: FONT,
  axis: { labelFont: FONT, titleFont: FONT },
  legend: { labelFont: FONT, titleFont: FONT },
  header: { labelFont: FONT, titleFont: FONT, labelLimit: 260 },
  title: { font: FONT },
};

export interface PlaneRow {
  /** The panel: "median (8 runs)", "seed 3: …". */
  panel: string;
  /** Panels left to right. */
  order: number;
  layer: string;
  epoch: number;
  ixt: number;
  ity: number;
}

/** One information plane per panel (a setting's median, then its rare runs), lines per layer, points coloured by epoch. */
export function planePanelsSpec(rows: readonly PlaneRow[], title: string): TopLevelSpec {
  const x = { field: 'ixt', type: 'quantitative' as const, title: 'I(X;T) [bits]' };
  const y = { field: 'ity', type: 'quantitative' as const, title: 'I(T;Y) [bits]' };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows as unknown as Record<string, unknown>[] },
    // Two planes a row, each wide enough to read the layers apart.
    facet: { field: 'panel', type: 'nominal', title: null, sort: { field: 'order', op: 'min' } },
    columns: 2,
    spec: {
      width: 420,
      height: 340,
      layer: [
        { mark: { type: 'line', strokeWidth: 1, color: '#999' }, encoding: { x, y, detail: { field: 'layer' }, order: { field: 'epoch' } } },
        {
          mark: { type: 'point', filled: true, size: 36 },
          encoding: {
            x,
            y,
            color: { field: 'epoch', type: 'quantitative', scale: { scheme: 'viridis' } },
            shape: { field: 'layer', type: 'nominal' },
            tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }],
          },
        },
      ],
    },
    config,
  } as TopLevelSpec;
}

export interface BinsRow {
  setting: string;
  estimator: string;
  /** The bin count, to order the columns. */
  bins: number;
  layer: string;
  epoch: number;
  ixt: number;
  ity: number;
}

/** Median planes at each bin count (columns) for each setting (rows). */
export function binsPlaneSpec(rows: readonly BinsRow[], title: string): TopLevelSpec {
  const x = { field: 'ixt', type: 'quantitative' as const, title: 'median I(X;T) [bits]' };
  const y = { field: 'ity', type: 'quantitative' as const, title: 'median I(T;Y) [bits]' };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows as unknown as Record<string, unknown>[] },
    facet: {
      row: { field: 'setting', type: 'nominal', title: null },
      column: { field: 'estimator', type: 'nominal', title: 'binning', sort: { field: 'bins', op: 'min' } },
    },
    spec: {
      width: 230,
      height: 190,
      layer: [
        { mark: { type: 'line', strokeWidth: 1, color: '#999' }, encoding: { x, y, detail: { field: 'layer' }, order: { field: 'epoch' } } },
        {
          mark: { type: 'point', filled: true, size: 32 },
          encoding: {
            x,
            y,
            color: { field: 'epoch', type: 'quantitative', scale: { scheme: 'viridis' } },
            shape: { field: 'layer', type: 'nominal' },
            tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }],
          },
        },
      ],
    },
    config,
  } as TopLevelSpec;
}

export interface AccuracyRow {
  setting: string;
  epoch: number;
  median: number;
  q1: number;
  q3: number;
}

/** Median test accuracy per epoch with its IQR band, one colour per setting, the report's figure as a dashed rule. */
export function accuracyCurvesSpec(rows: readonly AccuracyRow[], reportAccuracy: number, title: string): TopLevelSpec {
  const color = { field: 'setting', type: 'nominal' as const, title: 'setting (runs)' };
  const x = { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: 'd' } };
  return {
    $schema: SCHEMA,
    title,
    width: 520,
    height: 280,
    layer: [
      {
        data: { values: rows as unknown as Record<string, unknown>[] },
        mark: { type: 'area', opacity: 0.15 },
        encoding: { x, y: { field: 'q1', type: 'quantitative' }, y2: { field: 'q3' }, color: { ...color, legend: null } },
      },
      {
        data: { values: rows as unknown as Record<string, unknown>[] },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'median', type: 'quantitative', title: 'test accuracy (median, IQR band)', scale: { zero: false } },
          color,
          tooltip: [{ field: 'setting' }, { field: 'epoch' }, { field: 'median', format: '.4f' }],
        },
      },
      {
        data: { values: [{ y: reportAccuracy, label: `report: ${(reportAccuracy * 100).toFixed(0)}%` }] },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#d62728' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: [{ y: reportAccuracy, label: `report: ${(reportAccuracy * 100).toFixed(0)}%` }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#d62728', fontSize: 11 },
        encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      },
    ],
    config,
  } as TopLevelSpec;
}

/**
 * Per sweep (a column): the trained and chance-level fractions against the
 * amount with Wilson intervals, 50% dashed, our 50% crossing (blue dashed)
 * and the report's limit (red).
 */
export function trainabilityLimitsSpec(sweeps: readonly SweepResult[], title: string): TopLevelSpec {
  const rows: Record<string, unknown>[] = sweeps.flatMap((s) =>
    s.series.points.flatMap((p) => [
      { series: s.label, x: p.x, outcome: 'trained', fraction: p.trained.fraction, lo: p.trained.wilson95[0], hi: p.trained.wilson95[1], runs: p.runs },
      { series: s.label, x: p.x, outcome: 'chance level', fraction: p.chance.fraction, lo: p.chance.wilson95[0], hi: p.chance.wilson95[1], runs: p.runs },
      { series: s.label, x: p.x, outcome: 'degraded', fraction: p.degraded.fraction, lo: p.degraded.wilson95[0], hi: p.degraded.wilson95[1], runs: p.runs },
    ]),
  );
  for (const s of sweeps) {
    rows.push({ series: s.label, report: s.reportLimit, reportText: `report: ${s.reportLimit}` });
    if (s.limit.value !== null) rows.push({ series: s.label, ours: s.limit.value });
  }
  const x = { field: 'x', type: 'quantitative' as const, title: 'amount pruned at init', scale: { domain: [0, 1] } };
  const color = {
    field: 'outcome',
    type: 'nominal' as const,
    title: 'outcome',
    scale: { domain: ['trained', 'degraded', 'chance level'], range: ['#1f77b4', '#e69500', '#7f7f7f'] },
  };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { column: { field: 'series', type: 'nominal', title: null } },
    spec: {
      width: 340,
      height: 240,
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        {
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'fraction', type: 'quantitative', title: 'fraction of runs (Wilson 95% interval)', scale: { domain: [0, 1] } },
            color,
            tooltip: [{ field: 'x' }, { field: 'outcome' }, { field: 'fraction', format: '.3f' }, { field: 'runs' }],
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 0.5 } } },
        {
          mark: { type: 'rule', color: '#1f77b4', strokeDash: [2, 2], strokeWidth: 1.5 },
          encoding: { x: { field: 'ours', type: 'quantitative' }, tooltip: [{ field: 'ours', title: 'ours: 50% trained at', format: '.3f' }] },
        },
        { mark: { type: 'rule', color: '#d62728', strokeWidth: 2 }, encoding: { x: { field: 'report', type: 'quantitative' } } },
        {
          mark: { type: 'text', color: '#d62728', align: 'left', dx: 3, baseline: 'top', fontSize: 11 },
          encoding: { x: { field: 'report', type: 'quantitative' }, y: { value: 4 }, text: { field: 'reportText' } },
        },
      ],
    },
    config,
  } as TopLevelSpec;
}

/** Per sweep: what the masks leave of each layer at init (weights kept, or neurons alive) against the amount; the report's limit in red. */
export function pruningAtInitSpec(sweeps: readonly SweepResult[], title: string): TopLevelSpec {
  const rows: Record<string, unknown>[] = sweeps.flatMap((s) => {
    const panel = s.kind === 'global-weight' ? 'global weight: weights kept per layer' : 'global neuron: neurons alive per layer';
    const what = s.kind === 'global-weight' ? 'keptFraction' : 'aliveFraction';
    return [
      ...s.atInit.flatMap((p) =>
        p.layers.map((l) => ({
          panel,
          x: p.x,
          layer: `L${l.layer}`,
          fraction: l[what],
          collapsed: p.collapse.total ? p.collapse.count / p.collapse.total : 0,
        })),
      ),
      { panel, report: s.reportLimit },
    ];
  });
  const x = { field: 'x', type: 'quantitative' as const, title: 'amount pruned at init', scale: { zero: false } };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null, header: { labelLimit: 400 } } },
    spec: {
      width: 340,
      height: 240,
      layer: [
        {
          transform: [{ filter: 'isValid(datum.layer)' }],
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'fraction', type: 'quantitative', title: 'fraction left at init (median over seeds)', scale: { domain: [0, 1] } },
            color: { field: 'layer', type: 'nominal', title: 'layer' },
            tooltip: [{ field: 'layer' }, { field: 'x' }, { field: 'fraction', format: '.4f' }, { field: 'collapsed', title: 'nets collapsed', format: '.2f' }],
          },
        },
        { mark: { type: 'rule', color: '#d62728', strokeWidth: 2 }, encoding: { x: { field: 'report', type: 'quantitative' } } },
      ],
    },
    resolve: { scale: { x: 'independent' } },
    config,
  } as TopLevelSpec;
}

export interface CompressionRow {
  layer: string;
  setting: string;
  kind: string;
  seed: number;
  accuracy: number;
  /** Peak I(X;T) minus the lowest I(X;T) after it (0 when the peak is the last epoch). */
  drop: number;
}

/** Each run's compression depth against its final test accuracy, one panel per watched layer. */
export function compressionSpec(rows: readonly CompressionRow[], compressionBits: number, veryHigh: number, title: string): TopLevelSpec {
  const x = { field: 'accuracy', type: 'quantitative' as const, title: 'final test accuracy', scale: { zero: false } };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows as unknown as Record<string, unknown>[] },
    facet: { column: { field: 'layer', type: 'nominal', title: 'layer' } },
    spec: {
      width: 320,
      height: 240,
      layer: [
        {
          mark: { type: 'point', filled: true, size: 40, opacity: 0.75 },
          encoding: {
            x,
            y: { field: 'drop', type: 'quantitative', title: 'I(X;T) peak − lowest after it [bits]' },
            color: { field: 'kind', type: 'nominal', title: 'setting kind' },
            tooltip: [{ field: 'setting' }, { field: 'seed' }, { field: 'accuracy', format: '.4f' }, { field: 'drop', format: '.3f' }],
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: compressionBits } } },
        { mark: { type: 'rule', strokeDash: [2, 2], color: '#d62728' }, encoding: { x: { datum: veryHigh } } },
      ],
    },
    config,
  } as TopLevelSpec;
}
