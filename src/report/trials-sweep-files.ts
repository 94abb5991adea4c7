// The summary files of a sweep directory: summary.json (cells, trainability
// series, thresholds), plots/trainability.svg|png and sweep.html.
import type { SweepSummary } from '../experiment/trials/trainability.ts';
import { type Figure, renderFigure } from './figure.ts';
import { svgToPng } from './render.ts';
import { trainabilitySpec } from './trials-plots.ts';
import { renderSweepPage } from './trials-sweep-page.ts';
import { type TableSource, trialsTableFiles } from './trials-tables.ts';
import { jsonWithUnits } from './units.ts';

/** With plots false (a shard): summary.json only. `cells`: each cell's grid values and records, for the tables. */
export async function sweepReportFiles(summary: SweepSummary, base: Record<string, unknown>, grid: { key: string; values: string[] }[], cells: readonly TableSource[], plots = true): Promise<Record<string, string | Uint8Array>> {
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
  const files: Record<string, string | Uint8Array> = { 'summary.json': jsonWithUnits(summary), ...trialsTableFiles(cells) };
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['sweep.html'] = renderSweepPage(summary, base, grid, figures);
  return files;
}
