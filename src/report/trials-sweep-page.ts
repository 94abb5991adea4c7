// sweep.html: the trainability curve, the 50% thresholds with their bands,
// and a row per grid cell. Self-contained like trials.html.
import type { SweepSummary } from '../experiment/trials/trainability.ts';
import type { Figure } from './run-figures.ts';
import { PAGE_STYLE } from './trials-page.ts';
import { escapeHtml, intervalText, pctText } from './text.ts';

const num = (x: number | null) => (x === null ? 'not within the grid' : String(Number(x.toFixed(4))));

export function renderSweepPage(summary: SweepSummary, base: Record<string, unknown>, grid: { key: string; values: string[] }[], figures: readonly Figure[]): string {
  const thresholds = summary.series
    .map((s) => `<tr><td>${escapeHtml(s.series)}</td><td class="num">${num(s.threshold50.x)}</td><td class="num">${num(s.threshold50.fromLowerBound)} … ${num(s.threshold50.fromUpperBound)}</td></tr>`)
    .join('\n');
  const keys = grid.map((g) => g.key);
  const cells = summary.cells
    .map((c) => `<tr>${keys.map((k) => `<td>${escapeHtml(c.values[k])}</td>`).join('')}<td class="num">${c.runs}</td><td class="num">${pctText(c.trained.fraction)}</td><td class="num">${intervalText(c.trained.wilson95)}</td><td class="num">${pctText(c.chance.fraction)}</td><td class="num">${intervalText(c.chance.wilson95)}</td><td>${Object.entries(c.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}</td></tr>`)
    .join('\n');
  const plots = figures.map((f) => `<figure><figcaption>${escapeHtml(f.title)}</figcaption>${f.svg}</figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infoplane sweep ${escapeHtml(summary.baseHash)}</title>
<style>
${PAGE_STYLE}
</style></head><body>
<h1>infoplane sweep</h1>
<p>Grid: ${grid.map((g) => `<code>${escapeHtml(g.key)}=${escapeHtml(g.values.join(','))}</code>`).join(' × ')}; ${summary.seedsPerCell.min === summary.seedsPerCell.max ? summary.seedsPerCell.min : `${summary.seedsPerCell.min}–${summary.seedsPerCell.max}`} runs per cell.</p>
${summary.xKey ? `<h2>Where the trained fraction crosses 50%</h2>
<p class="note">${escapeHtml(summary.method)}.</p>
<table class="thresholds"><thead><tr><th>series</th><th>${escapeHtml(summary.xKey)} at 50% trained</th><th>band (Wilson bounds)</th></tr></thead><tbody>
${thresholds}
</tbody></table>` : ''}
<h2>Plots</h2>
${plots}
<h2>Cells</h2>
<table class="cells"><thead><tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}<th>runs</th><th>trained</th><th>Wilson 95%</th><th>chance level</th><th>Wilson 95%</th><th>outcomes</th></tr></thead><tbody>
${cells}
</tbody></table>
<h2>Base spec</h2>
<pre>${escapeHtml(JSON.stringify(base, null, 2))}</pre>
</body></html>
`;
}
