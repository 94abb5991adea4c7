// What claims 3, 5 and 8 share: the rate of odd planes (or of one kind) in a
// setting, the "appears" verdict against the unpruned runs' own rate, and
// the table of per-layer medians beside the unpruned range.
import type { ClaimContext, ClaimTable } from '../claim.ts';
import type { Verdict } from '../estimates.ts';
import { formatValue } from '../format.ts';
import type { OddTag } from '../planes.ts';
import type { SettingRef } from '../settings.ts';
import type { SettingSummary } from '../setting-summary.ts';
import { type Proportion, proportion } from '../../trials/wilson.ts';

export function rateCounts(s: SettingSummary | undefined, tag?: OddTag): Proportion {
  if (!s) return proportion(0, 0);
  const measured = s.checks.filter((c) => c.measured);
  return proportion(measured.filter((c) => (tag ? c.tags.includes(tag) : c.tags.length > 0)).length, measured.length);
}

/** Claims 3 and 5: does the odd plane appear, at a rate ≥ appearsRate and above the unpruned runs' rate? */
export function appearsVerdict(p: Proportion, base: Proportion | null, rate: number): Verdict {
  if (p.total === 0) return 'no data';
  const [lo, hi] = p.wilson95;
  const baseKnown = base !== null && base.total > 0;
  if (hi < rate || (baseKnown && hi < base.wilson95[0])) return 'not reproduced';
  if (lo >= rate && (!baseKnown || p.fraction! > base.fraction!)) return 'reproduced';
  return 'partly';
}

/** Per layer: the unpruned range and median, and each setting's medians, of the final I(X;T) / I(T;Y). */
export function layerMedianTable(ctx: ClaimContext, settings: readonly SettingRef[]): ClaimTable | null {
  const reference = ctx.reference;
  if (!reference) return null;
  const layers = Object.keys(reference.layers);
  const bits = (x: number) => formatValue(x, 'bits');
  const rows = [
    ['unpruned median', ...layers.map((l) => `${bits(reference.layers[l].ixt.median)} / ${reference.layers[l].ity.median.toFixed(3)}`)],
    ['unpruned range', ...layers.map((l) => `${bits(reference.layers[l].ixt.min)}–${bits(reference.layers[l].ixt.max)} / ${reference.layers[l].ity.min.toFixed(3)}–${reference.layers[l].ity.max.toFixed(3)}`)],
  ];
  for (const ref of settings) {
    const s = ctx.summary(ref);
    if (s) rows.push([ref.id, ...layers.map((l) => `${formatValue(s.layers[l]?.ixt.value, 'bits')} / ${s.layers[l]?.ity.value?.toFixed(3) ?? '—'}`)]);
  }
  return { kind: 'layer-medians', columns: ['setting', ...layers.map((l) => `${l}: I(X;T) / I(T;Y)`)], rows };
}
