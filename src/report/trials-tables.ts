// Flat tables of a trials or sweep directory, for pandas/R/a spreadsheet:
// trials.csv has one row per seed (outcome labels, final metrics, pruning
// summary, each watched layer's I(X;T) trajectory numbers); trials-mi.csv is
// the long format of every seed's information plane (one row per seed, MI
// epoch and layer) under the spec's first binning. Rows are in seed order, so
// the tables are pure functions of the journal like summary.json. A sweep's
// tables stack its cells' rows behind the grid columns.
import type { TrialRecord } from '../experiment/trials/record.ts';
import { type CsvValue, csvText } from './csv.ts';

type Row = Record<string, CsvValue>;

/** The grid values of a sweep cell (key → value text); empty for plain trials. */
export type GridValues = Readonly<Record<string, string>>;

export interface TableSource {
  grid: GridValues;
  records: readonly TrialRecord[];
}

const METRICS = ['trainLoss', 'trainAcc', 'testLoss', 'testAcc'] as const;
const TRAJECTORY = ['ixt0', 'peakIxt', 'peakEpoch', 'minIxtAfterPeak', 'finalIxt', 'finalIty', 'finalHt', 'ceilingX'] as const;

const bySeed = (records: readonly TrialRecord[]) => [...records].sort((a, b) => a.seed - b.seed);

function watched(records: readonly TrialRecord[]): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r.outcome.planes)))];
}

function trialRow(r: TrialRecord, layers: readonly string[]): Row {
  const density = r.pruning && r.pruning.total > 0 ? r.pruning.kept / r.pruning.total : null;
  const row: Row = {
    specHash: r.specHash,
    seed: r.seed,
    status: r.status,
    error: r.error,
    accuracy: r.outcome.accuracy,
    combination: r.outcome.combination,
    epochs: r.epochs,
    bestTestAcc: r.bestTestAcc,
    testMajorityRate: r.testMajorityRate,
    divergedAtEpoch: r.divergedAtEpoch,
    weightsKept: r.pruning?.kept,
    weightsTotal: r.pruning?.total,
    density,
    collapse: r.pruning?.collapse,
    neuronsAlive: r.pruning?.layers.map((l) => l.neuronsAlive),
    estimator: r.curve?.estimator ?? null,
  };
  for (const m of METRICS) row[m] = r.final?.[m] ?? null;
  const first = r.curve?.estimator ? r.mi?.[r.curve.estimator] : undefined;
  for (const layer of layers) {
    row[`plane:${layer}`] = r.outcome.planes[layer];
    for (const t of TRAJECTORY) row[`${layer}.${t}`] = first?.[layer]?.[t] ?? null;
  }
  return row;
}

/** trials.csv: one row per seed (per cell and seed in a sweep). */
export function trialsCsv(sources: readonly TableSource[]): string {
  const gridKeys = [...new Set(sources.flatMap((s) => Object.keys(s.grid)))];
  const layers = watched(sources.flatMap((s) => s.records));
  const columns = [
    ...gridKeys,
    'specHash',
    'seed',
    'status',
    'error',
    'accuracy',
    ...layers.map((l) => `plane:${l}`),
    'combination',
    'epochs',
    ...METRICS,
    'bestTestAcc',
    'testMajorityRate',
    'divergedAtEpoch',
    'weightsKept',
    'weightsTotal',
    'density',
    'collapse',
    'neuronsAlive',
    'estimator',
    ...layers.flatMap((l) => TRAJECTORY.map((t) => `${l}.${t}`)),
  ];
  const rows = sources.flatMap((s) => bySeed(s.records).map((r) => ({ ...s.grid, ...trialRow(r, layers) })));
  return csvText(columns, rows);
}

export const TRIALS_MI_COLUMNS = ['specHash', 'seed', 'epoch', 'layer', 'estimator', 'ixt', 'ity', 'ht', 'saturated', 'rangeLo', 'rangeHi'] as const;

function miRows(r: TrialRecord): Row[] {
  const c = r.curve;
  if (!c?.estimator) return [];
  return Object.keys(c.ixt).flatMap((layer) =>
    c.miEpochs.map((epoch, i) => {
      const ranges = c.range?.[layer];
      const range = ranges?.length === 1 ? ranges[0] : ranges?.[i];
      return {
        specHash: r.specHash,
        seed: r.seed,
        epoch,
        layer,
        estimator: c.estimator,
        ixt: c.ixt[layer][i],
        ity: c.ity[layer][i],
        ht: c.ht?.[layer]?.[i],
        saturated: c.saturated?.[layer]?.[i],
        rangeLo: range?.[0] ?? null,
        rangeHi: range?.[range.length - 1] ?? null,
      };
    }),
  );
}

/** trials-mi.csv: the long table of every seed's information plane (first binning). */
export function trialsMiCsv(sources: readonly TableSource[]): string {
  const gridKeys = [...new Set(sources.flatMap((s) => Object.keys(s.grid)))];
  const rows = sources.flatMap((s) => bySeed(s.records).flatMap((r) => miRows(r).map((row) => ({ ...s.grid, ...row }))));
  return csvText([...gridKeys, ...TRIALS_MI_COLUMNS], rows);
}

export function trialsTableFiles(sources: readonly TableSource[]): Record<string, string> {
  return { 'trials.csv': trialsCsv(sources), 'trials-mi.csv': trialsMiCsv(sources) };
}
