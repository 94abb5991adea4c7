// Summaries, curves kept, grids and trainability on synthetic records: pure
// functions, no training.
import { describe, expect, it } from 'vitest';
import { parseSpec, specHash } from '../../src/experiment/spec.ts';
import { CurveKeeper } from '../../src/experiment/trials/keep-curves.ts';
import { cellDocument, checkGrid, gridCells, parseGridArg } from '../../src/experiment/trials/grid.ts';
import { errorRecord, type TrialRecord } from '../../src/experiment/trials/record.ts';
import { planSweep, sweepJobs } from '../../src/experiment/trials/sweep.ts';
import { quantile } from '../../src/experiment/trials/stats.ts';
import { summarizeTrials } from '../../src/experiment/trials/summary.ts';
import { DEFAULT_THRESHOLDS } from '../../src/experiment/trials/thresholds.ts';
import { crossing, fallingCrossings, summarizeSweep, trainabilityPoint } from '../../src/experiment/trials/trainability.ts';
import { wilsonInterval } from '../../src/experiment/trials/wilson.ts';

function rec(seed: number, accuracy: 'trained' | 'degraded' | 'chance' | 'collapse', h: string, accs: number[], ixt: number[], specHash = 'H'): TrialRecord {
  const planes = { h2: h as 'compression', out: 'no-compression' as const };
  return {
    specHash,
    seed,
    status: 'ok',
    outcome: { accuracy, planes, combination: `${accuracy} h2:${h} out:no-compression` },
    curve: { testAcc: accs, estimator: 'fixed:30', miEpochs: ixt.map((_, e) => e), ixt: { h2: ixt }, ity: { h2: ixt.map((x) => x / 10) } },
  };
}

const records = [
  rec(5, 'trained', 'compression', [0.9, 0.95], [8, 10, 9]),
  rec(1, 'trained', 'compression', [0.8, 0.97], [8, 12, 11]),
  rec(3, 'trained', 'no-compression', [0.7, 0.96], [8, 9, 10]),
  rec(2, 'chance', 'zero-mi', [0.5, 0.5], [1, 0.5, 0]),
  errorRecord('H', 4, 'boom'),
];

describe('trials summary', () => {
  const s = summarizeTrials('H', records, DEFAULT_THRESHOLDS, ['h2', 'out']);

  it('counts every outcome with its fraction, Wilson interval and seeds (sorted)', () => {
    const find = (kind: string, label: string) => s.outcomes.find((o) => o.kind === kind && o.label === label)!;
    expect([s.runs, s.errors]).toEqual([5, 1]);
    expect(find('accuracy', 'trained')).toMatchObject({ count: 3, total: 5, fraction: 0.6, seeds: [1, 3, 5], wilson95: wilsonInterval(3, 5) });
    expect(find('accuracy', 'error')).toMatchObject({ count: 1, seeds: [4] });
    expect(find('accuracy', 'diverged')).toMatchObject({ count: 0, fraction: 0, seeds: [], wilson95: wilsonInterval(0, 5) });
    // Plane labels are over the runs that finished.
    expect(find('plane:h2', 'compression')).toMatchObject({ count: 2, total: 4, seeds: [1, 5] });
    expect(s.combinations.map((c) => [c.label, c.count])).toEqual([
      ['trained h2:compression out:no-compression', 2],
      ['chance h2:zero-mi out:no-compression', 1],
      ['error', 1],
      ['trained h2:no-compression out:no-compression', 1],
    ]);
    expect(s.replay).toBe('infoplane run --spec <dir>/spec.json --seed <seed>');
  });

  it('gives median and IQR trajectories per outcome (type-7 quantiles)', () => {
    const trained = s.trajectories.accuracy.trained;
    expect(trained.runs).toBe(3);
    expect(trained.testAcc.map((b) => b.epoch)).toEqual([1, 2]);
    expect(trained.testAcc[1]).toEqual({ epoch: 2, n: 3, median: 0.96, q1: 0.955, q3: 0.965 });
    expect(trained.layers.h2.map((p) => p.ixt.median)).toEqual([8, 10, 10]);
    expect(trained.layers.h2[1].ity.q3).toBeCloseTo(1.1, 12);
    expect(Object.keys(s.trajectories.accuracy).sort()).toEqual(['chance', 'trained']);
    expect(s.trajectories.combination['chance h2:zero-mi out:no-compression'].runs).toBe(1);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
  });

  it('does not depend on the order of the lines, and ignores other specs’ lines', () => {
    const shuffled = [records[3], records[0], rec(9, 'trained', 'compression', [1, 1], [1, 1, 1], 'OTHER'), records[4], records[2], records[1]];
    expect(JSON.stringify(summarizeTrials('H', shuffled, DEFAULT_THRESHOLDS, ['h2', 'out']))).toBe(JSON.stringify(s));
  });
});

