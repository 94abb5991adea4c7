// The figures of trials and sweeps as Vega-Lite specs: outcome frequencies
// with Wilson 95% intervals, median information planes and median/IQR
// trajectories per outcome, and a sweep's trainability curve. Intervals are
// bands; specs carry no title (the page gives each figure one header).
import type { TopLevelSpec } from 'vega-lite';
import type { OutcomeCount, Trajectory } from '../experiment/trials/summary.ts';
import type { TrainabilitySeries } from '../experiment/trials/trainability.ts';
import { config, epochAxis, layerColor, panelOrder, SCHEMA } from './plot-specs.ts';
import { keptEpochs, LINE_POINTS, MARKERS } from './thin.ts';

const groupLabel = (group: string, runs: number) => `${group} (${runs} run${runs === 1 ? '' : 's'})`;

/** The epochs a median curve keeps (all up to LINE_POINTS). */
const thinnedBands = <T extends { epoch: number }>(points: readonly T[]): T[] => {
  const kept = keptEpochs(
    points.map((p) => p.epoch),
    LINE_POINTS,
  );
  return points.filter((p) => kept.has(p.epoch));
};

/** Horizontal bars of fraction per outcome ("kind: label"), the Wilson interval as a black rule, the count as text. */
/** `title`: for a figure shown without a page header of its own. */
export function outcomeFrequencySpec(outcomes: readonly OutcomeCount[], title?: string): TopLevelSpec {
  const rows = outcomes.map((o) => ({
    kind: o.kind,
    outcome: o.kind === 'combination' ? o.label : `${o.kind}: ${o.label}`,
    count: o.count,
    total: o.total,
    fraction: o.fraction ?? 0,
    lo: o.wilson95[0],
    hi: o.wilson95[1],
  }));
  // labelLimit 0: never cut a label (combinations such as `trained|h4:compression|out:no-compression` are long).
  const y = { field: 'outcome', type: 'nominal' as const, title: null, sort: null, axis: { labelLimit: 0 } };
  return {
    $schema: SCHEMA,
    ...(title ? { title } : {}),
    data: { values: rows },
    width: 380,
    height: { step: 18 },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'fraction', type: 'quantitative', title: 'fraction of runs (Wilson 95% interval)', scale: { domain: [0, 1] } },
          color: { field: 'kind', type: 'nominal', legend: null },
          tooltip: [{ field: 'outcome' }, { field: 'count' }, { field: 'total' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }],
        },
      },
      { mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
        encoding: { y, x: { field: 'hi', type: 'quantitative' }, text: { field: 'count', type: 'quantitative' } },
      },
    ],
    config,
  };
}

/**
 * The median (I(X;T), I(T;Y)) of each layer per epoch, one panel per group,
 * a colour per layer; the IQR across seeds of both coordinates as a
 * translucent box per epoch, which together read as a band along the path.
 */
export function medianPlaneSpec(groups: Readonly<Record<string, Trajectory>>): TopLevelSpec {
  const rows = Object.entries(groups).flatMap(([group, t]) =>
    Object.entries(t.layers).flatMap(([layer, points]) => {
      const markers = keptEpochs(
        thinnedBands(points).map((p) => p.epoch),
        MARKERS,
      );
      return thinnedBands(points).map((p) => ({
        group: groupLabel(group, t.runs),
        layer,
        epoch: p.epoch,
        marker: markers.has(p.epoch),
        ixt: p.ixt.median,
        ity: p.ity.median,
        ixtQ1: p.ixt.q1,
        ixtQ3: p.ixt.q3,
        ityQ1: p.ity.q1,
        ityQ3: p.ity.q3,
      }));
    }),
  );
  const x = { field: 'ixt', type: 'quantitative' as const, title: 'median I(X;T) [bits]' };
  const y = { field: 'ity', type: 'quantitative' as const, title: 'median I(T;Y) [bits]' };
  const color = layerColor(rows.map((r) => r.layer));
  const panels = panelOrder(rows.map((r) => r.group));
  return {
    $schema: SCHEMA,
    data: { values: rows },
    facet: { field: 'group', type: 'nominal', sort: panels, header: { title: null } },
    columns: Math.min(3, panels.length),
    spec: {
      width: 300,
      height: 230,
      layer: [
        {
          mark: { type: 'rect', opacity: 0.12 },
          encoding: {
            x: { field: 'ixtQ1', type: 'quantitative' },
            x2: { field: 'ixtQ3' },
            y: { field: 'ityQ1', type: 'quantitative' },
            y2: { field: 'ityQ3' },
            color,
          },
        },
        { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, detail: { field: 'layer' }, order: { field: 'epoch' } } },
        {
          transform: [{ filter: 'datum.marker' }],
          mark: { type: 'point', filled: true, size: 30 },
          encoding: {
            x,
            y,
            color,
            opacity: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { range: [0.25, 1] }, legend: { format: 'd' } },
            tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }],
          },
        },
      ],
    },
    config,
  } as TopLevelSpec;
}

/** Median test accuracy per epoch with its IQR band, one colour per group. */
export function medianAccuracySpec(groups: Readonly<Record<string, Trajectory>>): TopLevelSpec {
  const rows = Object.entries(groups).flatMap(([group, t]) =>
    thinnedBands(t.testAcc).map((b) => ({ group: groupLabel(group, t.runs), epoch: b.epoch, median: b.median, q1: b.q1, q3: b.q3 })),
  );
  const color = { field: 'group', type: 'nominal' as const, title: 'outcome (runs)', legend: { labelLimit: 0 } };
  const x = epochAxis(false);
  return {
    $schema: SCHEMA,
    data: { values: rows },
    width: 480,
    height: 240,
    layer: [
      // The legend's swatches are drawn at full opacity (config.legend.symbolOpacity), not as pale as the band.
      { mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'q1', type: 'quantitative' }, y2: { field: 'q3' }, color } },
      {
        mark: { type: 'line', point: rows.length <= MARKERS * 4 },
        encoding: { x, y: { field: 'median', type: 'quantitative', title: 'test accuracy (median, IQR band)', scale: { zero: false } }, color },
      },
    ],
    config,
  };
}

