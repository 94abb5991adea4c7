// report.html: one self-contained page per run — spec, summary, pruning table,
// every plot inline. No scripts, no external resources.
import { type Figure, FIGURE_STYLE, figureHtml } from './figure.ts';
import type { RunRecord } from './run-figures.ts';
import { escapeHtml } from './text.ts';

const pct = (x: unknown) => (typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : '—');

interface PruneLayerRow {
  layer: number;
  kept: number;
  /** Absent in runs written before effective sparsity was reported. */
  effectiveKept?: number;
  total: number;
  neurons: number;
  neuronsAlive: number;
  constantUnits?: number;
  collapsed: boolean;
}

function pruningTable(pruning: { layers?: PruneLayerRow[]; collapse?: boolean; reason?: string } | undefined): string {
  if (!pruning?.layers) return '';
  const rows = pruning.layers
    .map(
      (l) =>
        `<tr><td>${l.layer}</td><td>${l.kept} / ${l.total}</td><td>${pct(l.kept / l.total)}</td><td>${l.effectiveKept ?? '—'}</td><td>${l.effectiveKept === undefined ? '—' : pct(l.effectiveKept / l.total)}</td><td>${l.neuronsAlive} / ${l.neurons}</td><td>${l.constantUnits ?? '—'}</td><td>${l.collapsed ? 'yes' : ''}</td></tr>`,
    )
    .join('');
  const verdict = pruning.collapse ? `<p class="warn">Layer collapse: ${escapeHtml(pruning.reason ?? 'no path from input to output')}.</p>` : '';
  return `<h2>Pruning at initialization</h2>${verdict}<table><thead><tr><th>layer</th><th>weights kept (direct)</th><th>kept</th><th>effective (on an input→output path)</th><th>effective kept</th><th>neurons alive</th><th>constant units act(b)</th><th>collapsed</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderRunPage(run: RunRecord, figures: readonly Figure[]): string {
  const s = run.summary as {
    seed?: number;
    specHash?: string;
    final?: Record<string, number>;
    data?: Record<string, unknown>;
    pruning?: never;
    bestTestAcc?: number;
  };
  const final = s.final ?? {};
  const data = s.data ?? {};
  const summaryRows: [string, string][] = [
    ['seed', String(s.seed)],
    ['spec hash', String(s.specHash)],
    ['data', `${data.source} / ${data.task}: ${data.trainRows} train, ${data.testRows} test`],
    ['final test accuracy', pct(final.testAcc)],
    ['best test accuracy', pct(s.bestTestAcc)],
    ['test majority-class rate', pct(data.testMajorityRate)],
    ['epochs', String(final.epoch)],
  ];
  const plots = figures.map(figureHtml).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infoplane run ${escapeHtml(String(s.specHash))} seed ${s.seed}</title>
<style>
body{font-family:"DejaVu Sans",sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
${FIGURE_STYLE}
pre{background:#f6f6f6;padding:1em;overflow:auto;white-space:pre-wrap}
.warn{color:#a00;font-weight:bold}
</style></head><body>
<h1>infoplane run</h1>
<h2>Summary</h2>
<table><tbody>${summaryRows.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>
${pruningTable(run.summary.pruning as never)}
${plots}
<h2>Spec</h2>
<pre>${escapeHtml(JSON.stringify(run.spec, null, 2))}</pre>
</body></html>
`;
}
