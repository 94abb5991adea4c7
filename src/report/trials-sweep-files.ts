// The summary files of a sweep directory: summary.json (cells, trainability
// series, thresholds), plots/trainability.svg|png and sweep.html.
import type { SweepSummary } from '../experiment/trials/trainability.ts';
import { type Figure, renderFigure } from './figure.ts';
import { svgToPng } from './render.ts';
import { compressionSpec, medianPlaneSpec, trainabilitySpec } from './trials-plots.ts';
import { type ChanceCell, chanceHeatMapSpec } from './chance-plots.ts';
import { renderSweepPage } from './trials-sweep-page.ts';
import { type TableSource, trialsTableFiles } from './trials-tables.ts';
import { jsonWithUnits } from './units.ts';

/**
 * The chance-frequency map of a grid over the amount and another key whose
 * values are all numbers (the first such, e.g. lr): one cell per grid cell,
 * a panel per value of the remaining keys. Null when the grid has no such pair.
 */
export function chanceMapCells(
  summary: SweepSummary,
  grid: readonly { key: string; values: readonly string[] }[],
): { key: string; cells: ChanceCell[] } | null {
  if (summary.xKey !== 'amount') return null;
  const key = grid.find((g) => g.key !== 'amount' && g.values.every((v) => v.trim() !== '' && Number.isFinite(Number(v))))?.key;
  if (!key) return null;
  const others = grid.filter((g) => g.key !== 'amount' && g.key !== key).map((g) => g.key);
  const cells = summary.cells.map((c) => ({
    panel: others.length ? others.map((k) => `${k}=${c.values[k]}`).join(' ') : 'all',
    series: c.values[key],
    amount: Number(c.values.amount),
    count: c.chance.count,
    total: c.chance.total,
    fraction: c.chance.fraction,
    lo: c.chance.wilson95[0],
    hi: c.chance.wilson95[1],
  }));
  return { key, cells };
}

/** With plots false (a shard): summary.json only. `cells`: each cell's grid values and records, for the tables. */
export async function sweepReportFiles(
  summary: SweepSummary,
  base: Record<string, unknown>,
  grid: { key: string; values: string[] }[],
  cells: readonly TableSource[],
  plots = true,
): Promise<Record<string, string | Uint8Array>> {
  if (!plots) return { 'summary.json': jsonWithUnits(summary) };
  const figures: Figure[] = [];
  if (summary.xKey && summary.series.some((s) => s.points.length > 0)) {
    figures.push(
      await renderFigure(
        'trainability',
        `Trainability vs ${summary.xKey}`,
        `The fraction of runs that trained (blue) and that ended at chance level (red) at each ${summary.xKey}, one panel per combination of the other grid keys; the bands are Wilson score 95% intervals. The dashed horizontal line is 50%; the dotted vertical line, labelled, is where the trained fraction crosses it (linear between grid points).`,
        trainabilitySpec(summary.series, summary.xKey),
      ),
    );
  }
  if (summary.xKey === 'compression' && summary.series.some((s) => s.points.length > 0)) {
    figures.push(
      await renderFigure(
        'compression',
        'Outcomes vs compression 10^c, one line per method',
        'The fraction of runs that trained, ended at chance level, and had a layer collapse at each compression ratio 10^c (density 10^−c, log axis), one line per method; bands are Wilson score 95% intervals.',
        compressionSpec(summary.series),
      ),
    );
  }
  if (summary.planes) {
    const { x, layer, bySeries } = summary.planes;
    const groups = Object.fromEntries(Object.entries(bySeries).map(([series, p]) => [`${series} at ${p.x}`, p.trajectory]));
    figures.push(
      await renderFigure(
        'series-planes',
        `Median information plane of ${layer} per series at ${summary.xKey} ${x}`,
        `The median (I(X;T), I(T;Y)) of ${layer} over seeds at each measured epoch, one panel per method; the pale boxes are the interquartile ranges across seeds.`,
        medianPlaneSpec(groups),
      ),
    );
  }
  const map = chanceMapCells(summary, grid);
  if (map) {
    figures.push(
      await renderFigure(
        'chance-map',
        `Where training fails: runs at chance level over ${map.key} and the pruned amount`,
        `Each cell is one grid cell: the runs that ended at chance level (a constant predictor of either class, or a collapsed net) as count/runs, coloured by the fraction, with its Wilson 95% interval; amount across, ${map.key} down.`,
        chanceHeatMapSpec(map.cells, map.key, ''),
      ),
    );
  }
  const files: Record<string, string | Uint8Array> = { 'summary.json': jsonWithUnits(summary), ...trialsTableFiles(cells) };
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['sweep.html'] = renderSweepPage(summary, base, grid, figures);
  return files;
}
