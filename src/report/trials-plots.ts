// The figures of trials and sweeps as Vega-Lite specs: outcome frequencies
// with Wilson 95% intervals, median information planes and median/IQR
// trajectories per outcome, and a sweep's trainability curve.
import type { TopLevelSpec } from 'vega-lite';
import type { OutcomeCount, Trajectory } from '../experiment/trials/summary.ts';
import type { TrainabilitySeries } from '../experiment/trials/trainability.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'DejaVu Sans';
const config = { font: FONT, axis: { labelFont: FONT, titleFont: FONT }, legend: { labelFont: FONT, titleFont: FONT }, header: { labelFont: FONT, titleFont: FONT }, title: { font: FONT } };

/** Horizontal bars of fraction per outcome ("kind: label"), the Wilson interval as a black rule, the count as text. */
export function outcomeFrequencySpec(outcomes: readonly OutcomeCount[], title: string): TopLevelSpec {
  const rows = outcomes.map((o) => ({ kind: o.kind, outcome: o.kind === 'combination' ? o.label : `${o.kind}: ${o.label}`, count: o.count, total: o.total, fraction: o.fraction ?? 0, lo: o.wilson95[0], hi: o.wilson95[1] }));
  const y = { field: 'outcome', type: 'nominal' as const, title: null, sort: null, axis: { labelLimit: 320 } };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    width: 420,
    height: { step: 18 },
    layer: [
      { mark: { type: 'bar' }, encoding: { y, x: { field: 'fraction', type: 'quantitative', title: 'fraction of runs (Wilson 95% interval)', scale: { domain: [0, 1] } }, color: { field: 'kind', type: 'nominal', legend: null }, tooltip: [{ field: 'outcome' }, { field: 'count' }, { field: 'total' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] } },
      { mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { y, x: { field: 'hi', type: 'quantitative' }, text: { field: 'count', type: 'quantitative' } } },
    ],
    config,
  };
}

/** The median (I(X;T), I(T;Y)) of each layer per epoch, one panel per group; IQR as thin grey rules. */
export function medianPlaneSpec(groups: Readonly<Record<string, Trajectory>>, title: string, groupTitle = 'outcome (runs)'): TopLevelSpec {
  const rows = Object.entries(groups).flatMap(([group, t]) =>
    Object.entries(t.layers).flatMap(([layer, points]) =>
      points.map((p) => ({ group: `${group} (${t.runs})`, layer, epoch: p.epoch, ixt: p.ixt.median, ity: p.ity.median, ixtQ1: p.ixt.q1, ixtQ3: p.ixt.q3, ityQ1: p.ity.q1, ityQ3: p.ity.q3 })),
    ),
  );
  const x = { field: 'ixt', type: 'quantitative' as const, title: 'median I(X;T) [bits]' };
  const y = { field: 'ity', type: 'quantitative' as const, title: 'median I(T;Y) [bits]' };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { column: { field: 'group', type: 'nominal', title: groupTitle } },
    spec: {
      width: 260,
      height: 220,
      layer: [
        { mark: { type: 'rule', color: '#bbb' }, encoding: { x: { field: 'ixtQ1', type: 'quantitative' }, x2: { field: 'ixtQ3' }, y } },
        { mark: { type: 'rule', color: '#bbb' }, encoding: { x, y: { field: 'ityQ1', type: 'quantitative' }, y2: { field: 'ityQ3' } } },
        { mark: { type: 'line', strokeWidth: 1, color: '#888' }, encoding: { x, y, detail: { field: 'layer' }, order: { field: 'epoch' } } },
        { mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y, color: { field: 'epoch', type: 'quantitative', scale: { scheme: 'viridis' } }, shape: { field: 'layer', type: 'nominal' }, tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }] } },
      ],
    },
    config,
  };
}

/** Median test accuracy per epoch with its IQR band, one colour per group. */
export function medianAccuracySpec(groups: Readonly<Record<string, Trajectory>>, title: string): TopLevelSpec {
  const rows = Object.entries(groups).flatMap(([group, t]) => t.testAcc.map((b) => ({ group: `${group} (${t.runs})`, epoch: b.epoch, median: b.median, q1: b.q1, q3: b.q3 })));
  const color = { field: 'group', type: 'nominal' as const, title: 'outcome (runs)' };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    width: 420,
    height: 240,
    layer: [
      { mark: { type: 'area', opacity: 0.2 }, encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'q1', type: 'quantitative' }, y2: { field: 'q3' }, color } },
      { mark: { type: 'line', point: true }, encoding: { x: { field: 'epoch', type: 'quantitative', title: 'epoch' }, y: { field: 'median', type: 'quantitative', title: 'test accuracy (median, IQR band)', scale: { zero: false } }, color } },
    ],
    config,
  };
}