describe('curves kept', () => {
  it('rare: every non-trained run, and a trained combination while below 10% of max(runs, 20)', () => {
    const keeper = new CurveKeeper('rare', 0.1);
    const kept = records.map((r) => keeper.observe(r));
    // trained/compression first seen: kept (1 < 2); again: not (2 < 2 is false); new trained combination: kept; chance: kept; error: no curves.
    expect(kept).toEqual([true, false, true, true, false]);
    expect(records.map((r) => new CurveKeeper('all', 0.1).observe(r))).toEqual([true, true, true, true, false]);
    expect(records.map((r) => new CurveKeeper('none', 0.1).observe(r))).toEqual([false, false, false, false, false]);
  });
});

describe('sweep grid', () => {
  it('expands ranges without float noise, lists, and +-joined list values', () => {
    expect(parseGridArg('amount=0.3:0.95:0.05').texts).toEqual([
      '0.3',
      '0.35',
      '0.4',
      '0.45',
      '0.5',
      '0.55',
      '0.6',
      '0.65',
      '0.7',
      '0.75',
      '0.8',
      '0.85',
      '0.9',
      '0.95',
    ]);
    expect(parseGridArg('prune=global-weight,global-neuron').values).toEqual(['global-weight', 'global-neuron']);
    expect(parseGridArg('layers=1+3,2').values).toEqual([[1, 3], [2]]);
    expect(parseGridArg('hidden=64x32,16+8').values).toEqual([
      [64, 32],
      [16, 8],
    ]);
    expect(parseGridArg('epochs=2:6:2').values).toEqual([2, 4, 6]);
    expect(parseGridArg('lr=1e-3,1e-2').values).toEqual([0.001, 0.01]);
  });

  it.each([
    ['speed=1,2', /unknown key "speed"/],
    ['amount', /expected key=values/],
    ['amount=', /amount: no values/],
    ['amount=0.9:0.3:0.1', /runs backwards/],
    ['amount=0.3:0.9:0', /step .* must be > 0/],
    ['prune=a:b:c', /ranges lo:hi:step are for numeric keys/],
    ['amount=0.5,abc', /"abc" is not a number/],
    ['amount=0.5,0.5', /0\.5 appears twice/],
    ['layers=1.5', /not a list of integers/],
  ])('rejects --grid %j naming the key', (text, message) => {
    expect(() => parseGridArg(text)).toThrow(message);
  });

  it('maps each key onto the spec, cell by cell, first --grid slowest', () => {
    const base = parseSpec({ mi: { binning: ['fixed:30:-1:1'] } });
    const axes = [
      'prune=global-weight,layer-weight',
      'amount=0.3,0.6',
      'layers=1+2',
      'epochs=3',
      'lr=0.01',
      'hidden=32x16x8',
      'bins=10',
      'activation=relu',
      'task=lt5',
      'batch-size=64',
      'optimizer=sgd',
    ].map(parseGridArg);
    const cells = gridCells(axes);
    expect(cells.map((c) => c.name.split('_').slice(0, 2).join('_'))).toEqual([
      'prune=global-weight_amount=0.3',
      'prune=global-weight_amount=0.6',
      'prune=layer-weight_amount=0.3',
      'prune=layer-weight_amount=0.6',
    ]);
    const { seed: _s, ...doc } = base;
    const spec = parseSpec(cellDocument(doc, cells[3]));
    expect(spec.prune.steps).toEqual([{ mode: 'layer-weight', amount: 0.6, layers: [1, 2] }]);
    expect([spec.train.epochs, spec.train.lr, spec.train.batchSize, spec.train.optimizer]).toEqual([3, 0.01, 64, 'sgd']);
    expect([spec.net.hidden, spec.net.activation, spec.mi.binning, spec.data.task]).toEqual([[32, 16, 8], 'relu', ['fixed:10:-1:1'], 'lt5']);
  });

  it('refuses amount without a prune step, and names the cell of an invalid spec', () => {
    expect(() => planSweep(parseSpec({}), [parseGridArg('amount=0.5')])).toThrow(/--grid amount: the spec has no prune step/);
    expect(() => planSweep(parseSpec({}), [parseGridArg('prune=global-weight'), parseGridArg('amount=0.5,1.5')])).toThrow(
      /grid cell prune=global-weight_amount=1\.5: .*amount/,
    );
  });

  it("compression c sets every step's amount to 1 − 10^−c; score, rounds and ablate (none = plain) set the step", () => {
    const base = parseSpec({ prune: { steps: [{ mode: 'global-weight', amount: 0 }] } });
    const plan = planSweep(base, ['score=snip,synflow', 'compression=0,1,2.5', 'ablate=none,shuffle', 'rounds=3'].map(parseGridArg));
    const step = (name: string) => plan.cells.find((c) => c.name === name)!.spec.prune.steps[0];
    expect(step('score=snip_compression=0_ablate=none_rounds=3')).toEqual({ mode: 'global-weight', amount: 0, score: 'snip', rounds: 3 });
    expect(step('score=synflow_compression=2.5_ablate=shuffle_rounds=3')).toEqual({
      mode: 'global-weight',
      amount: 1 - 10 ** -2.5,
      score: 'synflow',
      rounds: 3,
      ablate: 'shuffle',
    });
    expect(step('score=snip_compression=1_ablate=none_rounds=3').amount).toBeCloseTo(0.9, 15);
    expect(() => checkGrid(['amount=0.5', 'compression=1'].map(parseGridArg))).toThrow(/amount and compression both set the pruned fraction/);
    expect(() => planSweep(base, [parseGridArg('score=taylor')])).toThrow(/grid cell score=taylor: .*score/);
  });

  it('a spec that spells out the scoring defaults keeps its hash', () => {
    const plain = parseSpec({ prune: { steps: [{ mode: 'global-weight', amount: 0.9 }] } });
    const spelled = parseSpec({
      prune: { steps: [{ mode: 'global-weight', amount: 0.9, score: 'magnitude', rounds: 1, schedule: 'exponential', scoreBatches: 1 }] },
    });
    expect(specHash(spelled)).toBe(specHash(plain));
    expect(specHash(parseSpec({ prune: { steps: [{ mode: 'global-weight', amount: 0.9, score: 'synflow', rounds: 100 }] } }))).toBe(
      specHash(parseSpec({ prune: { steps: [{ mode: 'global-weight', amount: 0.9, score: 'synflow' }] } })),
    );
    expect(specHash(parseSpec({ prune: { steps: [{ mode: 'global-weight', amount: 0.9, score: 'snip' }] } }))).not.toBe(specHash(plain));
  });

  it('shards (cell, seed) pairs cell-major by position mod N', () => {
    const plan = planSweep(parseSpec({}), [parseGridArg('prune=global-weight'), parseGridArg('amount=0.3,0.6')]);
    const jobs = [0, 1, 2].map((index) => sweepJobs(plan, [1, 2, 3], { index, count: 3 }));
    expect(jobs[0]).toEqual([
      { target: 0, seed: 1 },
      { target: 1, seed: 1 },
    ]);
    expect(jobs.flat()).toHaveLength(6);
  });
});

