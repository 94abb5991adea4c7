// trials.html: one self-contained page per trials directory — outcome
// frequencies with intervals, the seeds to replay, and the median plots.
// No scripts, no external resources.
import type { Spread } from '../experiment/trials/stats.ts';
import { stopText } from './stop-text.ts';
import type { OutcomeCount, TrialsSummary } from '../experiment/trials/summary.ts';
import { type Figure, FIGURE_STYLE, figureHtml } from './figure.ts';
import { INCOMPLETE_STYLE, incompleteBanner } from './incomplete-banner.ts';
import { escapeHtml, intervalText, pctText } from './text.ts';

export const PAGE_STYLE = `body{font-family:"DejaVu Sans",sans-serif;margin:2em auto;max-width:1240px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
td.num{text-align:right}${FIGURE_STYLE}
pre,code{background:#f6f6f6}pre{padding:1em;overflow:auto;white-space:pre-wrap}.note{color:#555}
table.outcomes{display:block;overflow-x:auto;max-width:100%}${INCOMPLETE_STYLE}`;

function seedList(seeds: readonly number[], max = 15): string {
  return seeds.length <= max ? seeds.join(', ') : `${seeds.slice(0, max).join(', ')} … (+${seeds.length - max})`;
}

export function outcomeTable(rows: readonly OutcomeCount[], dir: string, labelTitle: string): string {
  const body = rows
    .map((o) => {
      const replay = o.seeds.length ? `<code>infoplane run --spec ${escapeHtml(dir)}/spec.json --seed ${o.seeds[0]}</code>` : '';
      return `<tr><td>${escapeHtml(o.kind)}</td><td>${escapeHtml(o.label)}</td><td class="num">${o.count}</td><td class="num">${pctText(o.fraction)}</td><td class="num">${intervalText(o.wilson95)}</td><td>${seedList(o.seeds)}</td><td>${replay}</td></tr>`;
    })
    .join('\n');
  return `<table class="outcomes"><thead><tr><th>kind</th><th>${labelTitle}</th><th>count</th><th>fraction</th><th>Wilson 95%</th><th>seeds</th><th>replay one</th></tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const bits = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}` : '—');
const spreadText = (sp: Spread, unit: (x: number) => string) =>
  sp.n === 0
    ? 'no runs'
    : `median ${unit(sp.median)}, IQR ${unit(sp.q1)}–${unit(sp.q3)}, range ${unit(sp.min)}–${unit(sp.max)}, sd ${unit(sp.sd)} (${sp.n} runs)`;

/** Each label's rule with its threshold, beside the seed-to-seed spread of the figure it is applied to. */
export function thresholdRows(summary: TrialsSummary): [string, string, string][] {
  const t = summary.thresholds;
  const sp = summary.spread;
  const acc = spreadText(sp.finalTestAcc, (x) => pctText(x));
  const rows: [string, string, string][] = [
    ['trained', `final test acc ≥ ${t.baselineAcc} − ${t.trainedMargin}`, `final test acc: ${acc}`],
    [
      'chance',
      `one class predicted for ≥ ${pctText(1 - t.chanceMargin)} of the test inputs, or |test acc − the test rate of some class| ≤ ${t.chanceMargin}`,
      `most-predicted class's share: ${spreadText(sp.dominantPrediction, (x) => pctText(x))}`,
    ],
  ];
  for (const layer of summary.watchedLayers) {
    const l = sp.layers[layer];
    if (!l) continue;
    rows.push([
      `compression (${layer})`,
      `each of the last ${t.lateEpochs} I(X;T) values after the peak ≥ ${t.compressionBits} bit below the peak after epoch 0`,
      `fall from the peak (bits): ${spreadText(l.fall, bits)}`,
    ]);
    rows.push([
      `zero-mi / saturated (${layer})`,
      `final I(X;T) < ${t.zeroMiBits} bit / ≥ ceiling − ${t.saturationBits} bit (ceiling log2 N, or H(X) when X is binned)`,
      `final I(X;T) (bits): ${spreadText(l.finalIxt, bits)}`,
    ]);
  }
  return rows;
}

export function renderTrialsPage(summary: TrialsSummary, spec: Record<string, unknown>, dir: string, figures: readonly Figure[]): string {
  const facts: [string, string][] = [
    ['spec hash', summary.specHash],
    ['runs', `${summary.runs} (${summary.errors} failed)`],
    ['labelled layers', summary.watchedLayers.join(', ')],
    ...(summary.stop ? [['stopping rule', stopText(summary.stop)] as [string, string]] : []),
  ];
  const thresholds = thresholdRows(summary)
    .map(([label, rule, measured]) => `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(rule)}</td><td>${escapeHtml(measured)}</td></tr>`)
    .join('');
  const plots = figures.map(figureHtml).join('\n');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infoplane trials ${escapeHtml(summary.specHash)}</title>
<style>
${PAGE_STYLE}
</style></head><body>
<h1>infoplane trials</h1>
${incompleteBanner(summary.incomplete)}
<table class="facts"><tbody>${facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>
<h2>Labels and the spread they are set against</h2>
<p class="note">Each label's rule next to the seed-to-seed spread of the figure it tests, over this directory's finished runs (README "Outcome labels").</p>
<table class="thresholds"><thead><tr><th>label</th><th>rule</th><th>spread over seeds</th></tr></thead><tbody>${thresholds}</tbody></table>
<h2>Outcomes</h2>
<p class="note">Fractions of all runs (plane labels: of the runs that finished), with Wilson score 95% intervals. Replay any seed exactly with <code>infoplane run --spec ${escapeHtml(dir)}/spec.json --seed N</code>.</p>
${outcomeTable(
  summary.outcomes.filter((o) => o.count > 0 || o.kind === 'accuracy'),
  dir,
  'outcome',
)}
<p class="note">Plane labels with no run are left out of this table (summary.json lists them, with their intervals).</p>
<h2>Combinations</h2>
${outcomeTable(summary.combinations, dir, 'combination')}
${plots}
<h2>Spec</h2>
<pre>${escapeHtml(JSON.stringify(spec, null, 2))}</pre>
</body></html>
`;
}
