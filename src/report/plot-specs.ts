// The figures of a run as Vega-Lite specs: the information plane (the classic
// figure: one line per layer across epochs, points coloured by epoch), MI vs
// epoch per layer, and the training curves.
import type { TopLevelSpec } from 'vega-lite';
import type { EpochMetrics } from '../train/trainer.ts';

/** One point of the information plane: a layer at an epoch, under one binning. */
export interface PlanePoint {
  epoch: number;
  layer: string;
  ixt: number;
  ity: number;
  estimator: string;
}

const FONT = { font: 'DejaVu Sans', labelFont: 'DejaVu Sans', titleFont: 'DejaVu Sans' };
const config = { axis: { labelFont: FONT.font, titleFont: FONT.font }, legend: { labelFont: FONT.font, titleFont: FONT.font }, header: { labelFont: FONT.font, titleFont: FONT.font }, title: { font: FONT.font } };

export function informationPlaneSpec(points: readonly PlanePoint[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    facet: { column: { field: 'estimator', type: 'nominal', title: 'estimator' } },
    spec: {
      width: 320,
      height: 260,
      layer: [
        { mark: { type: 'line', strokeWidth: 1, color: '#999' }, encoding: { x: { field: 'ixt', type: 'quantitative', title: 'I(X;T) [bits]' }, y: { field: 'ity', type: 'quantitative', title: 'I(T;Y) [bits]' }, detail: { field: 'layer' }, order: { field: 'epoch' } } },
        { mark: { type: 'point', filled: true, size: 40 }, encoding: { x: { field: 'ixt', type: 'quantitative' }, y: { field: 'ity', type: 'quantitative' }, color: { field: 'epoch', type: 'quantitative', scale: { scheme: 'viridis' } }, shape: { field: 'layer', type: 'nominal' }, tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }] } },
      ],
    },
    resolve: { scale: { x: 'independent' } },
    config,
  };
}

export function miVsEpochSpec(points: readonly PlanePoint[], title: string): TopLevelSpec {
  const long = points.flatMap((p) => [
    { ...p, quantity: 'I(X;T)', bits: p.ixt },
    { ...p, quantity: 'I(T;Y)', bits: p.ity },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: long as unknown as Record<string, unknown>[] },
    facet: { row: { field: 'quantity', type: 'nominal', title: null }, column: { field: 'estimator', type: 'nominal' } },
    spec: {
      width: 320,
      height: 160,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
        y: { field: 'bits', type: 'quantitative', title: 'bits' },
        color: { field: 'layer', type: 'nominal' },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config,
  };
}

export function trainingCurvesSpec(history: readonly EpochMetrics[], title: string): TopLevelSpec {
  const rows = history.flatMap((m) => [
    { epoch: m.epoch, panel: 'accuracy', series: 'train', value: m.trainAcc },
    { epoch: m.epoch, panel: 'accuracy', series: 'test', value: m.testAcc },
    { epoch: m.epoch, panel: 'loss', series: 'train', value: m.trainLoss },
    { epoch: m.epoch, panel: 'loss', series: 'test', value: m.testLoss },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: 'set' },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config,
  };
}
