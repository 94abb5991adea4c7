// `infoplane sweep --grid lr=… --grid amount=…`: the chance-frequency heat
// map over the learning rate and the pruned amount, on synthetic journals,
// and sweep.html showing it in headless Chromium without console errors.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/experiment/spec.ts';
import { parseGridArg } from '../../src/experiment/trials/grid.ts';
import type { TrialRecord } from '../../src/experiment/trials/record.ts';
import { planSweep } from '../../src/experiment/trials/sweep.ts';
import { summarizeSweep } from '../../src/experiment/trials/trainability.ts';
import { chanceMapCells, sweepReportFiles } from '../../src/report/trials-sweep-files.ts';
import { haveChromium, openInChromium, warnIfNoChromium } from '../helpers/chromium.ts';

warnIfNoChromium('sweep chance map');

const base = parseSpec({ prune: { steps: [{ mode: 'global-weight', amount: 0.65 }] } });
const grid = [parseGridArg('lr=0.001,0.03,0.05'), parseGridArg('amount=0,0.65')];
const plan = planSweep(base, grid);

/** `stuck` of 8 runs at chance (a constant predictor), the rest trained. */
function runs(specHash: string, stuck: number): TrialRecord[] {
  return Array.from({ length: 8 }, (_, i) => {
    const accuracy = i < stuck ? 'chance' : 'trained';
    return { specHash, seed: i + 1, status: 'ok', outcome: { accuracy, planes: {}, combination: accuracy } };
  });
}
const STUCK: Record<string, number> = {
  'lr=0.001_amount=0': 0,
  'lr=0.001_amount=0.65': 0,
  'lr=0.03_amount=0': 3,
  'lr=0.03_amount=0.65': 1,
  'lr=0.05_amount=0': 6,
  'lr=0.05_amount=0.65': 4,
};
const summary = summarizeSweep(
  plan,
  'B',
  plan.cells.map((c) => runs(c.specHash, STUCK[c.name])),
);
const gridTexts = grid.map((g) => ({ key: g.key, values: g.texts }));

describe('sweep over lr × amount', () => {
  it('plans one cell per (lr, amount) with the rate in its spec, and counts runs at chance per cell with Wilson intervals', () => {
    expect(plan.cells.map((c) => [c.name, c.spec.train.lr, c.spec.prune.steps[0].amount])).toEqual([
      ['lr=0.001_amount=0', 0.001, 0],
      ['lr=0.001_amount=0.65', 0.001, 0.65],
      ['lr=0.03_amount=0', 0.03, 0],
      ['lr=0.03_amount=0.65', 0.03, 0.65],
      ['lr=0.05_amount=0', 0.05, 0],
      ['lr=0.05_amount=0.65', 0.05, 0.65],
    ]);
    const map = chanceMapCells(summary, gridTexts)!;
    expect(map.key).toBe('lr');
    const at = (lr: string, amount: number) => map.cells.find((c) => c.series === lr && c.amount === amount)!;
    expect(at('0.05', 0)).toMatchObject({ panel: 'all', count: 6, total: 8, fraction: 0.75 });
    expect(at('0.03', 0.65)).toMatchObject({ count: 1, total: 8 });
    // Wilson 95% for 6/8: [0.409, 0.929].
    expect(at('0.05', 0).lo).toBeCloseTo(0.409, 3);
    expect(at('0.05', 0).hi).toBeCloseTo(0.929, 3);
    expect(
      chanceMapCells(summarizeSweep(planSweep(base, [parseGridArg('amount=0,0.65')]), 'B', [[], []]), [{ key: 'amount', values: ['0', '0.65'] }]),
    ).toBeNull();
  });

  it.skipIf(!haveChromium)(
    'draws the chance-frequency heat map on sweep.html, one cell per grid cell, without console errors',
    async () => {
      const files = await sweepReportFiles(summary, {}, gridTexts, []);
      expect(Object.keys(files)).toContain('plots/chance-map.svg');
      const dir = mkdtempSync(join(tmpdir(), 'infoplane-chance-map-'));
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      const { errors, seen } = await openInChromium(join(dir, 'sweep.html'), (page) =>
        page.evaluate(() => {
          const fig = [...document.querySelectorAll('figure')].find((f) => f.textContent?.includes('Where training fails'));
          const svg = fig?.querySelector('svg');
          const texts = [...(svg?.querySelectorAll('text') ?? [])].map((t) => t.textContent ?? '');
          return {
            found: Boolean(fig),
            width: svg?.getBoundingClientRect().width ?? 0,
            counts: texts.filter((t) => /^\d+\/8$/.test(t)).sort(),
            bands: texts.filter((t) => /^\d+%–\d+%$/.test(t)).length,
          };
        }),
      );
      expect(errors).toEqual([]);
      expect(seen.found).toBe(true);
      expect(seen.width).toBeGreaterThan(150);
      expect(seen.counts).toEqual(['0/8', '0/8', '1/8', '3/8', '4/8', '6/8']);
      expect(seen.bands).toBe(6);
    },
    60_000,
  );
});
