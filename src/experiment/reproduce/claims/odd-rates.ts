// What claims 3, 5 and 8 share: the rate of odd planes (or of one kind) in a
// setting, the "appears" verdict against the unpruned runs' own rate, and
// the table of per-layer medians beside the unpruned range.
import type { Cell, ClaimContext, ClaimTable } from '../claim.ts';
import type { Verdict } from '../estimates.ts';
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
  const ref = (l: string) => reference.layers[l];
  const rows: Cell[][] = [
    [
      'unpruned median',
      ...layers.map(
        (l): Cell => ({
          pair: [
            { value: ref(l).ixt.median, unit: 'bits' },
            { value: ref(l).ity.median, unit: 'ity' },
          ],
        }),
      ),
    ],
    [
      'unpruned range',
      ...layers.map(
        (l): Cell => ({
          pair: [
            { range: [ref(l).ixt.min, ref(l).ixt.max], unit: 'bits' },
            { range: [ref(l).ity.min, ref(l).ity.max], unit: 'ity' },
          ],
        }),
      ),
    ],
  ];
  for (const setting of settings) {
    const s = ctx.summary(setting);
    if (s)
      rows.push([
        setting.id,
        ...layers.map(
          (l): Cell => ({
            pair: [
              { value: s.layers[l]?.ixt.value, unit: 'bits' },
              { value: s.layers[l]?.ity.value, unit: 'ity' },
            ],
          }),
        ),
      ]);
  }
  return { kind: 'layer-medians', columns: ['setting', ...layers.map((l) => `${l}: I(X;T) / I(T;Y)`)], rows };
}
