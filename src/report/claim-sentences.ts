// The reproduction's wording: per claim, from its findings (figures,
// verdicts, tables of numbers) and the reproduction's data, the headline of
// the verdict table, why the verdict is what it is, a note per part, where
// we disagree with the report, and table captions. Thresholds come in the
// data (reproduction.thresholds); nothing here decides a verdict.
import type { ClaimEvaluation, Reproduction, SettingSummary, SweepResult } from '../experiment/reproduce/evaluate.ts';
import type { ClaimPart, ClaimTable, MeasuredFigure } from '../experiment/reproduce/claim.ts';
import type { Region, Verdict } from '../experiment/reproduce/estimates.ts';
import { formatEstimate, formatInterval, formatValue, percentText } from './figure-format.ts';
import type { LimitEstimate, PruningAtInit } from '../experiment/reproduce/limits.ts';
import type { PlaneCheck } from '../experiment/reproduce/planes.ts';

export interface ClaimWords {
  headline: string;
  why: string;
  /** One per part, same order ('' for none). */
  notes: string[];
  disagreement?: string;
  /** One per table, same order. */
  captions: string[];
}

export type ClaimResult = ClaimEvaluation & ClaimWords;

const verdictWord = (v: Verdict, region: Region) =>
  v === 'reproduced'
    ? `inside ${region.text}`
    : v === 'not reproduced'
      ? `wholly outside ${region.text}`
      : v === 'partly'
        ? `straddling ${region.text}`
        : 'no data';

const summaryOf = (r: Reproduction, id: string) => r.settings.find((s) => s.id === id);

/** What a plane never seen rules out. */
function unseen(p: { count: number; total: number; interval: [number, number] | null }): string {
  return p.count === 0 && p.total > 0 && p.interval
    ? ` Not seen in ${p.total} runs: if it occurs, then in fewer than ${formatValue(p.interval[1], 'fraction')} of runs (Wilson upper bound); more seeds narrow this.`
    : '';
}

