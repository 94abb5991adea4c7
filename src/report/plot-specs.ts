// The figures of a run as Vega-Lite specs: the information plane (the classic
// figure: one line per layer across epochs, a colour per layer), MI vs epoch
// per layer, and the training curves. Specs carry no title: the page gives
// each figure one header and a text under it.
import type { TopLevelSpec } from 'vega-lite';
import type { EpochMetrics } from '../train/trainer.ts';
import { keptEpochs, LINE_POINTS, MARKERS } from './thin.ts';

/** One point of the information plane: a layer at an epoch, under one estimator. */
export interface PlanePoint {
  epoch: number;
  layer: string;
  ixt: number;
  ity: number;
  estimator: string;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'DejaVu Sans';
export const config = {
  font: FONT,
  axis: { labelFont: FONT, titleFont: FONT },
  legend: { labelFont: FONT, titleFont: FONT, symbolOpacity: 1 },
  header: { labelFont: FONT, titleFont: FONT, labelFontSize: 12, labelFontWeight: 'bold' as const },
  title: { font: FONT },
};

/** Layers in network order (h1, h2, …, h10, out), not text order. */
export function layerOrder(layers: Iterable<string>): string[] {
  const rank = (l: string) => (l === 'out' ? Number.MAX_SAFE_INTEGER : Number(l.replace(/^\D+/, '')) || 0);
  return [...new Set(layers)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Panel names ordered by their numbers (fixed:10, fixed:30, fixed:100), estimators grouped by scheme. */
export function panelOrder(panels: Iterable<string>): string[] {
  const key = (p: string) => p.split(/[:\s]/).map((part) => (Number.isFinite(Number(part)) && part !== '' ? Number(part) : part));
  return [...new Set(panels)].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
      const [x, y] = [ka[i], kb[i]];
      if (x === y) continue;
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x).localeCompare(String(y));
    }
    return 0;
  });
}

/** A colour per layer, the same in every figure of a page, with the legend in network order. */
export function layerColor(layers: Iterable<string>) {
  return { field: 'layer', type: 'nominal' as const, title: 'layer', scale: { domain: layerOrder(layers), scheme: 'category10' }, sort: layerOrder(layers) };
}

/**
 * The epoch axis: integer ticks; for a log:K schedule a symmetric-log scale
 * (epoch 0 has no logarithm) with ticks at 0, 1, 10, 100, … up to the last epoch.
 */
export function epochAxis(logScale: boolean, lastEpoch = 0) {
  if (!logScale) return { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: 'd' } };
  const values = [0];
  for (let tick = 1; tick <= lastEpoch; tick *= 10) values.push(tick);
  if (lastEpoch > values[values.length - 1] * 2) values.push(lastEpoch);
  return { field: 'epoch', type: 'quantitative' as const, title: 'epoch (log scale)', axis: { values, format: 'd' }, scale: { type: 'symlog' as const } };
}

