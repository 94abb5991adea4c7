// Claim 6: the number of bins barely changes the unpruned information plane.
// Hidden layers only: the 2-unit softmax output's I(X;T) is bounded by the
// bin count itself (at most log2 of the bins² cells its two units can fill),
// so it moves with the bin count by construction; it is shown apart.
import { type Claim, type ClaimPart, type ClaimTable, figure, numbers, ok } from '../claim.ts';
import { atMost, combineVerdicts, medianEstimate } from '../estimates.ts';
import { NAMED, type SettingRef } from '../settings.ts';
import { CLAIM_THRESHOLDS as T } from '../thresholds.ts';
import type { ClaimContext } from '../claim.ts';
import type { TrialRecord } from '../../trials/record.ts';

export interface BinShift {
  ixt: number;
  ity: number;
  worst: { layer: string; estimator: string };
}

const isHidden = (layer: string) => /^h\d+$/.test(layer);

/** Per run: the largest |final(other binning) − final(first binning)| over the chosen layers and the other binnings, of I(X;T) and I(T;Y). */
export function binShifts(record: TrialRecord, first: string, layers: (layer: string) => boolean = isHidden): BinShift | null {
  if (!ok(record) || record.outcome.accuracy === 'diverged' || !record.mi?.[first]) return null;
  const others = Object.keys(record.mi).filter((e) => e !== first);
  if (others.length === 0) return null;
  let ixt = 0;
  let ity = 0;
  let worst = { layer: '', estimator: '' };
  for (const e of others) {
    for (const [layer, tr] of Object.entries(record.mi[first])) {
      const o = record.mi[e][layer];
      if (!o || !layers(layer)) continue;
      const dx = Math.abs(o.finalIxt - tr.finalIxt);
      if (dx > ixt) [ixt, worst] = [dx, { layer, estimator: e }];
      ity = Math.max(ity, Math.abs(o.finalIty - tr.finalIty));
    }
  }
  return { ixt, ity, worst };
}

function binsPart(ctx: ClaimContext, ref: SettingRef, label: string, context: boolean): { part: ClaimPart; table: ClaimTable | null } {
  const { t } = ctx;
  const records = ctx.runs(ref);
  const shifts = records.map((r) => binShifts(r, ctx.estimator)).filter((x) => x !== null);
  const ixt = figure(
    'largest change of a hidden layer’s final I(X;T) across 10/30/100 bins (median over runs)',
    'bits',
    medianEstimate(shifts.map((s) => s.ixt)),
    atMost(t.binsIxtBits, `< ${t.binsIxtBits} bit`),
  );
  const ity = figure(
    'largest change of a hidden layer’s final I(T;Y) across 10/30/100 bins (median over runs)',
    'bits',
    medianEstimate(shifts.map((s) => s.ity)),
    atMost(t.binsItyBits, `< ${t.binsItyBits} bit`),
  );
  const out = records.map((r) => binShifts(r, ctx.estimator, (l) => l === 'out')).filter((x) => x !== null);
  const outFig = figure('the same for the softmax output (context: bounded by the bin count)', 'bits', medianEstimate(out.map((s) => s.ixt)));
  const estimators = [...new Set(records.flatMap((r) => Object.keys(r.mi ?? {})))];
  const layers = [...new Set(records.flatMap((r) => Object.keys(r.mi?.[ctx.estimator] ?? {})))];
  let table: ClaimTable | null = null;
  if (estimators.length > 1) {
    const finals = (e: string, l: string, key: 'finalIxt' | 'finalIty') =>
      numbers(records.map((r) => (ok(r) && r.outcome.accuracy !== 'diverged' ? (r.mi?.[e]?.[l]?.[key] ?? null) : null)));
    table = {
      kind: `bins-${ref.id}`,
      columns: ['binning', ...layers],
      rows: estimators.map((e) => [
        e,
        ...layers.map(
          (l) =>
            ({
              pair: [
                { value: medianEstimate(finals(e, l, 'finalIxt')).value, unit: 'bits' },
                { value: medianEstimate(finals(e, l, 'finalIty')).value, unit: 'ity' },
              ],
            }) as const,
        ),
      ]),
    };
  }
  const part: ClaimPart = { label, verdict: combineVerdicts([ixt.verdict!, ity.verdict!]), figures: [ixt, ity, outFig], ...(context ? { context } : {}) };
  return { part, table };
}

export const bins: Claim = {
  text: {
    id: 6,
    key: 'bins',
    title: 'The number of bins barely changes the unpruned information plane',
    quote: 'in most cases the number of bins did not impact the information plane, especially in the ideal no-pruning case',
    where: '§5.2, Appendix D',
    ours: 'Measuring the same unpruned runs with 10, 30 or 100 bins per unit gives nearly the same information plane.',
    test: `Each unpruned run is measured with fixed:30, fixed:10 and fixed:100 binning at once. Per run, the largest change of any hidden layer’s final I(X;T) between 30 bins and 10 or 100 bins, and the same for I(T;Y). Reproduced when the medians’ 95% intervals lie below ${T.binsIxtBits} bit (I(X;T)) and ${T.binsItyBits} bit (I(T;Y)); not reproduced when both lie wholly above; partly otherwise. The softmax output is shown apart: with 2 units its I(X;T) is bounded by the bin count by construction. The 65%-global runs are measured the same way and shown beside them.`,
  },
  settings: [NAMED.baseline, NAMED.gw65],
  evaluate(ctx) {
    const unpruned = binsPart(ctx, NAMED.baseline, 'unpruned', false);
    const gw = binsPart(ctx, NAMED.gw65, '65% global weights (for context)', true);
    return {
      verdict: unpruned.part.verdict,
      figures: [],
      parts: [unpruned.part, gw.part],
      tables: [unpruned.table, gw.table].filter((x): x is ClaimTable => x !== null),
    };
  },
};