function tagText(s: SettingSummary): string {
  const parts = Object.entries(s.tags)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** "h3 I(X;T) 4.21 bits below the unpruned range", or why a plane is odd. */
export function checkText(c: PlaneCheck): string {
  if (!c.measured) return 'not measured';
  const worst = c.worst
    ? `${c.worst.layer} ${c.worst.quantity === 'ixt' ? 'I(X;T)' : 'I(T;Y)'} ${Math.abs(c.worst.outside).toFixed(2)} bits ${c.worst.outside < 0 ? 'below' : 'above'} the unpruned range`
    : 'every layer ends inside the unpruned range';
  return c.zeroAt.length ? `zero I(X;T) at ${c.zeroAt.join(', ')}; ${worst}` : worst;
}

const countOf = (f: MeasuredFigure) => ({ count: Math.round((f.estimate.value ?? 0) * f.estimate.n), total: f.estimate.n, interval: f.estimate.interval });
const rateText = (f: MeasuredFigure) => `${countOf(f).count}/${f.estimate.n}`;

/** "0.72 [0.66, 0.8]", "above 0.95 (every amount tried trains)", with open band ends said in words. */
export function limitText(sw: SweepResult): string {
  const l: LimitEstimate = sw.limit;
  const pts = sw.series.points;
  if (pts.length === 0 || !l.interval) return 'no runs';
  const [first, last] = [formatValue(pts[0].x, 'amount'), formatValue(pts[pts.length - 1].x, 'amount')];
  const at =
    l.value !== null
      ? formatValue(l.value, 'amount')
      : l.beyondGrid === 'above'
        ? `above ${last} (every amount tried trains)`
        : `below ${first} (the first amount tried already fails)`;
  const [lo, hi] = [formatValue(l.interval[0], 'amount'), formatValue(l.interval[1], 'amount')];
  const band =
    l.openEnds.low && l.openEnds.high
      ? `band not located within ${first}–${last} at this many seeds`
      : l.openEnds.high
        ? `band from ${lo} to beyond ${last}`
        : l.openEnds.low
          ? `band from below ${first} to ${hi}`
          : `band ${lo} … ${hi}`;
  const falls =
    sw.series.threshold50.crossings.length > 1
      ? `; the curve falls through 50% ${sw.series.threshold50.crossings.length} times (${sw.series.threshold50.crossings.map((x) => formatValue(x, 'amount')).join(', ')}): not monotone`
      : '';
  return `${at} (${band})${falls}`;
}

function sweepWhy(sw: SweepResult): string {
  const at = sw.series.points.find((p) => Math.abs(p.x - sw.reportLimit) < 1e-9);
  const atText = at
    ? `; at the report’s ${formatValue(sw.reportLimit, 'amount')}, of ${at.runs} runs ${at.trained.count} train, ${at.degraded.count} are degraded and ${at.chance.count} are at chance level${at.errors ? ` (${at.errors} failed with an error, left out)` : ''}`
    : '';
  return `${sw.label}: the trained fraction falls through 50% at ${limitText(sw)}${atText}`;
}

function keptList(p: PruningAtInit, what: 'keptFraction' | 'aliveFraction'): string {
  return p.layers.map((l) => `L${l.layer} ${(l[what] * 100).toFixed(1)}%`).join(', ');
}

function sweepDisagreement(sw: SweepResult, part: ClaimPart | undefined): string | undefined {
  if (!part || part.verdict === 'reproduced' || part.verdict === 'no data') return undefined;
  const what = sw.kind === 'global-weight' ? 'keptFraction' : 'aliveFraction';
  const noun = sw.kind === 'global-weight' ? 'weights kept' : 'neurons alive';
  const atLimit = sw.atInit.find((p) => p.x === sw.reportLimit);
  const collapseFrom = sw.atInit.find((p) => p.collapse.total > 0 && p.collapse.count * 2 >= p.collapse.total);
  const parts: string[] = [];
  if (atLimit) {
    const tp = sw.series.points.find((p) => p.x === sw.reportLimit);
    parts.push(
      `At the report’s ${formatValue(sw.reportLimit, 'amount')} the masks at init leave (${noun}, median over seeds) ${keptList(atLimit, what)}${atLimit.collapse.count ? `; ${atLimit.collapse.count} of ${atLimit.collapse.total} nets collapse` : ': every layer stays connected'}${tp ? `, and ${tp.chance.count} of ${tp.runs} runs end at chance level` : ''}.`,
    );
  }
  if (collapseFrom) {
    const emptiest = [...collapseFrom.layers].sort((a, b) => a[what] - b[what])[0];
    parts.push(
      `From ${formatValue(collapseFrom.x, 'amount')} layer ${emptiest.layer} keeps ${(emptiest[what] * 100).toFixed(1)}% of its ${sw.kind === 'global-weight' ? 'weights' : 'neurons'}: the net collapses (no input→output path) in ${collapseFrom.collapse.count} of ${collapseFrom.collapse.total} runs and predicts the majority class.`,
    );
  } else if (sw.atInit.length) {
    parts.push('No amount of this sweep collapses the net at init.');
  }
  if (sw.kind === 'global-weight') {
    parts.push(
      'Why: global L1 ranks |w| across all layers, and PyTorch’s init draws layer weights from U(±1/√fan_in), so the 1024→20 layer (|w| ≤ 1/32) holds smaller weights than the 784→1024 layer (≤ 1/28) and the 20→20 layers (≤ 0.22): it empties first, and only near 90% — the report’s 65% leaves every layer connected.',
    );
  } else {
    const last = sw.atInit[sw.atInit.length - 1];
    const least = last ? [...last.layers.slice(0, -1)].sort((a, b) => a.aliveFraction - b.aliveFraction)[0] : undefined;
    parts.push(
      `Why: global neuron pruning (no torch equivalent) ranks hidden neurons across layers by the L2 norm of their incoming weights; with PyTorch’s init the row norms of every layer centre on 1/√3 (fan_in · (1/√fan_in)² / 3), so the pruned neurons spread over all layers and each keeps some${least ? ` — even at ${formatValue(last!.x, 'amount')} the emptiest hidden layer, L${least.layer}, keeps ${(least.aliveFraction * 100).toFixed(0)}% of its neurons` : ''}. A layer of 20 tanh units with a few alive still carries the parity bit.`,
    );
  }
  const lead =
    part.verdict === 'not reproduced'
      ? `our limit differs from the report’s ${formatValue(sw.reportLimit, 'amount')}.`
      : `these runs cannot tell whether nets get stuck at chance just above the report’s ${formatValue(sw.reportLimit, 'amount')}.`;
  return `${sw.label}: ${lead} ${parts.join(' ')}`;
}

const LAYER_MEDIANS = 'Median final I(X;T) / I(T;Y) per layer (fixed:30 bins), with the unpruned runs’ median and range over seeds';

function words(c: ClaimEvaluation, r: Reproduction): Omit<ClaimWords, 'captions'> & { captions?: string[] } {
  const t = r.thresholds;
  switch (c.key) {
    case 'baseline-accuracy': {
      const acc = c.figures[0];
      const why =
        acc.estimate.value === null
          ? 'No unpruned run has finished.'
          : `The unpruned runs end at ${formatEstimate(acc.estimate, 'accuracy')}: ${verdictWord(acc.verdict!, acc.region!)}.`;
      return {
        headline: `median final test accuracy ${formatValue(acc.estimate.value, 'accuracy')} ${formatInterval(acc.estimate.interval, 'accuracy')}`,
        why,
        notes: [],
      };
    }
    case 'layer-weight-pruning': {
      const held = (i: number) => c.parts.filter((p) => p.figures[i].verdict === 'reproduced').map((p) => p.label.match(/layer (\d)/)![1]);
      const [accHeld, miHeld] = [held(0), held(1)];
      const layersText = (ls: string[]) => (ls.length === 0 ? 'no layer' : `layer${ls.length === 1 ? '' : 's'} ${ls.join(', ')}`);
      const reference = r.reference;
      const notes = c.parts.map((p) => {
        const id = p.label.match(/\((.+)\)/)?.[1] ?? '';
        const s = summaryOf(r, id);
        if (!s || !reference) return '';
        const most = Object.entries(s.layers)
          .filter(([l]) => reference.layers[l])
          .map(([l, e]) => ({ l, d: (e.ixt.value ?? Number.NaN) - reference.layers[l].ixt.median }))
          .filter((x) => Number.isFinite(x.d))
          .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0];
        return most ? `largest change: ${most.l} ends at ${most.d >= 0 ? '+' : '−'}${Math.abs(most.d).toFixed(2)} bits I(X;T) against the unpruned median` : '';
      });
      const lossless = c.parts
        .map((p, i) => ({ layer: i + 1, acc: p.figures[0].estimate.value }))
        .filter((p) => p.acc !== null && p.acc >= t.accuracyTarget - t.accuracyTolerance);
      return {
        headline: `accuracy ≥ ${percentText(t.keptAccuracy)}: ${accHeld.length} of 5 layers; mean I(X;T) ≥ ${t.muchLowerBits} bit lower: ${miHeld.length} of 5`,
        why: `Accuracy stays ≥ ${percentText(t.keptAccuracy)} when pruning ${layersText(accHeld)}; the plane’s mean final I(X;T) ends ≥ ${t.muchLowerBits} bit below the unpruned net’s when pruning ${layersText(miHeld)} (of layers 1–5).`,
        notes,
        ...(lossless.length
          ? {
              disagreement: `The report saw accuracy drop to ~90%; here 95% pruning of layer${lossless.length === 1 ? '' : 's'} ${lossless.map((p) => p.layer).join(', ')} costs (almost) nothing: median ${lossless.map((p) => formatValue(p.acc, 'accuracy')).join(', ')}, within a point of the unpruned net.`,
            }
          : {}),
        captions: ['Median final I(X;T) per layer (fixed:30 bins) and median final test accuracy'],
      };
    }
    case 'layer-neuron-pruning': {
      const [fig, baseFig] = c.figures;
      const s = summaryOf(r, 'ln90-L2');
      const typical = s?.checks.filter((x) => x.tags.length > 0).map(checkText) ?? [];
      const why =
        fig.estimate.n === 0
          ? 'No 90%-layer-2 run has MI measured.'
          : `${rateText(fig)} runs end with an odd plane (${formatValue(fig.estimate.value, 'fraction')}; unpruned, each against the others: ${rateText(baseFig)}); kinds: ${s ? tagText(s) : '—'}.${typical.length ? ` E.g. ${typical[0]}.` : ''}${unseen(countOf(fig))}`;
      return {
        headline: `odd planes ${rateText(fig)} ${formatInterval(fig.estimate.interval, 'fraction')} (unpruned ${rateText(baseFig)})`,
        why,
        notes: [],
        captions: [LAYER_MEDIANS],
      };
    }
    case 'global-limits': {
      const disagreement =
        r.sweeps
          .map((sw, i) => sweepDisagreement(sw, c.parts[i]))
          .filter(Boolean)
          .join('\n\n') || undefined;
      const headline = r.sweeps
        .map((sw) => {
          const at = sw.series.points.find((p) => Math.abs(p.x - sw.reportLimit) < 1e-9);
          return `${sw.kind === 'global-weight' ? 'weights' : 'neurons'}: at ${formatValue(sw.reportLimit, 'amount')} ${at ? `${at.chance.count}/${at.runs} at chance, ${at.degraded.count} degraded` : 'no runs'}; 50% train until ${limitText(sw)}`;
        })
        .join('; ');
      return {
        headline,
        why: r.sweeps.map(sweepWhy).join('. ') + '.',
        notes: c.parts.map((_, i) => (r.sweeps[i] ? sweepWhy(r.sweeps[i]) : '')),
        ...(disagreement ? { disagreement } : {}),
        captions: c.tables.map((tb) =>
          tb.kind.endsWith('global-weight')
            ? 'global weight pruning: weights kept per layer at init (pruning analysis, median over seeds), nets collapsed, and runs that train, are degraded or end at chance'
            : 'global neuron pruning: neurons alive per layer at init (pruning analysis, median over seeds), nets collapsed, and runs that train, are degraded or end at chance',
        ),
      };
    }
    case 'zero-mi-last-layer': {
      const [rate, base] = c.figures;
      const s = summaryOf(r, 'gn40');
      const last = s?.lastLayers ?? [];
      const medians = last.map((l) => `${l} ${formatValue(s!.layers[l].ixt.value, 'bits')}`).join(', ');
      const why =
        rate.estimate.n === 0
          ? 'No 40%-global-neuron run has MI measured.'
          : `${rateText(rate)} runs end with I(X;T) < ${t.plane.zeroMiBits} bit at ${last.join(' or ')} (unpruned: ${rateText(base)}); median final I(X;T): ${medians}.${unseen(countOf(rate))}`;
      return {
        headline: `zero I(X;T) in the last layer: ${rateText(rate)} ${formatInterval(rate.estimate.interval, 'fraction')} (unpruned ${rateText(base)})`,
        why,
        notes: [],
        captions: [LAYER_MEDIANS],
      };
    }
    case 'bins': {
      const [fx, fy, out] = c.parts[0]?.figures ?? [];
      const why =
        !fx || fx.estimate.value === null
          ? 'No unpruned run was measured at several bin counts.'
          : `Across bin counts a hidden layer’s final I(X;T) moves by ${formatEstimate(fx.estimate, 'bits')} (${verdictWord(fx.verdict!, fx.region!)}) and I(T;Y) by ${formatEstimate(fy.estimate, 'bits')} (${verdictWord(fy.verdict!, fy.region!)}); the softmax output, shown apart, moves by ${formatValue(out.estimate.value, 'bits')}.`;
      const ceiling = r.reference ? Math.max(...Object.values(r.reference.layers).map((l) => l.ixt.max)) : null;
      const disagreement =
        c.verdict !== 'reproduced' && fx && fx.estimate.value !== null
          ? `The bin count matters wherever a layer does not already tell every sample apart. Layers that separate all the images MI is measured on sit at the ceiling${ceiling ? ` (here up to ${ceiling.toFixed(2)} bits)` : ''} at any bin count; the narrow layers do not, and move most. This is a known pitfall of the binning estimator: the plane depends on the bin count and range.`
          : undefined;
      return {
        headline: fx
          ? `largest shift of a hidden layer: I(X;T) ${formatValue(fx.estimate.value, 'bits')} ${formatInterval(fx.estimate.interval, 'bits')}, I(T;Y) ${formatValue(fy.estimate.value, 'bits')}`
          : 'no data',
        why,
        notes: c.parts.map(() => ''),
        ...(disagreement ? { disagreement } : {}),
        captions: c.tables.map((tb) => `${tb.kind.replace(/^bins-/, '')}: median final I(X;T) / I(T;Y) per layer at each bin count`),
      };
    }
    case 'compression-accuracy': {
      const notes = c.parts.map((p) => {
        const [frac] = p.figures;
        const layer = p.label.replace('layer ', '');
        return p.verdict === 'untestable'
          ? `no run compresses at ${layer}: the claim cannot be tested there`
          : `${frac.estimate.n} runs compress at ${layer}; ${rateText(frac).split('/')[0]} of them are very accurate`;
      });
      const why =
        c.verdict === 'no data'
          ? 'No run has finished.'
          : `${notes.join('; ')} (very high accuracy: ≥ ${formatValue(r.veryHighAccuracy, 'accuracy')}, the unpruned median − ${percentText(t.veryHighMargin)}; compression: a fall that holds over the last three measured epochs).`;
      const headline = c.parts
        .map(
          (p) =>
            `${p.label.replace('layer ', '')}: ${p.verdict === 'untestable' ? 'no run compresses (untestable)' : `${formatValue(p.figures[0].estimate.value, 'fraction')} ${formatInterval(p.figures[0].estimate.interval, 'fraction')} of compressing runs very accurate`}`,
        )
        .join('; ');
      return { headline, why, notes };
    }
    case 'infrequent': {
      const by = (v: Verdict) => c.parts.filter((p) => p.verdict === v).map((p) => p.label.split(':')[0]);
      return {
        headline: `infrequent in ${by('reproduced').length}, frequent in ${by('not reproduced').length}, undecided in ${by('partly').length} of ${c.parts.length} settings`,
        why: `Infrequent (Wilson upper bound ≤ ${percentText(t.infrequentRate)}) in ${by('reproduced').join(', ') || 'no setting'}; frequent (lower bound > ${percentText(t.infrequentRate)}) in ${by('not reproduced').join(', ') || 'no setting'}; undecided in ${by('partly').join(', ') || 'no setting'}.`,
        notes: c.parts.map((p) => {
          const s = summaryOf(r, p.label.split(':')[0]);
          return s ? `kinds: ${tagText(s)}` : '';
        }),
        captions: ['Odd planes per setting (outside the unpruned range over seeds): count, rate and Wilson 95% interval, and how many runs show each kind'],
      };
    }
  }
}

export function describeClaim(c: ClaimEvaluation, r: Reproduction): ClaimResult {
  const w = words(c, r);
  const captions = c.tables.map((tb: ClaimTable, i) => w.captions?.[i] ?? tb.kind);
  return { ...c, ...w, captions };
}

export function describeReproduction(r: Reproduction): ClaimResult[] {
  return r.claims.map((c) => describeClaim(c, r));
}
