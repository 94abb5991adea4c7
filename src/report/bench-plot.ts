// The figure of `infoplane bench`: speed-up of the sparse kernels over the
// dense ones against sparsity, one line per layer shape and batch, one panel
// per thread count; the dashed line at 1× marks break-even, and a diamond on
// it marks each crossover the bench table prints (the first sparsity where
// sparse is as fast as dense, linear between measured points), so the figure
// and the table cannot disagree.
import type { TopLevelSpec } from 'vega-lite';

export interface SpeedupPoint {
  shape: string;
  batch: number;
  threads: number;
  sparsity: number;
  /** dense ÷ sparse time of a training step's products. */
  speedup: number;
  /** Which speed-up: e.g. `fwd+bwd (CSR)` or `neurons (compacted)`. */
  kind: string;
}

const FONT = 'DejaVu Sans';

/** A crossover of the bench table: shape, batch, threads and the sparsity of break-even (null: none measured). */
export interface CrossoverMark {
  shape: string;
  batch: number;
  threads: number;
  sparsity: number | null;
  kind: string;
}

const panelOf = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;

export function speedupVsSparsitySpec(points: readonly SpeedupPoint[], title: string, crossings: readonly CrossoverMark[] = []): TopLevelSpec {
  const values: Record<string, unknown>[] = points.map((p) => ({ ...p, series: `${p.shape}, batch ${p.batch} — ${p.kind}`, panel: panelOf(p.threads) }));
  for (const c of crossings) {
    if (c.sparsity !== null)
      values.push({
        series: `${c.shape}, batch ${c.batch} — ${c.kind}`,
        panel: panelOf(c.threads),
        crossing: c.sparsity,
        crossingText: `${(c.sparsity * 100).toFixed(0)}%`,
      });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 340,
      height: 260,
      layer: [
        {
          transform: [{ filter: 'isValid(datum.speedup)' }],
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'sparsity', type: 'quantitative', title: 'sparsity (fraction of weights pruned)', scale: { domain: [0, 1] } },
            y: { field: 'speedup', type: 'quantitative', title: 'speed-up over dense (×, log scale)', scale: { type: 'log' } },
            color: { field: 'series', type: 'nominal', title: 'layer, batch — kernels', scale: { scheme: 'category20' }, legend: { titleLimit: 400 } },
            tooltip: [{ field: 'series' }, { field: 'sparsity' }, { field: 'speedup', format: '.2f' }],
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#666' }, encoding: { y: { datum: 1 } } },
        {
          transform: [{ filter: 'isValid(datum.crossing)' }],
          mark: { type: 'point', shape: 'diamond', filled: true, size: 90, stroke: 'black', strokeWidth: 0.5 },
          encoding: { x: { field: 'crossing', type: 'quantitative' }, y: { datum: 1 }, color: { field: 'series', type: 'nominal' } },
        },
        {
          transform: [{ filter: 'isValid(datum.crossing)' }],
          mark: { type: 'text', dy: -10, fontSize: 10 },
          encoding: {
            x: { field: 'crossing', type: 'quantitative' },
            y: { datum: 1 },
            text: { field: 'crossingText' },
            color: { field: 'series', type: 'nominal' },
          },
        },
      ],
    },
    config: {
      font: FONT,
      axis: { labelFont: FONT, titleFont: FONT },
      legend: { labelFont: FONT, titleFont: FONT, labelLimit: 400 },
      header: { labelFont: FONT, titleFont: FONT },
      title: { font: FONT },
    },
  };
}
