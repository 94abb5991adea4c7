// When `infoplane trials --until` stops: rare outcomes are caught on purpose
// by running seeds in order until the outcome has been seen k times
// (`chance:5`, `h4:compression:3`), or until the upper end of its Wilson 95%
// interval falls below a rate (`chance<0.01`: it is rarer than 1% with 95%
// confidence), or at --max-seeds seeds, whichever comes first. The rule is
// checked on the journal as it stands (earlier invocations included), so a
// stopped directory resumes like any other: the same command runs nothing
// when the rule is already met. Seeds in flight when it is met still finish
// and are journaled; the counts are over every journaled run.
import { ACCURACY_OUTCOMES, PLANE_OUTCOMES } from './classify.ts';
import { InputError } from '../../core/input-error.ts';
import type { TrialRecord } from './record.ts';
import { wilsonInterval } from './wilson.ts';

export interface StopRule {
  /** The rule as given, e.g. `chance:5`. */
  text: string;
  /** An accuracy outcome, or `<layer>:<plane outcome>`. */
  label: string;
  /** Stop when seen this many times... */
  count?: number;
  /** ...or when the Wilson 95% upper bound of its fraction is below this rate. */
  belowRate?: number;
  maxSeeds: number;
}

export interface StopState {
  rule: StopRule;
  runs: number;
  seen: number;
  /** Wilson 95% upper bound of seen/runs. */
  upper95: number;
  met: boolean;
  /** Why it stopped (or why not yet), in words. */
  reason: string;
}

function checkLabel(label: string, whole: string): void {
  const parts = label.split(':');
  const ok =
    (parts.length === 1 && (ACCURACY_OUTCOMES as readonly string[]).includes(label)) ||
    (parts.length === 2 && /^(h\d+|out)$/.test(parts[0]) && (PLANE_OUTCOMES as readonly string[]).includes(parts[1]));
  if (!ok) {
    throw new InputError(
      `--until: "${label}" (in "${whole}") is not an outcome: expected one of ${ACCURACY_OUTCOMES.join(', ')}, or LAYER:LABEL with LABEL one of ${PLANE_OUTCOMES.join(', ')} (e.g. h4:compression)`,
    );
  }
}

export function parseStopRule(text: string, maxSeeds: number): StopRule {
  if (!Number.isSafeInteger(maxSeeds) || maxSeeds < 1) throw new InputError(`--max-seeds: must be a positive integer, got ${maxSeeds}`);
  const below = /^(.+)<(.+)$/.exec(text);
  if (below) {
    const rate = Number(below[2]);
    if (!(rate > 0 && rate < 1)) throw new InputError(`--until: the rate in "${text}" must be a number in (0, 1), got "${below[2]}"`);
    checkLabel(below[1], text);
    return { text, label: below[1], belowRate: rate, maxSeeds };
  }
  const cut = text.lastIndexOf(':');
  const k = Number(text.slice(cut + 1));
  if (cut < 0 || !Number.isSafeInteger(k) || k < 1) throw new InputError(`--until: expected LABEL:K (seen K ≥ 1 times) or LABEL<RATE, got "${text}"`);
  checkLabel(text.slice(0, cut), text);
  return { text, label: text.slice(0, cut), count: k, maxSeeds };
}

function hasLabel(r: TrialRecord, label: string): boolean {
  const [a, b] = label.split(':');
  return b === undefined ? r.outcome.accuracy === a : r.outcome.planes[a] === b;
}

export function stopState(rule: StopRule, records: readonly TrialRecord[]): StopState {
  // Plane labels exist for finished runs only, as in the summary.
  const pool = rule.label.includes(':') ? records.filter((r) => r.status === 'ok') : records;
  const seen = pool.filter((r) => hasLabel(r, rule.label)).length;
  const upper95 = wilsonInterval(seen, pool.length)[1];
  const pct = (x: number) => `${Number((x * 100).toFixed(3))}%`;
  let reason: string;
  let met = true;
  if (rule.count !== undefined && seen >= rule.count) reason = `${rule.label} seen ${seen} times (asked for ${rule.count}) in ${pool.length} runs`;
  else if (rule.belowRate !== undefined && pool.length > 0 && upper95 < rule.belowRate)
    reason = `${rule.label}: ${seen} of ${pool.length} runs, Wilson 95% upper bound ${pct(upper95)} < ${pct(rule.belowRate)}`;
  else if (records.length >= rule.maxSeeds)
    reason = `reached --max-seeds ${rule.maxSeeds} (${rule.label}: ${seen} of ${pool.length} runs, upper bound ${pct(upper95)})`;
  else {
    met = false;
    reason = `not met: ${rule.label} ${seen} of ${pool.length} runs (upper bound ${pct(upper95)})`;
  }
  return { rule, runs: pool.length, seen, upper95, met, reason };
}
