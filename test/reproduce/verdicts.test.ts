// The reproduction's verdict logic on synthetic trial records: every claim's
// verdict goes both ways (reproduced and not reproduced, and partly where the
// data straddle the threshold), and the statistics under it are checked
// against hand-computed values.
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../../src/experiment/reproduce/claims/index.ts';
import { limitVerdict } from '../../src/experiment/reproduce/claims/global-limits.ts';
import { appearsVerdict } from '../../src/experiment/reproduce/claims/odd-rates.ts';
import { combineVerdicts, medianDifference, medianEstimate, regionVerdict, within } from '../../src/experiment/reproduce/estimates.ts';
import { evaluateReproduction, type Reproduction } from '../../src/experiment/reproduce/evaluate.ts';
import { CLAIM_THRESHOLDS } from '../../src/experiment/reproduce/thresholds.ts';
import { describeClaim } from '../../src/report/claim-sentences.ts';
import { cellText } from '../../src/report/figure-format.ts';
import { limitEstimate, trainabilitySeries } from '../../src/experiment/reproduce/limits.ts';
import { checkPlane, planeReference } from '../../src/experiment/reproduce/planes.ts';
import { proportion } from '../../src/experiment/trials/wilson.ts';
import { pruning, record, runs, world, worldWith } from './synthetic.ts';

const verdictOf = (r: Reproduction, id: number) => r.claims.find((c) => c.id === id)!.verdict;
const words = (r: Reproduction, id: number) => describeClaim(r.claims.find((c) => c.id === id)!, r);

