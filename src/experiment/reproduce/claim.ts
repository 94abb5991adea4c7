// What a claim of the reproduction is (its text, the settings it reads as
// typed references, its evaluator) and what an evaluator returns: figures
// with 95% intervals, verdicts and tables of numbers. No sentences: the
// page's wording (headline, why, disagreement) is src/report/'s, written
// from these findings.
import type { TrialRecord } from '../trials/record.ts';
import type { TrainabilitySeries } from '../trials/trainability.ts';
import { type Estimate, type Region, regionVerdict, type Unit, type Verdict } from './estimates.ts';
import type { LimitEstimate, PruningAtInit } from './limits.ts';
import type { PlaneReference } from './planes.ts';
import type { SettingRef } from './settings.ts';
import type { SettingRuns, SettingSummary } from './setting-summary.ts';
import type { ClaimThresholds } from './thresholds.ts';

export interface ClaimText {
  id: number;
  key: ClaimKey;
  title: string;
  /** The report's words, verbatim, and where. */
  quote: string;
  where: string;
  /** The claim in our own words. */
  ours: string;
  /** The operational test, thresholds included. */
  test: string;
}

export const CLAIM_KEYS = [
  'baseline-accuracy',
  'layer-weight-pruning',
  'layer-neuron-pruning',
  'global-limits',
  'zero-mi-last-layer',
  'bins',
  'compression-accuracy',
  'infrequent',
] as const;
export type ClaimKey = (typeof CLAIM_KEYS)[number];

export interface MeasuredFigure {
  label: string;
  unit: Unit;
  estimate: Estimate;
  /** Where the claim holds; absent for figures shown for context. */
  region?: Region;
  verdict?: Verdict;
}

export interface ClaimPart {
  label: string;
  verdict: Verdict;
  figures: MeasuredFigure[];
  /** Shown for context; not part of the claim's verdict. */
  context?: boolean;
}

/** A cell: a label, or numbers in their unit (report/ writes them). */
export type Cell =
  | string
  | { value: number | null | undefined; unit: Unit }
  | { range: readonly [number, number]; unit: Unit }
  | { pair: readonly [Cell, Cell] };

/** A table of numbers (no sentences). */
export interface ClaimTable {
  /** What the table holds; report/ words its caption. */
  kind: string;
  columns: string[];
  rows: Cell[][];
}

export interface ClaimFindings {
  verdict: Verdict;
  figures: MeasuredFigure[];
  parts: ClaimPart[];
  tables: ClaimTable[];
}

export interface ClaimEvaluation extends ClaimText, ClaimFindings {}

export interface SweepResult {
  kind: 'global-weight' | 'global-neuron';
  label: string;
  reportLimit: number;
  series: TrainabilitySeries;
  limit: LimitEstimate;
  atInit: PruningAtInit[];
}

export interface ClaimContext {
  t: ClaimThresholds;
  runs: (ref: SettingRef) => readonly TrialRecord[];
  summary: (ref: SettingRef) => SettingSummary | undefined;
  all: readonly SettingRuns[];
  reference: PlaneReference | null;
  estimator: string;
  /** "Very high accuracy" of claim 7: the unpruned median − the margin. */
  veryHigh: number;
  sweeps: readonly SweepResult[];
}

export interface Claim {
  text: ClaimText;
  /** The settings the evaluator reads. */
  settings: readonly SettingRef[];
  evaluate(ctx: ClaimContext): ClaimFindings;
}

export const ok = (r: TrialRecord) => r.status === 'ok';
export const finalAcc = (r: TrialRecord): number | null =>
  ok(r) && typeof r.final?.testAcc === 'number' && Number.isFinite(r.final.testAcc) ? r.final.testAcc : null;
export const numbers = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null && Number.isFinite(x));

export function figure(label: string, unit: Unit, estimate: Estimate, region?: Region): MeasuredFigure {
  return region ? { label, unit, estimate, region, verdict: regionVerdict(estimate.interval, region) } : { label, unit, estimate };
}

export const pc = (x: number) => `${Number((x * 100).toFixed(2))}%`;
/** An amount in a figure's label: 0.65, not 0.6500000001. */
export const amountText = (x: number) => String(Number(x.toFixed(3)));
