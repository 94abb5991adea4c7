// reproduction.html: one self-contained page (no scripts, no external
// resources) — each claim of the seed report in our own words with its
// operational test, the measured figures and 95% intervals, the verdict and
// why, where we disagree and what shows it, and the plots; then the settings,
// the budget and its trade-offs.
import type { AssumptionKey, SmokeReason } from '../experiment/reproduce/budget.ts';
import type { MeasuredFigure } from '../experiment/reproduce/claim.ts';
import type { SettingSummary } from '../experiment/reproduce/evaluate.ts';
import { cellText, formatInterval, formatValue } from './figure-format.ts';
import type { Verdict } from '../experiment/reproduce/estimates.ts';
import { SETTINGS_DIR } from '../experiment/reproduce/plan.ts';
import { type ClaimResult, describeReproduction } from './claim-sentences.ts';
import { incompleteBanner } from './incomplete-banner.ts';
import { type ReproductionInputs, variationFigureName, type VariationInputs } from './reproduction-files.ts';
import { assumptionLabel, DEPENDENCE_WORD, dependenceReading } from './assumption-sentences.ts';
import type { Figure } from './run-figures.ts';
import { PAGE_STYLE } from './trials-page.ts';
import { escapeHtml as esc } from './text.ts';

/** The figures each claim's section shows, by claim key. */
export const CLAIM_FIGURES: Record<string, readonly string[]> = {
  'baseline-accuracy': ['accuracy-unpruned', 'plane-baseline'],
  'layer-weight-pruning': ['accuracy-settings', 'plane-lw95-L1', 'plane-lw95-L2', 'plane-lw95-L3', 'plane-lw95-L4', 'plane-lw95-L5'],
  'layer-neuron-pruning': ['plane-ln90-L2'],
  'global-limits': ['trainability', 'where-it-fails', 'chance-plane', 'pruning-at-init', 'plane-gw65'],
  'zero-mi-last-layer': ['plane-gn40'],
  bins: ['bins'],
  'compression-accuracy': ['compression'],
  infrequent: ['odd-planes'],
};

const STYLE = `${PAGE_STYLE}
.verdict{display:inline-block;padding:.1em .6em;border-radius:.8em;font-weight:bold;white-space:nowrap}
.v-reproduced{background:#d8f0d8;color:#145214}.v-partly{background:#fdf0c8;color:#6b4e00}
.v-not-reproduced{background:#f8d7d7;color:#7a1111}.v-no-data{background:#e6e6e6;color:#444}.v-untestable{background:#e3e3f6;color:#2a2a6b}
.smoke{display:inline-block;margin-left:.3em;padding:.1em .5em;border-radius:.8em;background:#222;color:#fff;font-size:.8em;font-weight:bold}
.smoke-banner{background:#222;color:#fff;padding:.8em 1em;border-radius:4px}
section.claim{border-top:2px solid #ddd;margin-top:2.5em;padding-top:.5em}
blockquote{margin:.5em 0 .5em 1em;padding:.3em 1em;border-left:4px solid #bbb;color:#333;font-style:italic}
.test{background:#f4f7fb;padding:.6em 1em;border-radius:4px}.why{font-size:1.05em}
.disagree{background:#fff4e5;border-left:4px solid #e69500;padding:.6em 1em;white-space:pre-line}
td.context{color:#777}
.side-by-side{display:flex;gap:1em;overflow-x:auto;align-items:flex-start}.side-by-side figure{flex:0 0 auto;margin:0}
.reading{font-weight:bold}`;

// Set for the page being rendered: a smoke run marks every badge, so no verdict is read without its caveat.
let smokeMark = '';
const verdictBadge = (v: Verdict | undefined) => (v ? `<span class="verdict v-${v.replace(/ /g, '-')}">${esc(v)}</span>${smokeMark}` : '');