/** Median I(X;T) (left) and I(T;Y) (right) per layer vs epoch with IQR bands, one row per group. */
export function medianMiSpec(groups: Readonly<Record<string, Trajectory>>, options: { logEpochs?: boolean } = {}): TopLevelSpec {
  const rows = Object.entries(groups).flatMap(([group, t]) =>
    Object.entries(t.layers).flatMap(([layer, points]) =>
      thinnedBands(points).flatMap((p) => [
        {
          group: groupLabel(group, t.runs),
          panel: `${groupLabel(group, t.runs)} · I(X;T)`,
          layer,
          epoch: p.epoch,
          median: p.ixt.median,
          q1: p.ixt.q1,
          q3: p.ixt.q3,
        },
        {
          group: groupLabel(group, t.runs),
          panel: `${groupLabel(group, t.runs)} · I(T;Y)`,
          layer,
          epoch: p.epoch,
          median: p.ity.median,
          q1: p.ity.q1,
          q3: p.ity.q3,
        },
      ]),
    ),
  );
  const color = layerColor(rows.map((r) => r.layer));
  const panels = panelOrder(rows.map((r) => r.group)).flatMap((g) => [`${g} · I(X;T)`, `${g} · I(T;Y)`]);
  const x = epochAxis(Boolean(options.logEpochs), Math.max(0, ...rows.map((r) => r.epoch)));
  return {
    $schema: SCHEMA,
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', sort: panels, header: { title: null } },
    columns: 2,
    spec: {
      width: 420,
      height: 150,
      layer: [
        { mark: { type: 'area', opacity: 0.15 }, encoding: { x, y: { field: 'q1', type: 'quantitative' }, y2: { field: 'q3' }, color } },
        { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'median', type: 'quantitative', title: 'bits (median, IQR band)' }, color } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config,
  } as TopLevelSpec;
}

/**
 * Trained and chance-level fractions vs the x key, one panel per series, the
 * Wilson intervals as error bars, 50% as a dashed rule, and the interpolated
 * 50% crossing of the trained fraction as a vertical rule.
 */
export function trainabilitySpec(series: readonly TrainabilitySeries[], xKey: string): TopLevelSpec {
  const rows: Record<string, unknown>[] = series.flatMap((s) =>
    s.points.flatMap((p) => [
      { series: s.series, x: p.x, outcome: 'trained', fraction: p.trained.fraction, lo: p.trained.wilson95[0], hi: p.trained.wilson95[1], runs: p.runs },
      { series: s.series, x: p.x, outcome: 'chance level', fraction: p.chance.fraction, lo: p.chance.wilson95[0], hi: p.chance.wilson95[1], runs: p.runs },
    ]),
  );
  for (const s of series)
    if (s.threshold50.x !== null)
      rows.push({ series: s.series, threshold: s.threshold50.x, thresholdText: `50% trained at ${xKey} = ${Number(s.threshold50.x.toFixed(3))}` });
  const x = { field: 'x', type: 'quantitative' as const, title: xKey, scale: { zero: false } };
  const color = { field: 'outcome', type: 'nominal' as const, title: 'outcome', scale: { domain: ['trained', 'chance level'], range: ['#1f77b4', '#d62728'] } };
  const panels = panelOrder(series.map((s) => s.series));
  const points = { filter: 'isValid(datum.outcome)' };
  const crossing = { filter: 'isValid(datum.threshold)' };
  return {
    $schema: SCHEMA,
    data: { values: rows },
    facet: { field: 'series', type: 'nominal', sort: panels, header: { title: null } },
    columns: Math.min(2, panels.length),
    spec: {
      width: 420,
      height: 260,
      layer: [
        { transform: [points], mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        {
          transform: [points],
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'fraction', type: 'quantitative', title: 'fraction of runs (band: Wilson 95%)', scale: { domain: [0, 1] } },
            color,
            tooltip: [{ field: 'series' }, { field: 'x' }, { field: 'outcome' }, { field: 'fraction', format: '.3f' }, { field: 'runs' }],
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 0.5 } } },
        { transform: [crossing], mark: { type: 'rule', color: '#1f77b4', strokeDash: [2, 2] }, encoding: { x: { field: 'threshold', type: 'quantitative' } } },
        {
          transform: [crossing],
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, y: 4, fontSize: 10, color: '#1f77b4' },
          encoding: { x: { field: 'threshold', type: 'quantitative' }, text: { field: 'thresholdText' } },
        },
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
export function compressionSpec(series: readonly TrainabilitySeries[]): TopLevelSpec {
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
    data: { values: rows },
    facet: { column: { field: 'outcome', type: 'nominal', title: null, sort: ['trained', 'chance level', 'layer collapse'] } },
    spec: {
      width: 280,
      height: 220,
      layer: [
        { mark: { type: 'area', opacity: 0.15 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        {
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'fraction', type: 'quantitative', title: 'fraction of runs (Wilson 95% band)', scale: { domain: [0, 1] } },
            color,
            tooltip: [{ field: 'series' }, { field: 'compression', format: '.3~g' }, { field: 'fraction', format: '.3f' }, { field: 'runs' }],
          },
        },
      ],
    },
    config,
  } as TopLevelSpec;
}
