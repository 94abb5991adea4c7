// The reproduction under each variation of the unstated assumptions
// (variations.ts): the variation's runs evaluated as the report's settings
// (the same claims, the unpruned reference of the same variation), and per
// claim whether its verdict depends on the assumption. A claim is evaluated
// under a variation when at least one of the settings it is about ran there
// (the unpruned reference alone does not count, except for the claim about
// the unpruned net); the coverage says how many. Pure: tests feed it synthetic records.
import type { ClaimEvaluation } from './claim.ts';
import { CLAIMS } from './claims/index.ts';
import type { Verdict } from './estimates.ts';
import { evaluateReproduction, type Reproduction, type SettingRuns } from './evaluate.ts';
import { CLAIM_THRESHOLDS, type ClaimThresholds } from './thresholds.ts';
import type { VaryKey, VaryValue } from './variations.ts';
import { NAMED } from './settings.ts';

export interface AssumptionReproduction extends Reproduction {
  /** The variation's name, e.g. `lr=0.03`. */
  name: string;
  values: Partial<Record<VaryKey, VaryValue>>;
  /** The report settings (ids under the defaults) that ran under it. */
  ran: string[];
}

/** How a claim's verdict moves across the assumptions tried. */
export type Dependence =
  /** The same verdict under every assumption tried. */
  | 'same'
  /** Reproduced under one, not reproduced under another: the verdict depends on the assumption. */
  | 'flips'
  /** Different verdicts, but only between decided and undecided (partly, untestable): more seeds would tell. */
  | 'shifts'
  /** Not evaluated under any variation. */
  | 'untested';

export interface ClaimUnder {
  /** null: the defaults. */
  assumption: string | null;
  verdict: Verdict;
  /** Settings the claim reads that ran under the assumption, of all it reads. */
  coverage: { ran: number; of: number };
}

export interface ClaimDependence {
  id: number;
  key: string;
  verdicts: ClaimUnder[];
  dependence: Dependence;
}

/** Runs of the variation (null: the defaults), set as the report setting each runs. */
export function runsUnder(all: readonly SettingRuns[], variation: string | null): SettingRuns[] {
  return all
    .filter((r) => (r.setting.variation ?? null) === variation)
    .map((r) => ({ setting: { ...r.setting, id: r.setting.of ?? r.setting.id }, records: r.records }));
}

/** The variations present among the runs, in plan order. */
export function variationNames(all: readonly SettingRuns[]): string[] {
  return [...new Set(all.map((r) => r.setting.variation ?? null).filter((v): v is string => v !== null))];
}

export function evaluateAssumptions(all: readonly SettingRuns[], thresholds: ClaimThresholds = CLAIM_THRESHOLDS): AssumptionReproduction[] {
  return variationNames(all).map((name) => {
    const runs = runsUnder(all, name);
    return {
      name,
      values: all.find((r) => r.setting.variation === name)!.setting.vary,
      ran: runs.map((r) => r.setting.id),
      ...evaluateReproduction(runs, thresholds),
    };
  });
}

/** Same, flips or shifts, from the verdicts of the assumptions that evaluated the claim. */
export function dependenceOf(verdicts: readonly Verdict[]): Exclude<Dependence, 'untested'> {
  const tried = verdicts.filter((v) => v !== 'no data');
  if (new Set(tried).size <= 1) return 'same';
  return tried.includes('reproduced') && tried.includes('not reproduced') ? 'flips' : 'shifts';
}

/** Per claim of the defaults: its verdict under each assumption and whether it depends on them. */
export function claimDependence(defaults: readonly ClaimEvaluation[], under: readonly AssumptionReproduction[]): ClaimDependence[] {
  return defaults.map((c) => {
    const reads = [...new Set(CLAIMS.find((k) => k.text.id === c.id)!.settings.map((s) => s.id))];
    // The unpruned runs are most claims' reference, not what they are about: such a claim is varied when a pruned setting of it ran.
    const all = reads.length > 1 ? reads.filter((id) => id !== NAMED.baseline.id) : reads;
    const verdicts: ClaimUnder[] = [{ assumption: null, verdict: c.verdict, coverage: { ran: all.length, of: all.length } }];
    for (const a of under) {
      const ran = all.filter((id) => a.ran.includes(id)).length;
      if (ran === 0) continue;
      verdicts.push({ assumption: a.name, verdict: a.claims.find((x) => x.id === c.id)!.verdict, coverage: { ran, of: all.length } });
    }
    return { id: c.id, key: c.key, verdicts, dependence: verdicts.length === 1 ? 'untested' : dependenceOf(verdicts.map((v) => v.verdict)) };
  });
}