function smokeText(reasons: readonly SmokeReason[]): string {
  return reasons
    .map((r) =>
      r.field === 'subset' ? `a ${r.used}-image subset of full MNIST instead of all of it` : `${r.used} ${r.field} instead of the default ${r.standard}`,
    )
    .join(', ');
}

/** Why each unstated setting has the value it has. */
const ASSUMPTION_WHY: Record<AssumptionKey, [string, string]> = {
  widths: [
    'layer widths',
    'the report’s figures show a 784-1024-20-20-20 net with 2 outputs (binary task); the widths are not written out, so we take the net of its appendix code and Saxe et al.',
  ],
  activation: [
    'activation',
    'tanh, the activation of the information-bottleneck experiments the report follows (Shwartz-Ziv & Tishby; Saxe et al. show tanh compresses, ReLU does not)',
  ],
  data: ['data set', 'the report trains on MNIST; the full official split is what its 98% refers to'],
  task: ['task', 'the report’s net has 2 outputs but does not name the binary task; parity (even vs odd digits) balances the classes (~51% majority)'],
  split: ['train/test split', 'the official split where the data set has one'],
  optimizer: ['optimizer', 'not stated; Adam, the optimizer of the IDNNs code the report builds on'],
  lr: ['learning rate', 'not stated; PyTorch’s Adam default'],
  batch: ['batch size', 'not stated; 128, as in Saxe et al.'],
  epochs: ['epochs', 'not stated per figure; the preset has 20, the reproduction’s budget sets the value used'],
  init: ['initialization', 'not stated; PyTorch nn.Linear’s default U(±1/√fan_in), which the report’s PyTorch code uses'],
  'mi-samples': ['MI samples', 'not stated; the test images, so I(X;T) has a ceiling of log2 N of the test set and MI costs a sixth of all 70 000 rows'],
  binning: [
    'MI estimator',
    '30 equal bins over [−1, 1] per tanh unit ([0, 1] for the softmax output), the fixed binning of the IDNNs code; 10 and 100 for the bins claim',
  ],
  seeds: ['seeds', 'the report shows single runs; we run many per setting and report frequencies with intervals'],
};

/** Why the default sensitivity set is what it is (experiment/reproduce/variations.ts). */
const SENSITIVITY_WHY =
  'The default sensitivity set. Under Adam at 0.001 no run ends as a constant predictor, while from a step size of about 0.02 on a growing fraction of runs does, pruned or not: the report’s “stuck at 51%” appears at intermediate frequencies exactly there, so the limits (claim 4) and how rare the odd outcomes are (claim 8) may depend on a step size the report never states. 0.01 is the step below that onset, 0.03 inside it; the settings are those claim 4 tests (which also give claims 1 and 8 a verdict on them), to keep the whole reproduction at about an hour on 2 cores.';

function variedText(v: VariationInputs, settings: readonly { of: string; variation: string | null }[]): string {
  if (v.vary.length === 0)
    return '<p class="note">No assumption varied (<code>--no-vary</code>); <code>--vary KEY=V1,V2,…</code> runs the settings under other values.</p>';
  const axes = v.vary.map((a) => `${a.key} = ${a.values.join(', ')}`).join('; ');
  const ran = [...new Set(settings.filter((s) => s.variation !== null).map((s) => s.of))];
  const scope = v.scope === 'all' ? 'every setting' : `the settings claim 4 tests (${ran.join(', ')})`;
  const why = v.scope === 'limits' ? ` ${SENSITIVITY_WHY}` : '';
  return `<p id="varied"><b>Varied:</b> ${esc(axes)} (the defaults: ${esc(assumptionLabel(null, v.defaultLabel))}), on ${esc(scope)}; each claim says below whether its verdict depends on it.${esc(why)}</p>`;
}