describe('trainability', () => {
  it('finds where a falling curve crosses 50% by linear interpolation between grid points', () => {
    expect(crossing([0.3, 0.5, 0.7], [1, 0.8, 0.2])).toBeCloseTo(0.6, 12);
    expect(crossing([0.3, 0.5], [0.9, 0.6])).toBeNull();
    // Reaching exactly 50% is not yet below it; falling from exactly 50% is a crossing there.
    expect(crossing([0.3, 0.5], [0.9, 0.5])).toBeNull();
    expect(crossing([0.3, 0.5, 0.7], [0.9, 0.5, 0.2])).toBe(0.5);
  });

  it('ignores a rising curve: trainability that grows with the amount has no limit', () => {
    expect(crossing([0.1, 0.2, 0.3], [0.2, 0.6, 0.9])).toBeNull();
    expect(fallingCrossings([0.1, 0.2, 0.3], [0.2, 0.6, 0.9])).toEqual([]);
  });

  it('takes the falling crossing of a non-monotone curve, and lists every fall', () => {
    // Up through 50% near 0.167 (ignored), down through it between 0.65 and 0.7.
    const xs = [0, 0.5, 0.65, 0.7, 0.8];
    const ys = [0.375, 0.75, 0.875, 0.25, 0];
    expect(crossing(xs, ys)).toBeCloseTo(0.65 + (0.375 / 0.625) * 0.05, 12);
    expect(crossing([0.1, 0.2, 0.3], [0.2, 0.6, 0.4])).toBeCloseTo(0.25, 12);
    const twice = fallingCrossings([0.1, 0.2, 0.3, 0.4, 0.5], [0.9, 0.3, 0.8, 0.2, 0.1]);
    expect(twice).toHaveLength(2);
    expect(twice[0]).toBeCloseTo(0.1 + (0.4 / 0.6) * 0.1, 12);
    expect(twice[1]).toBeCloseTo(0.3 + (0.3 / 0.6) * 0.1, 12);
  });

  it('leaves error runs out of the fractions and counts them apart', () => {
    const records = ['trained', 'trained', 'chance', 'error', 'error'].map((a, i) =>
      a === 'error' ? errorRecord('H', i + 1, 'boom') : { ...rec(i + 1, a as 'trained', 'compression', [], []), specHash: 'H' },
    );
    const p = trainabilityPoint(0.5, 'c', records);
    expect(p).toMatchObject({ runs: 3, errors: 2 });
    expect(p.trained.fraction).toBeCloseTo(2 / 3, 12);
    expect(p.chance.fraction).toBeCloseTo(1 / 3, 12);
  });

  it('summarises cells into series per other key, with thresholds and chance = chance + collapse', () => {
    const plan = planSweep(parseSpec({}), [parseGridArg('prune=global-weight,global-neuron'), parseGridArg('amount=0.4,0.8')]);
    const fake = (cell: number, labels: string[]) =>
      labels.map((a, i) => ({ ...rec(i + 1, a as 'trained', 'compression', [], []), specHash: plan.cells[cell].specHash }));
    const s = summarizeSweep(plan, 'B', [
      fake(0, ['trained', 'trained', 'trained', 'degraded']),
      fake(1, ['trained', 'chance', 'collapse', 'collapse']),
      fake(2, ['trained', 'trained']),
      fake(3, []),
    ]);
    expect(s.xKey).toBe('amount');
    expect(s.series.map((x) => x.series)).toEqual(['prune=global-weight', 'prune=global-neuron']);
    const gw = s.series[0];
    expect(gw.points.map((p) => [p.x, p.trained.fraction, p.chance.fraction])).toEqual([
      [0.4, 0.75, 0],
      [0.8, 0.25, 0.75],
    ]);
    expect(gw.threshold50.x).toBeCloseTo(0.6, 12);
    // With 4 runs per cell the Wilson bounds ([0.30, 0.95] at 3/4, [0.05, 0.70] at 1/4) never cross 50%: no band within the grid.
    expect([gw.threshold50.fromLowerBound, gw.threshold50.fromUpperBound]).toEqual([null, null]);
    // A cell without runs is left out of its series: one point, no crossing.
    expect(s.series[1].points).toHaveLength(1);
    expect(s.series[1].threshold50.x).toBeNull();
    expect(s.cells[1].counts).toMatchObject({ trained: 1, chance: 1, collapse: 2 });
    expect(s.seedsPerCell).toEqual({ min: 0, max: 4 });
  });

  it('counts layer collapse from the pruning report; the critical x is the largest before the first collapse', () => {
    const plan = planSweep(parseSpec({ net: { hidden: [4, 2] }, prune: { steps: [{ mode: 'global-weight', amount: 0 }] } }), [
      parseGridArg('score=magnitude,synflow'),
      parseGridArg('compression=1,2,3'),
    ]);
    const fake = (cell: number, collapsed: boolean[]) =>
      collapsed.map((c, i) => ({
        ...rec(i + 1, c ? 'collapse' : 'trained', 'compression', [0.9], [8, 10, 9]),
        specHash: plan.cells[cell].specHash,
        pruning: { collapse: c } as never,
      }));
    const s = summarizeSweep(plan, 'B', [
      fake(0, [false, false]),
      fake(1, [false, true]),
      fake(2, [true, true]),
      fake(3, [false, false]),
      fake(4, [false, false]),
      fake(5, [false, true]),
    ]);
    expect(s.xKey).toBe('compression');
    expect(s.series.map((x) => [x.series, x.criticalX])).toEqual([
      ['score=magnitude', 1],
      ['score=synflow', 2],
    ]);
    expect(s.series[0].points.map((p) => p.collapse.fraction)).toEqual([0, 0.5, 1]);
    expect(s.cells[2].collapse).toMatchObject({ count: 2, total: 2 });
    // Planes: each series' cell at compression 2 (99%), the last hidden layer's median path.
    expect(s.planes?.layer).toBe('h2');
    expect(Object.entries(s.planes!.bySeries).map(([k, v]) => [k, v.cell, v.trajectory.runs])).toEqual([
      ['score=magnitude', 'score=magnitude_compression=2', 2],
      ['score=synflow', 'score=synflow_compression=2', 2],
    ]);
    expect(s.planes!.bySeries['score=magnitude'].trajectory.layers.h2.map((p) => p.ixt.median)).toEqual([8, 10, 9]);
    expect(
      summarizeSweep(
        plan,
        'B',
        plan.cells.map(() => []),
        3,
      ).planes,
    ).toBeUndefined();
  });
});
