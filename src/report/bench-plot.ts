// The figure of `infoplane bench`: speed-up of the sparse kernels over the
// dense ones against sparsity, one line per layer shape and batch, one panel
// per thread count; the dashed line at 1× marks the crossover.
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

export function speedupVsSparsitySpec(points: readonly SpeedupPoint[], title: string): TopLevelSpec {
  const values = points.map((p) => ({ ...p, series: `${p.shape}, batch ${p.batch} — ${p.kind}`, panel: `${p.threads} thread${p.threads === 1 ? '' : 's'}` }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: values as unknown as Record<string, unknown>[] },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 340,
      height: 260,
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'sparsity', type: 'quantitative', title: 'sparsity (fraction of weights pruned)', scale: { domain: [0, 1] } },
            y: { field: 'speedup', type: 'quantitative', title: 'speed-up over dense (×, log scale)', scale: { type: 'log' } },
            color: { field: 'series', type: 'nominal', title: 'layer, batch — kernels', scale: { scheme: 'category20' }, legend: { titleLimit: 400 } },
            tooltip: [{ field: 'series' }, { field: 'sparsity' }, { field: 'speedup', format: '.2f' }],
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#666' }, encoding: { y: { datum: 1 } } },
      ],
    },
    config: { font: FONT, axis: { labelFont: FONT, titleFont: FONT }, legend: { labelFont: FONT, titleFont: FONT, labelLimit: 400 }, header: { labelFont: FONT, titleFont: FONT }, title: { font: FONT } },
  };
}