function assumptionsSection(inputs: ReproductionInputs): string {
  const rows = inputs.assumptions
    .map((a) => `<tr><td>${esc(ASSUMPTION_WHY[a.key][0])}</td><td><code>${esc(a.value)}</code></td><td>${esc(ASSUMPTION_WHY[a.key][1])}</td></tr>`)
    .join('\n');
  return `<section id="assumptions"><h2>Assumptions</h2>
<p class="note">Every setting the report does not state, with the value used here and why. Each is a field of the settings’ spec.json; change it with a spec file or flag and the verdicts are recomputed on the new runs.</p>
<table class="assumptions"><thead><tr><th>setting</th><th>value used</th><th>why</th></tr></thead><tbody>
${rows}
</tbody></table>
${variedText(inputs.variations, inputs.plan.settings)}</section>`;
}

/** Vega's SVG ids (clip paths) restart in every figure: prefix them so several figures share a page. */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

function figureHtml(f: Figure): string {
  // A variation's name (`trainability@lr=0.03`) is a fine HTML id but not a plain url(#…) reference inside the SVG.
  return `<figure id="fig-${esc(f.name)}"><figcaption>${esc(f.title)}</figcaption>${scopeSvgIds(f.svg, `fig-${f.name.replace(/[^A-Za-z0-9_-]/g, '_')}`)}</figure>`;
}

function figureRow(f: MeasuredFigure, context = false): string {
  const e = f.estimate;
  const coverage = e.coverage !== null && e.coverage < 0.95 ? ` <span class="note">(${(e.coverage * 100).toFixed(0)}% coverage)</span>` : '';
  return `<tr${context ? ' class="context"' : ''}><td>${esc(f.label)}</td><td class="num">${esc(formatValue(e.value, f.unit))}</td><td class="num">${esc(formatInterval(e.interval, f.unit))}${coverage}</td><td class="num">${e.n}</td><td>${esc(f.region?.text ?? 'context')}</td><td>${verdictBadge(f.verdict)}</td><td class="note">${esc(e.method)}</td></tr>`;
}

