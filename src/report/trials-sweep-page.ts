// sweep.html: the trainability curve, the 50% thresholds with their bands,
// and a row per grid cell. Self-contained like trials.html.
import type { SweepSummary } from '../experiment/trials/trainability.ts';
import { type Figure, figureHtml } from './figure.ts';
import { incompleteBanner } from './incomplete-banner.ts';
import { PAGE_STYLE } from './trials-page.ts';
import { escapeHtml, intervalText, pctText } from './text.ts';
import { crossingText } from './trials-table.ts';

export function renderSweepPage(
  summary: SweepSummary,
  base: Record<string, unknown>,
  grid: { key: string; values: string[] }[],
  figures: readonly Figure[],
): string {
  const thresholds = summary.series
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.series)}</td><td class="num">${crossingText(s.threshold50).x}</td><td class="num">${crossingText(s.threshold50).band}</td><td class="num">${s.criticalX === null ? 'collapse at the first point' : String(Number(s.criticalX.toFixed(4)))}</td></tr>`,
    )
    .join('\n');
  const keys = grid.map((g) => g.key);
  const cells = summary.cells
    .map(
      (c) =>
        `<tr>${keys.map((k) => `<td>${escapeHtml(c.values[k])}</td>`).join('')}<td class="num">${c.runs}</td><td class="num">${pctText(c.trained.fraction)}</td><td class="num">${intervalText(c.trained.wilson95)}</td><td class="num">${pctText(c.chance.fraction)}</td><td class="num">${intervalText(c.chance.wilson95)}</td><td class="num">${pctText(c.collapse.fraction)}</td><td class="num">${intervalText(c.collapse.wilson95)}</td><td>${Object.entries(
          c.counts,
        )
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}</td></tr>`,
    )
    .join('\n');
  const plots = figures.map(figureHtml).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infoplane sweep ${escapeHtml(summary.baseHash)}</title>
<style>
${PAGE_STYLE}
</style></head><body>
<h1>infoplane sweep</h1>
${incompleteBanner(summary.incomplete)}
<p>Grid: ${grid.map((g) => `<code>${escapeHtml(g.key)}=${escapeHtml(g.values.join(','))}</code>`).join(' × ')}; ${summary.seedsPerCell.min === summary.seedsPerCell.max ? summary.seedsPerCell.min : `${summary.seedsPerCell.min}–${summary.seedsPerCell.max}`} runs per cell.</p>
${
  summary.xKey
    ? `<h2>Where the trained fraction crosses 50%</h2>
<p class="note">${escapeHtml(summary.method)}.</p>
<table class="thresholds"><thead><tr><th>series</th><th>${escapeHtml(summary.xKey)} at 50% trained</th><th>band (Wilson bounds)</th><th>critical ${escapeHtml(summary.xKey)}: largest with no collapse in any seed</th></tr></thead><tbody>
${thresholds}
</tbody></table>`
    : ''
}
${plots}
<h2>Cells</h2>
<table class="cells"><thead><tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}<th>runs</th><th>trained</th><th>Wilson 95%</th><th>chance level</th><th>Wilson 95%</th><th>layer collapse</th><th>Wilson 95%</th><th>outcomes</th></tr></thead><tbody>
${cells}
</tbody></table>
<h2>Base spec</h2>
<pre>${escapeHtml(JSON.stringify(base, null, 2))}</pre>
</body></html>
`;
}