/** Median I(X;T) (top) and I(T;Y) (bottom) per layer vs epoch with IQR bands, one column per group. */
export function medianMiSpec(groups: Readonly<Record<string, Trajectory>>, title: string): TopLevelSpec {
  const rows = Object.entries(groups).flatMap(([group, t]) =>
    Object.entries(t.layers).flatMap(([layer, points]) =>
      points.flatMap((p) => [
        { group: `${group} (${t.runs})`, layer, epoch: p.epoch, quantity: 'I(X;T)', median: p.ixt.median, q1: p.ixt.q1, q3: p.ixt.q3 },
        { group: `${group} (${t.runs})`, layer, epoch: p.epoch, quantity: 'I(T;Y)', median: p.ity.median, q1: p.ity.q1, q3: p.ity.q3 },
      ]),
    ),
  );
  const color = { field: 'layer', type: 'nominal' as const };
  const panel = (quantity: string) => ({
    transform: [{ filter: { field: 'quantity', equal: quantity } }],
    facet: { column: { field: 'group', type: 'nominal' as const, title: 'outcome (runs)' } },
    spec: {
      width: 240,
      height: 150,
      layer: [
        { mark: { type: 'area' as const, opacity: 0.15 }, encoding: { x: { field: 'epoch', type: 'quantitative' as const }, y: { field: 'q1', type: 'quantitative' as const }, y2: { field: 'q3' }, color } },
        { mark: { type: 'line' as const, point: true }, encoding: { x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch' }, y: { field: 'median', type: 'quantitative' as const, title: `${quantity} [bits], median` }, color } },
      ],
    },
  });
  return { $schema: SCHEMA, title, data: { values: rows }, vconcat: [panel('I(X;T)'), panel('I(T;Y)')], config } as TopLevelSpec;
}

/**
 * Trained and chance-level fractions vs the x key, one panel per series, the
 * Wilson intervals as error bars, 50% as a dashed rule, and the interpolated
 * 50% crossing of the trained fraction as a vertical rule.
 */
export function trainabilitySpec(series: readonly TrainabilitySeries[], xKey: string, title: string): TopLevelSpec {
  const rows: Record<string, unknown>[] = series.flatMap((s) =>
    s.points.flatMap((p) => [
      { series: s.series, x: p.x, outcome: 'trained', fraction: p.trained.fraction, lo: p.trained.wilson95[0], hi: p.trained.wilson95[1], runs: p.runs },
      { series: s.series, x: p.x, outcome: 'chance level', fraction: p.chance.fraction, lo: p.chance.wilson95[0], hi: p.chance.wilson95[1], runs: p.runs },
    ]),
  );
  for (const s of series) if (s.threshold50.x !== null) rows.push({ series: s.series, threshold: s.threshold50.x });
  const x = { field: 'x', type: 'quantitative' as const, title: xKey, scale: { zero: false } };
  const color = { field: 'outcome', type: 'nominal' as const, title: 'outcome', scale: { domain: ['trained', 'chance level'], range: ['#1f77b4', '#d62728'] } };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { column: { field: 'series', type: 'nominal', title: null } },
    spec: {
      width: 360,
      height: 260,
      layer: [
        // Threshold rows have no x, lo or fraction: vega-lite drops them from these layers as invalid.
        { mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'fraction', type: 'quantitative', title: 'fraction of runs (Wilson 95% interval)', scale: { domain: [0, 1] } }, color, tooltip: [{ field: 'series' }, { field: 'x' }, { field: 'outcome' }, { field: 'fraction', format: '.3f' }, { field: 'runs' }] } },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 0.5 } } },
        { mark: { type: 'rule', color: '#1f77b4', strokeDash: [2, 2] }, encoding: { x: { field: 'threshold', type: 'quantitative' }, tooltip: [{ field: 'threshold', title: '50% trained at', format: '.3f' }] } },
      ],
    },
    config,
  } as TopLevelSpec;
}

/**
 * Tanaka et al. 2020's figure for a compression sweep: per outcome (trained,
 * chance level, layer collapse) the fraction of runs vs compression 10^c on a
 * log axis, one line per series (method), the Wilson 95% intervals as bands.
 */
export function compressionSpec(series: readonly TrainabilitySeries[], title: string): TopLevelSpec {
  const rows = series.flatMap((s) =>
    s.points.flatMap((p) =>
      (['trained', 'chance', 'collapse'] as const).map((outcome) => ({
        series: s.series,
        compression: 10 ** p.x,
        outcome: outcome === 'chance' ? 'chance level' : outcome === 'collapse' ? 'layer collapse' : 'trained',
        fraction: p[outcome].fraction,
        lo: p[outcome].wilson95[0],
        hi: p[outcome].wilson95[1],
        runs: p.runs,
      })),
    ),
  );
  const x = { field: 'compression', type: 'quantitative' as const, title: 'compression ratio (log scale)', scale: { type: 'log' as const } };
  const color = { field: 'series', type: 'nominal' as const, title: 'method', legend: { labelLimit: 400 } };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { column: { field: 'outcome', type: 'nominal', title: null, sort: ['trained', 'chance level', 'layer collapse'] } },
    spec: {
      width: 280,
      height: 220,
      layer: [
        { mark: { type: 'area', opacity: 0.15 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'fraction', type: 'quantitative', title: 'fraction of runs (Wilson 95% band)', scale: { domain: [0, 1] } }, color, tooltip: [{ field: 'series' }, { field: 'compression', format: '.3~g' }, { field: 'fraction', format: '.3f' }, { field: 'runs' }] } },
      ],
    },
    config,
  } as TopLevelSpec;
}