function figuresTable(rows: string[]): string {
  if (rows.length === 0) return '';
  return `<table class="figures"><thead><tr><th>measured</th><th>value</th><th>95% interval</th><th>n</th><th>claim holds when</th><th>verdict</th><th>how</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Per claim: its verdict and headline under each assumption, and the one-line reading of whether it depends on them. */
function assumptionsBlock(c: ClaimResult, v: VariationInputs, described: ReadonlyMap<string, ClaimResult[]>): string {
  const d = v.dependence.find((x) => x.id === c.id);
  if (!d || d.dependence === 'untested') return '';
  const rows = d.verdicts
    .map((u) => {
      const words = u.assumption === null ? c : described.get(u.assumption)?.find((x) => x.id === c.id);
      const coverage = u.coverage.ran < u.coverage.of ? `${u.coverage.ran} of ${u.coverage.of}` : 'all';
      return `<tr data-assumption="${esc(u.assumption ?? 'default')}"><td>${esc(assumptionLabel(u.assumption, v.defaultLabel))}</td><td>${verdictBadge(u.verdict)}</td><td>${esc(words?.headline ?? '')}</td><td class="num">${coverage}</td></tr>`;
    })
    .join('');
  return `<div class="under-assumptions" data-dependence="${esc(d.dependence)}"><h3>Under other assumptions</h3>
<p class="reading">${esc(dependenceReading(d, v.defaultLabel))}</p>
<table class="assumption-verdicts"><thead><tr><th>assumption</th><th>verdict</th><th>measured (95% interval)</th><th>settings run</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** A claim's figure, with the same figure under each variation beside it when there is one. */
function claimFigures(names: readonly string[], figures: ReadonlyMap<string, Figure>, v: VariationInputs): string {
  return names
    .map((name) => {
      const base = figures.get(name);
      const varied = v.results.map((a) => figures.get(variationFigureName(name, a.name))).filter((f): f is Figure => f !== undefined);
      if (varied.length === 0) return base ? figureHtml(base) : '';
      return `<div class="side-by-side" data-figure="${esc(name)}">${[base, ...varied]
        .filter((f): f is Figure => f !== undefined)
        .map(figureHtml)
        .join('')}</div>`;
    })
    .join('\n');
}

function claimSection(c: ClaimResult, figures: Map<string, Figure>, v: VariationInputs, described: ReadonlyMap<string, ClaimResult[]>): string {
  const parts = c.parts.length
    ? `<h3>Parts</h3><table class="parts"><thead><tr><th>part</th><th>verdict</th><th>figures</th><th>note</th></tr></thead><tbody>${c.parts
        .map(
          (p, i) =>
            `<tr${p.context ? ' class="context"' : ''}><td>${esc(p.label)}${p.context ? ' <span class="note">(context, not in the verdict)</span>' : ''}</td><td>${verdictBadge(p.verdict)}</td><td>${p.figures
              .map(
                (f) =>
                  `${esc(f.label)}: <b>${esc(formatValue(f.estimate.value, f.unit))}</b> ${esc(formatInterval(f.estimate.interval, f.unit))}${f.region ? ` vs ${esc(f.region.text)} ${verdictBadge(f.verdict)}` : ''}`,
              )
              .join('<br>')}</td><td>${esc(c.notes[i] ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const tables = c.tables
    .map(
      (t, i) =>
        `<table class="data"><caption>${esc(c.captions[i])}</caption><thead><tr>${t.columns.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((x) => `<td>${esc(cellText(x))}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
    )
    .join('\n');
  return `<section class="claim" id="claim-${c.id}" data-claim="${esc(c.key)}" data-verdict="${esc(c.verdict)}">
<h2>Claim ${c.id}: ${esc(c.title)} ${verdictBadge(c.verdict)}</h2>
<p>The report (${esc(c.where)}):</p><blockquote>“${esc(c.quote)}”</blockquote>
<p><b>In our words.</b> ${esc(c.ours)}</p>
<p class="test"><b>Test.</b> ${esc(c.test)}</p>
<p class="why"><b>Verdict: ${esc(c.verdict)}.</b> ${esc(c.why)}</p>
${assumptionsBlock(c, v, described)}
${figuresTable(c.figures.map((f) => figureRow(f, !f.region)))}
${parts}
${c.disagreement ? `<div class="disagree"><b>Where we disagree with the report.</b> ${esc(c.disagreement)}</div>` : ''}
${tables}
${claimFigures(CLAIM_FIGURES[c.key] ?? [], figures, v)}
</section>`;
}

function settingsTable(settings: readonly SettingSummary[], dir: string): string {
  const rows = settings
    .map((s) => {
      const counts = Object.entries(s.outcomes)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      const replay = s.runs ? `<code>infoplane run --spec ${esc(dir)}/${SETTINGS_DIR}/${esc(s.id)}/spec.json --seed ${s.checks[0]?.seed ?? 1}</code>` : '';
      return `<tr><td>${esc(s.id)}</td><td>${esc(s.title)}</td><td>${esc(s.preset)}</td><td class="num">${s.runs} / ${s.seedsPlanned}</td><td class="num">${esc(formatValue(s.finalAcc.value, 'accuracy'))}</td><td>${esc(counts || '—')}</td><td class="num">${s.odd.n ? `${esc(formatValue(s.odd.value, 'fraction'))}` : '—'}</td><td>${replay}</td></tr>`;
    })
    .join('\n');
  return `<table class="settings"><thead><tr><th>setting</th><th>what</th><th>from preset</th><th>runs / planned</th><th>median test acc</th><th>outcomes</th><th>odd planes</th><th>replay a run</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function budgetSection(inputs: ReproductionInputs): string {
  const { plan, timing } = inputs;
  const o = plan.options;
  const defaults = plan.settings.filter((s) => s.variation === null);
  const named = defaults.filter((s) => s.named);
  const sweepOnly = defaults.filter((s) => !s.named);
  const runs = defaults.reduce((n, s) => n + s.seeds, 0);
  const varied = plan.settings.filter((s) => s.variation !== null);
  const variedRuns = varied.length
    ? ` Under the ${new Set(varied.map((s) => s.variation)).size} variations, ${varied.reduce((n, s) => n + s.seeds, 0)} runs more (${varied.length} settings, the same seeds each).`
    : '';
  const ran = timing.reduce((n, t) => n + t.ran, 0);
  const seconds = timing.reduce((n, t) => n + t.seconds, 0);
  const perRun = timing.filter((t) => t.secondsPerRun !== null);
  const b = inputs.budget;
  const data =
    o.subset === null
      ? 'full MNIST, the official 60 000 training / 10 000 test images'
      : `a seeded, stratified subset of ${o.subset} images of full MNIST (${Math.round(o.subset * b.subsetTrainFraction)} from the training half, the rest from the test half) — a smoke test, not the report's data`;
  const time = timing.length
    ? `<p>Wall time on this directory: ${(seconds / 60).toFixed(1)} min for ${ran} runs in ${timing.length} invocation${timing.length === 1 ? '' : 's'} (${timing
        .filter((t) => t.ran > 0)
        .map(
          (t) =>
            `${t.ran} runs in ${(t.seconds / 60).toFixed(1)} min on ${t.workers} worker${t.workers === 1 ? '' : 's'}${t.shard ? `, shard ${t.shard}` : ''}`,
        )
        .join('; ')})${
        perRun.length
          ? `; one run took ${(
              perRun.reduce((s, t) => s + t.secondsPerRun! * t.ran, 0) /
                Math.max(
                  1,
                  perRun.reduce((s, t) => s + t.ran, 0),
                )
            ).toFixed(1)} s on average`
          : ''
      }.</p>`
    : '<p>No timing recorded (merged shards keep their own).</p>';
  return `<section id="budget"><h2>Budget and trade-offs</h2>
<p>${named.length} settings of the report with ${o.seeds} seeds each and ${sweepOnly.length} sweep-only amounts with ${Math.max(1, Math.ceil(o.seeds / 2))} each: ${runs} runs of ${o.epochs} epochs on ${esc(data)}; MI with ${esc(inputs.reproduction.estimator)} at init and after every epoch on the test images (the unpruned and 65%-global runs also at ${b.binCounts.slice(1).join(' and ')} bins).${esc(variedRuns)}</p>
${time}
<ul>
<li><b>Epochs.</b> ${o.epochs} (the report and the <code>seed-report</code> preset: ${b.presetEpochs}; the default, ${b.defaults.epochs}, runs the whole reproduction, its sensitivity set included, in under an hour on 2 cores).${o.epochs < b.presetEpochs ? ' Fewer than the report: on full MNIST the unpruned net is within a few tenths of a point of its 20-epoch accuracy after 10, but a late compression phase can be missed.' : ''}</li>
<li><b>MI on the 10 000 test images</b>, not all 70 000 rows: a third of the cost per measurement. The ceiling of I(X;T) is log2 10 000 = 13.29 bits instead of 16.1; the 1024-wide layer tells every image apart either way.</li>
<li><b>Seeds.</b> ${o.seeds} per named setting, ⌈${o.seeds}/2⌉ per sweep-only amount. At n = 8 a Wilson 95% interval spans about ±30 points: a plane that turns up in 1 run of 10 is seen or missed by chance, and verdicts resting on rates are often “partly”. Scale up with <code>--seeds N</code> and shards: <code>infoplane reproduce seed-report --seeds 100 --shard i/20 --out r-i</code> per machine, then <code>infoplane reproduce seed-report --merge r-* --out r</code>.</li>
<li><b>One run per (setting, seed), all estimators at once</b>: the bin counts are compared on the same trained nets, so the difference is the estimator's alone.</li>
</ul></section>`;
}

export function renderReproductionPage(inputs: ReproductionInputs, figures: readonly Figure[]): string {
  const r = inputs.reproduction;
  const smoke = inputs.budget.smoke;
  smokeMark = smoke.length ? '<span class="smoke" title="smoke run: below the default budget">smoke run</span>' : '';
  const claims = describeReproduction(r);
  const v = inputs.variations;
  const described = new Map(v.results.map((a) => [a.name, describeReproduction(a)]));
  const byName = new Map(figures.map((f) => [f.name, f]));
  const summary = claims
    .map((c) => {
      const d = v.dependence.find((x) => x.id === c.id);
      return `<tr><td><a href="#claim-${c.id}">${c.id}</a></td><td>${esc(c.ours)}</td><td>${esc(c.headline)}</td><td>${verdictBadge(c.verdict)}</td><td title="${esc(d ? dependenceReading(d, v.defaultLabel) : '')}">${esc(d ? DEPENDENCE_WORD[d.dependence] : '—')}</td></tr>`;
    })
    .join('\n');
  const placed = new Set([
    ...Object.values(CLAIM_FIGURES).flat(),
    ...v.results.flatMap((a) =>
      Object.values(CLAIM_FIGURES)
        .flat()
        .map((n) => variationFigureName(n, a.name)),
    ),
  ]);
  const unplaced = figures.filter((f) => !placed.has(f.name));
  const ref = r.reference;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infoplane reproduce ${esc(inputs.plan.report)}</title>
<style>
${STYLE}
</style></head><body>
<h1>Reproducing the seed report${smokeMark}</h1>
${incompleteBanner(inputs.incomplete)}
${smoke.length ? `<p class="smoke-banner"><b>Smoke run.</b> Below the default budget (${esc(smokeText(smoke))}): the verdicts below test the machinery, not the report; every badge carries this mark. Rerun without these options for verdicts.</p>` : ''}
<p>“Effect of Pruning on Mutual Information in Deep Neural Networks” (R. Tewary, 2023): a 784-1024-20-20-20-2 tanh net on binary MNIST (parity), pruned at initialization, trained with the masks fixed, watched in the information plane. Each claim below is tested on many seeds per setting and given a verdict computed from the data: <b>reproduced</b> (the measured figure's 95% interval lies where the claim holds), <b>not reproduced</b> (it lies wholly outside), or <b>partly</b> (it straddles the edge — undecided at this many runs — or some parts hold and others do not).</p>
<p class="note">Estimator: ${esc(r.estimator)} binning (30 equal bins over [−1, 1] per tanh unit, [0, 1] for the softmax output), each test image its own x, so I(X;T) = H(T). Unpruned reference plane: ${ref ? `${ref.runs} runs` : 'none yet'}. Produced by <code>infoplane reproduce ${esc(inputs.plan.report)}</code>; every run replays exactly with the command in the settings table.</p>
<section id="verdicts"><h2>Verdicts</h2>
<table class="verdicts"><thead><tr><th>#</th><th>claim (our words)</th><th>measured (95% interval)</th><th>verdict</th><th>under other assumptions</th></tr></thead><tbody>
${summary}
</tbody></table></section>
${claims.map((c) => claimSection(c, byName, v, described)).join('\n')}
${assumptionsSection(inputs)}
${unplaced.length ? `<section id="more-plots"><h2>More plots</h2>${unplaced.map(figureHtml).join('\n')}</section>` : ''}
<section id="settings"><h2>Settings</h2>
<p class="note">Each setting is a trials directory under <code>${esc(inputs.dir)}/${SETTINGS_DIR}/</code> (spec.json, trials.jsonl, curves/): resumable, mergeable and replayable on its own.</p>
${settingsTable(r.settings, inputs.dir)}
</section>
${budgetSection(inputs)}
<section id="definitions"><h2>Thresholds</h2>
<p class="note">Every threshold of every test (src/experiment/reproduce/thresholds.ts, planes.ts); the trials labels (trained, chance, compression, zero-mi) are those of <code>infoplane trials</code>, with the baseline accuracy set to the report's 98%.</p>
<pre>${esc(JSON.stringify(r.thresholds, null, 2))}</pre>
</section>
</body></html>
`;
}