/** Keeps at most LINE_POINTS epochs per (panel, layer) for lines, and flags at most MARKERS of them as markers. */
function thinned<T extends { epoch: number; layer: string }>(rows: readonly T[], panelOf: (r: T) => string): (T & { marker: boolean })[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = `${panelOf(r)}\u0000${r.layer}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].flatMap((group) => {
    const line = keptEpochs(
      group.map((r) => r.epoch),
      LINE_POINTS,
    );
    const markers = keptEpochs(line, MARKERS);
    return group.filter((r) => line.has(r.epoch)).map((r) => ({ ...r, marker: markers.has(r.epoch) }));
  });
}

export interface PlaneOptions {
  /** log2 N per panel (binning estimators): the dashed ceiling of I(X;T). */
  ceilingX?: Record<string, number>;
  /** H(Y): the dotted ceiling of I(T;Y). */
  ceilingY?: number;
}

export function informationPlaneSpec(points: readonly PlanePoint[], options: PlaneOptions = {}): TopLevelSpec {
  const rows: Record<string, unknown>[] = thinned(points, (p) => p.estimator).map((p) => ({ ...p, panel: p.estimator }));
  const panels = panelOrder(points.map((p) => p.estimator));
  for (const [panel, ceiling] of Object.entries(options.ceilingX ?? {})) rows.push({ panel, ceiling, ceilingText: `log2 N = ${ceiling.toFixed(2)}` });
  if (options.ceilingY !== undefined) for (const panel of panels) rows.push({ panel, hy: options.ceilingY });
  const x = { field: 'ixt', type: 'quantitative' as const, title: 'I(X;T) [bits]' };
  const y = { field: 'ity', type: 'quantitative' as const, title: 'I(T;Y) [bits]' };
  const color = layerColor(points.map((p) => p.layer));
  const hasLayer = { filter: 'isValid(datum.layer)' };
  return {
    $schema: SCHEMA,
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', sort: panels, header: { title: null } },
    columns: Math.min(3, panels.length),
    spec: {
      width: 330,
      height: 250,
      layer: [
        { transform: [hasLayer], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, detail: { field: 'layer' }, order: { field: 'epoch' } } },
        {
          transform: [hasLayer, { filter: 'datum.marker' }],
          mark: { type: 'point', filled: true, size: 36 },
          encoding: {
            x,
            y,
            color,
            opacity: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { range: [0.25, 1] }, legend: { format: 'd', tickMinStep: 1 } },
            tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }],
          },
        },
        {
          transform: [{ filter: 'isValid(datum.ceiling)' }],
          mark: { type: 'rule', strokeDash: [5, 4], color: '#555' },
          encoding: { x: { field: 'ceiling', type: 'quantitative' } },
        },
        {
          transform: [{ filter: 'isValid(datum.ceiling)' }],
          mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -3, y: 2, fontSize: 10, color: '#555' },
          encoding: { x: { field: 'ceiling', type: 'quantitative' }, text: { field: 'ceilingText' } },
        },
        {
          transform: [{ filter: 'isValid(datum.hy)' }],
          mark: { type: 'rule', strokeDash: [2, 3], color: '#555' },
          encoding: { y: { field: 'hy', type: 'quantitative' } },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
    config,
  } as TopLevelSpec;
}

/** I(X;T) and I(T;Y) per layer vs epoch: one row per estimator, I(X;T) left and I(T;Y) right. */
export function miVsEpochSpec(points: readonly PlanePoint[], options: { logEpochs?: boolean } = {}): TopLevelSpec {
  const order = panelOrder(points.map((p) => p.estimator));
  const long = thinned(points, (p) => p.estimator).flatMap((p) => [
    { ...p, panel: `${p.estimator} · I(X;T)`, bits: p.ixt },
    { ...p, panel: `${p.estimator} · I(T;Y)`, bits: p.ity },
  ]);
  const panels = order.flatMap((e) => [`${e} · I(X;T)`, `${e} · I(T;Y)`]);
  const many = points.length > 0 && long.some((p) => !p.marker);
  const x = epochAxis(Boolean(options.logEpochs), Math.max(0, ...points.map((p) => p.epoch)));
  return {
    $schema: SCHEMA,
    data: { values: long as unknown as Record<string, unknown>[] },
    facet: { field: 'panel', type: 'nominal', sort: panels, header: { title: null } },
    columns: 2,
    spec: {
      width: 420,
      height: 150,
      layer: [
        {
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: { x, y: { field: 'bits', type: 'quantitative', title: 'bits' }, color: layerColor(points.map((p) => p.layer)) },
        },
        {
          transform: [{ filter: many ? 'datum.marker' : 'true' }],
          mark: { type: 'point', filled: true, size: 20 },
          encoding: {
            x,
            y: { field: 'bits', type: 'quantitative' },
            color: layerColor(points.map((p) => p.layer)),
            tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'bits', format: '.3f' }],
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    config,
  } as TopLevelSpec;
}

export function trainingCurvesSpec(history: readonly EpochMetrics[], options: { majorityRate?: number } = {}): TopLevelSpec {
  const kept = keptEpochs(
    history.map((m) => m.epoch),
    LINE_POINTS,
  );
  const rows: Record<string, unknown>[] = history
    .filter((m) => kept.has(m.epoch))
    .flatMap((m) => [
      { epoch: m.epoch, panel: 'accuracy', series: 'train', value: m.trainAcc },
      { epoch: m.epoch, panel: 'accuracy', series: 'test', value: m.testAcc },
      { epoch: m.epoch, panel: 'loss [nats]', series: 'train', value: m.trainLoss },
      { epoch: m.epoch, panel: 'loss [nats]', series: 'test', value: m.testLoss },
    ]);
  if (options.majorityRate !== undefined)
    rows.push({ panel: 'accuracy', majority: options.majorityRate, majorityText: `majority class ${(options.majorityRate * 100).toFixed(1)}%` });
  const x = epochAxis(false);
  const y = { field: 'value', type: 'quantitative' as const, title: null, scale: { zero: false } };
  const color = { field: 'series', type: 'nominal' as const, title: 'set', scale: { domain: ['train', 'test'], range: ['#1f77b4', '#ff7f0e'] } };
  return {
    $schema: SCHEMA,
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null, header: { title: null } } },
    spec: {
      width: 330,
      height: 200,
      layer: [
        { transform: [{ filter: 'isValid(datum.series)' }], mark: { type: 'line', point: history.length <= MARKERS * 2 }, encoding: { x, y, color } },
        {
          transform: [{ filter: 'isValid(datum.majority)' }],
          mark: { type: 'rule', strokeDash: [5, 4], color: '#555' },
          encoding: { y: { field: 'majority', type: 'quantitative' } },
        },
        {
          transform: [{ filter: 'isValid(datum.majority)' }],
          mark: { type: 'text', align: 'left', baseline: 'bottom', x: 4, dy: -2, fontSize: 10, color: '#555' },
          encoding: { y: { field: 'majority', type: 'quantitative' }, text: { field: 'majorityText' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config,
  } as TopLevelSpec;
}
