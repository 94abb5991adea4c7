// Synthetic trial records for the reproduction's verdict logic: each field a
// claim reads (final accuracy, accuracy label, plane labels, per-layer final
// MI on each binning, pruning report) set by hand, nothing trained.
import type { SettingRuns } from '../../src/experiment/reproduce/evaluate.ts';
import { DEFAULT_OPTIONS, type ReproductionSetting, reproductionSettings } from '../../src/experiment/reproduce/settings.ts';
import type { AccuracyOutcome, PlaneOutcome } from '../../src/experiment/trials/classify.ts';
import type { TrialRecord } from '../../src/experiment/trials/record.ts';
import type { LayerTrajectory } from '../../src/experiment/trials/trajectory.ts';
import type { NetPruneReport } from '../../src/prune/index.ts';

export const LAYERS = ['h1', 'h2', 'h3', 'h4', 'out'] as const;
/** A typical unpruned plane's final points (fixed:30 on 10 000 test images). */
export const NORMAL: Record<string, { ixt: number; ity: number }> = {
  h1: { ixt: 13.29, ity: 1 },
  h2: { ixt: 13.27, ity: 1 },
  h3: { ixt: 13.2, ity: 1 },
  h4: { ixt: 12.9, ity: 1 },
  out: { ixt: 1.4, ity: 0.92 },
};

export interface RunSketch {
  acc?: number;
  accuracy?: AccuracyOutcome;
  /** Final points per layer on fixed:30 (default NORMAL), overrides merged per layer. */
  plane?: Partial<Record<string, { ixt: number; ity: number }>>;
  /** Other binnings: estimator → layer → final point (default: the same as fixed:30). */
  bins?: Record<string, Partial<Record<string, { ixt: number; ity: number }>>>;
  planes?: { h4?: PlaneOutcome; out?: PlaneOutcome };
  /** Compression depth on fixed:30 per layer (peak − lowest after it). */
  drop?: Partial<Record<string, number>>;
  pruning?: NetPruneReport;
  status?: 'ok' | 'error';
}

function trajectory(p: { ixt: number; ity: number }, drop = 0): LayerTrajectory {
  return {
    ixt0: p.ixt,
    peakIxt: p.ixt + drop,
    peakEpoch: 1,
    minIxtAfterPeak: p.ixt,
    finalEpoch: 10,
    finalIxt: p.ixt,
    finalIty: p.ity,
    finalHt: p.ixt,
    ceilingX: 13.2877,
  };
}

export function record(seed: number, sketch: RunSketch = {}, specHash = 'S'): TrialRecord {
  const acc = sketch.acc ?? 0.984;
  const accuracy = sketch.accuracy ?? (acc >= 0.96 ? 'trained' : acc < 0.52 ? 'chance' : 'degraded');
  const planes = { h4: sketch.planes?.h4 ?? 'no-compression', out: sketch.planes?.out ?? 'compression' };
  if (sketch.status === 'error') return { specHash, seed, status: 'error', error: 'boom', outcome: { accuracy: 'error', planes: {}, combination: 'error' } };
  const plane = Object.fromEntries(LAYERS.map((l) => [l, { ...NORMAL[l], ...sketch.plane?.[l] }]));
  const mi: TrialRecord['mi'] = { 'fixed:30': Object.fromEntries(LAYERS.map((l) => [l, trajectory(plane[l], sketch.drop?.[l] ?? 0)])) };
  for (const [estimator, layers] of Object.entries(sketch.bins ?? {}))
    mi[estimator] = Object.fromEntries(LAYERS.map((l) => [l, trajectory({ ...plane[l], ...layers[l] })]));
  return {
    specHash,
    seed,
    status: 'ok',
    outcome: { accuracy, planes, combination: `${accuracy} h4:${planes.h4} out:${planes.out}` },
    epochs: 10,
    final: { epoch: 10, trainLoss: 0.01, trainAcc: acc, testLoss: 0.05, testAcc: acc },
    bestTestAcc: acc,
    testMajorityRate: 0.5074,
    ...(sketch.pruning ? { pruning: sketch.pruning } : {}),
    mi,
    curve: {
      testAcc: [acc - 0.01, acc],
      estimator: 'fixed:30',
      miEpochs: [0, 1, 2],
      ixt: Object.fromEntries(LAYERS.map((l) => [l, [1, plane[l].ixt + 0.2, plane[l].ixt]])),
      ity: Object.fromEntries(LAYERS.map((l) => [l, [0.1, plane[l].ity, plane[l].ity]])),
    },
  };
}

/** n records made by `make(i)` (seeds 1..n). */
export const runs = (n: number, make: (i: number) => RunSketch = () => ({})) => Array.from({ length: n }, (_, i) => record(i + 1, make(i)));

/** Pruning report with per-layer kept fractions (784-1024-20-20-20-2). */
export function pruning(kept: readonly number[], collapse = false): NetPruneReport {
  const shapes = [
    [784, 1024],
    [1024, 20],
    [20, 20],
    [20, 20],
    [20, 2],
  ];
  const layers = shapes.map(([fanIn, out], l) => {
    const total = fanIn * out;
    const k = Math.round(kept[l] * total);
    return {
      layer: l + 1,
      kept: k,
      effectiveKept: k,
      total,
      neurons: out,
      neuronsAlive: k ? out : 0,
      neuronsConnected: k ? out : 0,
      constantUnits: k ? 0 : out,
      collapsed: k === 0,
    };
  });
  const keptWeights = layers.reduce((s, l) => s + l.kept, 0);
  return { layers, kept: keptWeights, effectiveKept: keptWeights, total: layers.reduce((s, l) => s + l.total, 0), collapse };
}

export const SETTINGS: readonly ReproductionSetting[] = reproductionSettings({
  ...DEFAULT_OPTIONS,
  weightAmounts: [...DEFAULT_OPTIONS.weightAmounts],
  neuronAmounts: [...DEFAULT_OPTIONS.neuronAmounts],
});

/** Every setting with `fill(setting)` records (default: 8 normal, well-trained runs; sweep points train). */
export function world(fill: (s: ReproductionSetting) => TrialRecord[] | undefined = () => undefined): SettingRuns[] {
  return SETTINGS.map((setting) => ({ setting, records: fill(setting) ?? runs(8) }));
}

/** world() with some settings' records replaced by id. */
export function worldWith(byId: Record<string, TrialRecord[]>, fill?: (s: ReproductionSetting) => TrialRecord[] | undefined): SettingRuns[] {
  return world((s) => byId[s.id] ?? fill?.(s));
}