describe('estimates', () => {
  it('gives the median an exact order-statistic interval, and says so when no 95% interval exists', () => {
    // n = 20: [x_6, x_15] covers with P(6 ≤ B ≤ 14) = 0.9586 (B ~ Binomial(20, 1/2)); [x_7, x_14] only 0.8847.
    const e = medianEstimate(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(e.value).toBe(10.5);
    expect(e.interval).toEqual([6, 15]);
    expect(e.coverage).toBeCloseTo(0.9586105, 7);
    // n = 5: even [min, max] covers with only 1 − 2/32 = 93.75%.
    const small = medianEstimate([5, 1, 4, 2, 3]);
    expect(small).toMatchObject({ value: 3, interval: [1, 5], n: 5 });
    expect(small.coverage).toBeCloseTo(0.9375, 12);
    expect(medianEstimate([])).toMatchObject({ value: null, interval: null, n: 0 });
    expect(medianEstimate([Number.NaN, 2])).toMatchObject({ value: 2, n: 1 });
  });

  it('bounds a difference of medians with the 97.5% intervals of each (Bonferroni)', () => {
    const a = Array.from({ length: 20 }, (_, i) => 10 + i);
    const b = Array.from({ length: 20 }, (_, i) => i);
    const d = medianDifference(a, b);
    expect(d.value).toBe(10);
    const [ea, eb] = [medianEstimate(a, 0.975), medianEstimate(b, 0.975)];
    expect(d.interval).toEqual([ea.interval![0] - eb.interval![1], ea.interval![1] - eb.interval![0]]);
    expect(d.coverage!).toBeGreaterThanOrEqual(0.95);
  });

  it('turns an interval against a region into a verdict, and combines parts', () => {
    const region = within(0.97, 0.99, '98% ± 1');
    expect(regionVerdict([0.975, 0.985], region)).toBe('reproduced');
    expect(regionVerdict([0.9, 0.95], region)).toBe('not reproduced');
    expect(regionVerdict([0.96, 0.98], region)).toBe('partly');
    expect(regionVerdict(null, region)).toBe('no data');
    expect(combineVerdicts(['reproduced', 'reproduced', 'no data'])).toBe('reproduced');
    expect(combineVerdicts(['not reproduced', 'not reproduced'])).toBe('not reproduced');
    expect(combineVerdicts(['reproduced', 'not reproduced'])).toBe('partly');
    expect(combineVerdicts(['no data'])).toBe('no data');
    expect(combineVerdicts(['untestable', 'reproduced'])).toBe('reproduced');
    expect(combineVerdicts(['untestable', 'no data'])).toBe('untestable');
  });

  it('says an odd plane appears only when its rate is clearly above 5% and above the unpruned rate', () => {
    const rate = CLAIM_THRESHOLDS.appearsRate;
    expect(appearsVerdict(proportion(8, 8), proportion(0, 8), rate)).toBe('reproduced');
    expect(appearsVerdict(proportion(0, 100), proportion(0, 8), rate)).toBe('not reproduced');
    expect(appearsVerdict(proportion(1, 8), proportion(0, 8), rate)).toBe('partly');
    expect(appearsVerdict(proportion(4, 8), proportion(6, 8), rate)).toBe('partly');
    expect(appearsVerdict(proportion(0, 0), null, rate)).toBe('no data');
  });
});

describe('odd planes', () => {
  // Unpruned h2 ends between 13.0 and 13.4 bits over seeds, I(T;Y) between 0.98 and 1.
  const base = runs(5, (i) => ({ plane: { h2: { ixt: 13.0 + i * 0.1, ity: 0.98 + i * 0.005 } } }));
  const reference = planeReference(base, 'fixed:30')!;

  it('takes the unpruned runs’ range over seeds as the reference and tags each way a run leaves it', () => {
    expect(reference.layers.h2.ixt).toEqual({ median: 13.2, min: 13.0, max: 13.4 });
    expect(checkPlane(record(1, { plane: { h2: { ixt: 13.35, ity: 0.99 } } }), reference)).toMatchObject({ measured: true, tags: [] });
    const low = checkPlane(record(2, { plane: { h2: { ixt: 6, ity: 0.8 } } }), reference);
    expect(low.tags).toEqual(['low-ixt', 'low-ity']);
    expect(low.worst).toMatchObject({ layer: 'h2', quantity: 'ixt' });
    expect(low.worst!.outside).toBeCloseTo(-7, 10);
    // Just outside the range is odd, whatever the distance: the spread, not a fixed offset, decides.
    expect(checkPlane(record(3, { plane: { h2: { ixt: 13.45, ity: 0.99 } } }), reference).tags).toEqual(['high-ixt']);
    expect(checkPlane(record(4, { plane: { out: { ixt: 0.01, ity: 0 } } }), reference).tags).toEqual(['zero-mi', 'low-ixt', 'low-ity']);
    expect(checkPlane(record(5, { status: 'error' }), reference).measured).toBe(false);
  });

  it('checks an unpruned run against the other unpruned runs (leave one out)', () => {
    // Seed 5 holds the top of the range (13.4): against seeds 1–4 (13.0–13.3) it is above.
    expect(checkPlane(base[4], reference, true).tags).toEqual(['high-ixt', 'high-ity']);
    expect(checkPlane(base[2], reference, true).tags).toEqual([]);
    expect(checkPlane(base[4], reference, false).tags).toEqual([]);
  });
});

describe('claim verdicts go both ways', () => {
  it('1: the unpruned accuracy', () => {
    expect(verdictOf(evaluateReproduction(world()), 1)).toBe('reproduced');
    const low = evaluateReproduction(worldWith({ baseline: runs(8, (i) => ({ acc: 0.95 + i * 0.001 })) }));
    expect(verdictOf(low, 1)).toBe('not reproduced');
    expect(words(low, 1).why).toMatch(/95\.\d\d% .*wholly outside 98% ± 1%/);
    expect(verdictOf(evaluateReproduction(worldWith({ baseline: runs(8, (i) => ({ acc: 0.985 + i * 0.002 })) })), 1)).toBe('partly');
  });

  it('2: accuracy kept and MI much lower, per layer', () => {
    const lowMi = (acc: number) => runs(8, () => ({ acc, plane: { h3: { ixt: 5, ity: 0.9 }, h4: { ixt: 4, ity: 0.9 } } }));
    const yes = Object.fromEntries([1, 2, 3, 4, 5].map((l) => [`lw95-L${l}`, lowMi(0.9)]));
    const r = evaluateReproduction(worldWith(yes));
    expect(verdictOf(r, 2)).toBe('reproduced');
    expect(r.claims[1].parts.map((p) => p.verdict)).toEqual(Array(5).fill('reproduced'));
    expect(r.claims[1].parts[0].figures[1].estimate.value).toBeCloseTo((13.2 - 5 + 12.9 - 4) / 5, 10);
    // Chance-level accuracy and an unchanged plane: neither half holds.
    const no = Object.fromEntries([1, 2, 3, 4, 5].map((l) => [`lw95-L${l}`, runs(8, () => ({ acc: 0.5 }))]));
    expect(verdictOf(evaluateReproduction(worldWith(no)), 2)).toBe('not reproduced');
    // Accuracy kept (≥ 98%), MI unchanged: the report's "~90%" and "much lower MI" half-hold; lossless layers noted.
    const half = evaluateReproduction(world());
    expect(verdictOf(half, 2)).toBe('partly');
    expect(words(half, 2).disagreement).toMatch(/costs \(almost\) nothing/);
  });

  it('3: the 90%-layer-2 plane is abnormal', () => {
    const odd = runs(8, () => ({ plane: { h2: { ixt: 7, ity: 0.95 }, h3: { ixt: 7, ity: 0.95 }, h4: { ixt: 7, ity: 0.95 } } }));
    expect(verdictOf(evaluateReproduction(worldWith({ 'ln90-L2': odd })), 3)).toBe('reproduced');
    expect(verdictOf(evaluateReproduction(worldWith({ 'ln90-L2': runs(100) })), 3)).toBe('not reproduced');
    const rare = runs(8, (i) => (i === 0 ? { plane: { h2: { ixt: 7, ity: 0.95 } } } : {}));
    expect(verdictOf(evaluateReproduction(worldWith({ 'ln90-L2': rare })), 3)).toBe('partly');
  });

  it('4: the trainability limits at 65% weights and 40% neurons', () => {
    // 30 seeds per amount; every net trains up to the report's limit and fails above it.
    const limitAt = (limit: number) => (s: { kind: string; amount: number }) =>
      s.kind === 'global-weight' || s.kind === 'global-neuron'
        ? runs(30, () => ({
            acc: s.amount <= (s.kind === 'global-weight' ? limit : 0.4) ? 0.98 : 0.5,
            accuracy: s.amount <= (s.kind === 'global-weight' ? limit : 0.4) ? 'trained' : 'chance',
          }))
        : undefined;
    const yes = evaluateReproduction(world(limitAt(0.65)));
    expect(verdictOf(yes, 4)).toBe('reproduced');
    expect(yes.sweeps[0].limit.value).toBeCloseTo(0.675, 10); // halfway between 0.65 and 0.7
    // Weights train up to 0.85 (this net: collapse only near 0.9): the weight limit is not the report's.
    const no = evaluateReproduction(world(limitAt(0.85)));
    expect(no.claims[3].parts.map((p) => p.verdict)).toEqual(['not reproduced', 'reproduced']);
    expect(verdictOf(no, 4)).toBe('partly');
    expect(words(no, 4).disagreement).toMatch(/global weight pruning: our limit differs/);
    // Runs that fall short of 96% at the next amount without being stuck at chance do not fail in the report's sense.
    const degraded = (s: { kind: string; amount: number }) =>
      s.kind.startsWith('global')
        ? runs(30, () => ({
            acc: s.amount <= (s.kind === 'global-weight' ? 0.65 : 0.4) ? 0.98 : 0.93,
            accuracy: s.amount <= (s.kind === 'global-weight' ? 0.65 : 0.4) ? 'trained' : 'degraded',
          }))
        : undefined;
    const short = evaluateReproduction(world(degraded));
    expect(verdictOf(short, 4)).toBe('not reproduced');
    expect(short.sweeps[0].limit.value).toBeCloseTo(0.675, 10);
    expect(words(short, 4).headline).toMatch(/at 0\.65 0\/30 at chance, 0 degraded/);
    // Neither limit: everything trains over both grids.
    const never = evaluateReproduction(world((s) => (s.kind.startsWith('global') ? runs(30) : undefined)));
    expect(verdictOf(never, 4)).toBe('not reproduced');
    expect(never.sweeps.map((s) => s.limit.beyondGrid)).toEqual(['above', 'above']);
  });

  it('4: a limit holds when runs are clearly not at chance at it and clearly are just above it', () => {
    expect(limitVerdict(proportion(0, 8), proportion(4, 4))).toBe('reproduced');
    expect(limitVerdict(proportion(0, 8), proportion(0, 4))).toBe('not reproduced');
    expect(limitVerdict(proportion(8, 8), proportion(4, 4))).toBe('not reproduced');
    expect(limitVerdict(proportion(0, 8), proportion(3, 4))).toBe('partly');
    expect(limitVerdict(proportion(0, 8), null)).toBe('no data');
  });

  it('4: the 50% fall’s interval follows the Wilson bounds, stopping at the grid’s ends', () => {
    const point = (x: number, trained: number, n: number) => ({
      x,
      cell: String(x),
      records: runs(n, (i) => ({ acc: i < trained ? 0.98 : 0.5, accuracy: i < trained ? 'trained' : 'chance' })),
    });
    const s = trainabilitySeries('w', [point(0, 4, 4), point(0.5, 4, 4), point(0.9, 0, 4)]);
    const e = limitEstimate(s);
    expect(e.value).toBeCloseTo(0.7, 10);
    expect(e.interval![0]).toBeLessThan(0.7);
    expect(e.interval![1]).toBeGreaterThan(0.7);
    // All trained with certainty at 30 seeds: the limit is above the grid.
    const above = limitEstimate(trainabilitySeries('w', [point(0, 30, 30), point(0.5, 30, 30)]));
    expect(above).toMatchObject({ value: null, beyondGrid: 'above', interval: [0.5, 0.5], openEnds: { low: false, high: true } });
    // Few seeds: no bound falls through 50% within the grid and the band is not located, said in words, not as [−∞, ∞].
    const vague = limitEstimate(trainabilitySeries('w', [point(0.5, 2, 3), point(0.9, 1, 3)]));
    expect(vague.openEnds).toEqual({ low: true, high: true });
    expect(vague.interval!.every(Number.isFinite)).toBe(true);
  });

  it('4: says why from the pruning analysis at init', () => {
    const kept = (s: { kind: string; amount: number }) =>
      s.amount >= 0.9 ? [0.1, 0, 0.85, 0.88, 0.85] : [1 - s.amount * 0.95, 1 - s.amount * 1.1, 0.9, 0.9, 0.9];
    const r = evaluateReproduction(
      world((s) =>
        s.kind === 'global-weight'
          ? runs(4, () => ({
              pruning: pruning(kept(s), s.amount >= 0.9),
              acc: s.amount >= 0.9 ? 0.507 : 0.98,
              accuracy: s.amount >= 0.9 ? 'collapse' : 'trained',
            }))
          : undefined,
      ),
    );
    const table = r.claims[3].tables[0];
    expect(table.columns).toEqual(['amount', 'L1', 'L2', 'L3', 'L4', 'L5', 'collapsed', 'trained', 'degraded', 'at chance']);
    expect(table.rows.map((row) => row.map(cellText)).find((row) => row[0] === '0.9')).toEqual([
      '0.9',
      '10.0%',
      '0.0%',
      '85.0%',
      '88.0%',
      '85.0%',
      '4/4',
      '0/4',
      '0/4',
      '4/4',
    ]);
    expect(words(r, 4).disagreement).toMatch(/From 0\.9 layer 2 keeps 0\.0% of its weights: the net collapses .* in 4 of 4 runs/);
  });

  it('5: zero information in the last layer at 40% global neurons', () => {
    const zero = runs(20, (i) => (i % 2 ? { plane: { out: { ixt: 0, ity: 0 } }, acc: 0.95 } : {}));
    const r = evaluateReproduction(worldWith({ gn40: zero }));
    expect(verdictOf(r, 5)).toBe('reproduced');
    expect(r.claims[4].figures[0].estimate.value).toBe(0.5);
    expect(verdictOf(evaluateReproduction(worldWith({ gn40: runs(100) })), 5)).toBe('not reproduced');
    expect(verdictOf(evaluateReproduction(worldWith({ gn40: runs(8) })), 5)).toBe('partly');
  });

  it('6: the bin count barely moves the unpruned plane’s hidden layers; the output is shown apart', () => {
    const same = { 'fixed:10': {}, 'fixed:100': {} };
    const binned = (bins: Record<string, Partial<Record<string, { ixt: number; ity: number }>>>) => runs(8, () => ({ bins }));
    expect(verdictOf(evaluateReproduction(worldWith({ baseline: binned(same) })), 6)).toBe('reproduced');
    const moved = { 'fixed:10': { h4: { ixt: 10.4, ity: 0.7 } }, 'fixed:100': { h4: { ixt: 13.28, ity: 1 } } };
    const r = evaluateReproduction(worldWith({ baseline: binned(moved) }));
    expect(verdictOf(r, 6)).toBe('not reproduced');
    expect(r.claims[5].parts[0].figures[0].estimate.value).toBeCloseTo(2.5, 10);
    // The 2-unit softmax moving with the bin count (it must: its I(X;T) is bounded by the bins) does not decide the verdict.
    const outOnly = evaluateReproduction(
      worldWith({ baseline: binned({ 'fixed:10': { out: { ixt: 0.5, ity: 0.7 } }, 'fixed:100': { out: { ixt: 3.9, ity: 0.95 } } }) }),
    );
    expect(verdictOf(outOnly, 6)).toBe('reproduced');
    expect(outOnly.claims[5].parts[0].figures[2].estimate.value).toBeCloseTo(2.5, 10);
    // Only I(X;T) moves: one half holds.
    expect(verdictOf(evaluateReproduction(worldWith({ baseline: binned({ 'fixed:100': { h4: { ixt: 10.4, ity: 1 } } }) })), 6)).toBe('partly');
  });

  it('7: compression only in very accurate runs', () => {
    // Everything very accurate and compressing at both watched layers.
    const compressing = (acc: number) => () => ({ acc, planes: { h4: 'compression' as const, out: 'compression' as const } });
    expect(verdictOf(evaluateReproduction(world((_s) => runs(8, compressing(0.984)))), 7)).toBe('reproduced');
    // Compression only in the degraded runs.
    const r = evaluateReproduction(world((s) => (s.id === 'baseline' ? runs(8) : runs(8, compressing(0.9)))));
    expect(r.claims[6].parts.map((p) => p.label)).toEqual(['layer h4', 'layer out']);
    expect(verdictOf(r, 7)).toBe('not reproduced');
    // No run compresses at all: the claim is about compressing runs, so it cannot be tested.
    const none = evaluateReproduction(world(() => runs(8, () => ({ planes: { h4: 'no-compression', out: 'no-compression' } }))));
    expect(verdictOf(none, 7)).toBe('untestable');
    expect(words(none, 7).why).toMatch(/no run compresses at h4/);
  });

  it('8: odd planes are infrequent, per setting', () => {
    const oddRuns = (k: number, n: number) => runs(n, (i) => (i < k ? { plane: { h3: { ixt: 5, ity: 0.8 } } } : {}));
    const ids = ['lw95-L1', 'lw95-L2', 'lw95-L3', 'lw95-L4', 'lw95-L5', 'ln90-L2', 'gw65', 'gn40'];
    expect(verdictOf(evaluateReproduction(worldWith(Object.fromEntries(ids.map((id) => [id, oddRuns(1, 30)])))), 8)).toBe('reproduced');
    expect(verdictOf(evaluateReproduction(worldWith(Object.fromEntries(ids.map((id) => [id, oddRuns(30, 30)])))), 8)).toBe('not reproduced');
    const mixed = evaluateReproduction(worldWith({ ...Object.fromEntries(ids.map((id) => [id, oddRuns(1, 30)])), 'ln90-L2': oddRuns(30, 30) }));
    expect(verdictOf(mixed, 8)).toBe('partly');
    expect(mixed.claims[7].tables[0].rows.map((row) => row.map(cellText)).find((r) => r[0] === 'ln90-L2')).toEqual([
      'ln90-L2',
      '30',
      '30/30',
      '100.0%',
      '88.6%–100.0%',
      '0',
      '30',
      '0',
      '30',
      '0',
      'not reproduced',
    ]);
  });

  it('has a text, a test and a verdict for every claim, and no data without runs', () => {
    const empty = evaluateReproduction(world(() => []));
    expect(empty.claims.map((c) => c.id)).toEqual(CLAIMS.map((c) => c.text.id));
    expect(empty.claims.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const c of empty.claims) expect([c.verdict, c.key]).toEqual([c.id === 7 ? 'no data' : c.verdict, c.key]);
    expect(empty.claims.filter((c) => c.verdict !== 'no data').map((c) => c.id)).toEqual([]);
    expect(empty.reference).toBeNull();
  });
});
