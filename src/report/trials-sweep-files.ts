// The summary files of a sweep directory: summary.json (cells, trainability
// series, thresholds), plots/trainability.svg|png and sweep.html.
import type { SweepSummary } from '../experiment/trials/trainability.ts';
import type { Figure } from './run-figures.ts';
import { renderSvg, svgToPng } from './render.ts';
import { compressionSpec, medianPlaneSpec, trainabilitySpec } from './trials-plots.ts';
import { renderSweepPage } from './trials-sweep-page.ts';

/** With plots false (a shard): summary.json only. */
export async function sweepReportFiles(summary: SweepSummary, base: Record<string, unknown>, grid: { key: string; values: string[] }[], plots = true): Promise<Record<string, string | Uint8Array>> {
  if (!plots) return { 'summary.json': JSON.stringify(summary, null, 2) + '\n' };
  const figures: Figure[] = [];
  if (summary.xKey && summary.series.some((s) => s.points.length > 0)) {
    const svg = await renderSvg(trainabilitySpec(summary.series, summary.xKey, `Trainability vs ${summary.xKey} (Wilson 95% intervals)`));
    figures.push({ name: 'trainability', title: `Trainability: fraction trained and at chance level vs ${summary.xKey}`, svg });
  }
  if (summary.xKey === 'compression' && summary.series.some((s) => s.points.length > 0)) {
    const svg = await renderSvg(compressionSpec(summary.series, 'Trained, chance level and layer collapse vs compression (Wilson 95% bands)'));
    figures.push({ name: 'compression', title: 'Outcomes vs compression 10^c, one line per method', svg });
  }
  if (summary.planes) {
    const { x, layer, bySeries } = summary.planes;
    const groups = Object.fromEntries(Object.entries(bySeries).map(([series, p]) => [`${series} at ${p.x}`, p.trajectory]));
    const svg = await renderSvg(medianPlaneSpec(groups, `Median information plane of ${layer} per series, ${summary.xKey} nearest ${x}`, 'series (runs)'));
    figures.push({ name: 'series-planes', title: `Median information plane of ${layer} per series at ${summary.xKey} ${x}`, svg });
  }
  const files: Record<string, string | Uint8Array> = { 'summary.json': JSON.stringify(summary, null, 2) + '\n' };
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['sweep.html'] = renderSweepPage(summary, base, grid, figures);
  return files;
}
