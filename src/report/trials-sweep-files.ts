// The summary files of a sweep directory: summary.json (cells, trainability
// series, thresholds), plots/trainability.svg|png and sweep.html.
import type { SweepSummary } from '../experiment/trials/trainability.ts';
import { type ChanceCell, chanceHeatMapSpec } from './chance-plots.ts';
import type { Figure } from './run-figures.ts';
import { renderSvg, svgToPng } from './render.ts';
import { trainabilitySpec } from './trials-plots.ts';
import { renderSweepPage } from './trials-sweep-page.ts';

/**
 * The chance-frequency map of a grid over the amount and another key whose
 * values are all numbers (the first such, e.g. lr): one cell per grid cell,
 * a panel per value of the remaining keys. Null when the grid has no such pair.
 */
export function chanceMapCells(summary: SweepSummary, grid: readonly { key: string; values: readonly string[] }[]): { key: string; cells: ChanceCell[] } | null {
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

/** With plots false (a shard): summary.json only. */
export async function sweepReportFiles(summary: SweepSummary, base: Record<string, unknown>, grid: { key: string; values: string[] }[], plots = true): Promise<Record<string, string | Uint8Array>> {
  if (!plots) return { 'summary.json': JSON.stringify(summary, null, 2) + '\n' };
  const figures: Figure[] = [];
  if (summary.xKey && summary.series.some((s) => s.points.length > 0)) {
    const svg = await renderSvg(trainabilitySpec(summary.series, summary.xKey, `Trainability vs ${summary.xKey} (Wilson 95% intervals)`));
    figures.push({ name: 'trainability', title: `Trainability: fraction trained and at chance level vs ${summary.xKey}`, svg });
  }
  const map = chanceMapCells(summary, grid);
  if (map) {
    const svg = await renderSvg(chanceHeatMapSpec(map.cells, map.key, `Runs at chance level (constant predictor or collapse) over ${map.key} × amount: count/runs and Wilson 95% interval`));
    figures.push({ name: 'chance-map', title: `Where training fails: the fraction of runs at chance level over ${map.key} and the pruned amount`, svg });
  }
  const files: Record<string, string | Uint8Array> = { 'summary.json': JSON.stringify(summary, null, 2) + '\n' };
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['sweep.html'] = renderSweepPage(summary, base, grid, figures);
  return files;
}
