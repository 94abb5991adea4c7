// Where training fails: the fraction of runs at chance level (a constant
// predictor of either class, or a collapsed net) over the pruned amount and
// a second setting (the learning rate, or any assumption varied), each with
// its Wilson 95% interval. Two views of the same cells: lines with interval
// bars and the report's limits marked (reproduction.html), and a heat map
// with the count and interval written in each cell (sweep.html).
import type { TopLevelSpec } from 'vega-lite';
import { config, SCHEMA } from './reproduction-plots.ts';

export interface ChanceCell {
  /** A panel: the pruning mode (global weight, global neuron) or the other grid keys' values. */
  panel: string;
  /** The second setting's value as written (e.g. `lr=0.03 (default)` or `0.03`). */
  series: string;
  /** Fraction pruned. */
  amount: number;
  count: number;
  total: number;
  fraction: number | null;
  lo: number;
  hi: number;
}

/** The report's limit of a panel, drawn in red. */
export interface PanelLimit {
  panel: string;
  limit: number;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Lines of the chance fraction against the amount, one per series, Wilson bars, a panel per pruning mode, the report's limits in red. */
export function chanceLinesSpec(cells: readonly ChanceCell[], limits: readonly PanelLimit[], title: string): TopLevelSpec {
  const rows: Record<string, unknown>[] = cells.filter((c) => c.total > 0).map((c) => ({ ...c, label: `${c.count}/${c.total}` }));
  for (const l of limits) rows.push({ panel: l.panel, limit: l.limit, limitText: `report: ${l.limit}` });
  const x = { field: 'amount', type: 'quantitative' as const, title: 'amount pruned at init', scale: { domain: [0, 1] } };
  const color = { field: 'series', type: 'nominal' as const, title: null };
  // The limits' rows have no series: keep them out of the lines (and the legend), and the cells out of the limit marks.
  const cellsOnly = [{ filter: 'isValid(datum.series)' }];
  const limitsOnly = [{ filter: 'isValid(datum.limit)' }];
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 340,
      height: 240,
      layer: [
        {
          transform: cellsOnly,
          mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.6 },
          encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
        },
        {
          transform: cellsOnly,
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'fraction', type: 'quantitative', title: 'runs at chance level (Wilson 95% interval)', scale: { domain: [0, 1] } },
            color,
            tooltip: [
              { field: 'series' },
              { field: 'amount' },
              { field: 'label', title: 'at chance' },
              { field: 'lo', format: '.2f' },
              { field: 'hi', format: '.2f' },
            ],
          },
        },
        { transform: limitsOnly, mark: { type: 'rule', color: '#d62728', strokeWidth: 2 }, encoding: { x: { field: 'limit', type: 'quantitative' } } },
        {
          transform: limitsOnly,
          mark: { type: 'text', color: '#d62728', align: 'left', dx: 3, baseline: 'top', fontSize: 11 },
          encoding: { x: { field: 'limit', type: 'quantitative' }, y: { value: 4 }, text: { field: 'limitText' } },
        },
      ],
    },
    config,
  } as TopLevelSpec;
}

/** A heat map of the chance fraction, amount across and the series down, each cell saying `k/n` and its Wilson interval; a panel per other setting. */
export function chanceHeatMapSpec(cells: readonly ChanceCell[], seriesTitle: string, title: string): TopLevelSpec {
  const rows = cells.map((c) => ({
    ...c,
    amountText: String(c.amount),
    label: `${c.count}/${c.total}`,
    band: c.total > 0 ? `${pct(c.lo)}–${pct(c.hi)}` : 'no runs',
    dark: (c.fraction ?? 0) > 0.55,
  }));
  const x = { field: 'amountText', type: 'ordinal' as const, title: 'amount pruned at init', sort: { field: 'amount' }, axis: { labelAngle: 0 } };
  const y = { field: 'series', type: 'ordinal' as const, title: seriesTitle, sort: null };
  const textColor = { condition: { test: 'datum.dark', value: 'white' }, value: 'black' };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: { step: 90 },
      height: { step: 46 },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white' },
          encoding: {
            x,
            y,
            color: { field: 'fraction', type: 'quantitative', title: 'at chance', scale: { domain: [0, 1], scheme: 'orangered' } },
            tooltip: [{ field: 'series' }, { field: 'amount' }, { field: 'label', title: 'at chance' }, { field: 'band', title: 'Wilson 95%' }],
          },
        },
        {
          mark: { type: 'text', baseline: 'bottom', dy: -1, fontSize: 12, fontWeight: 'bold' },
          encoding: { x, y, text: { field: 'label' }, color: textColor },
        },
        { mark: { type: 'text', baseline: 'top', dy: 3, fontSize: 10 }, encoding: { x, y, text: { field: 'band' }, color: textColor } },
      ],
    },
    config,
  } as TopLevelSpec;
}
