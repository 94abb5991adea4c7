// The one-line reading of whether a claim's verdict depends on the
// assumptions varied (experiment/reproduce/assumptions.ts decides; this
// says it).
import type { ClaimDependence, ClaimUnder } from '../experiment/reproduce/assumptions.ts';

/** `lr=0.03` as a label (`lr=0.03, optimizer=sgd`); the defaults by their values, e.g. `lr=0.001 (default)`. */
export function assumptionLabel(assumption: string | null, defaultLabel: string): string {
  if (assumption === null) return defaultLabel ? `${defaultLabel.replace(/ /g, ', ')} (default)` : 'default';
  return assumption.replace(/_/g, ', ');
}

function list(verdicts: readonly ClaimUnder[], defaultLabel: string): string {
  return verdicts
    .map(
      (v) =>
        `${v.verdict} under ${assumptionLabel(v.assumption, defaultLabel)}${v.coverage.ran < v.coverage.of ? ` (on ${v.coverage.ran} of its ${v.coverage.of} settings)` : ''}`,
    )
    .join('; ');
}

export function dependenceReading(d: ClaimDependence, defaultLabel: string): string {
  const tried = d.verdicts.map((v) => assumptionLabel(v.assumption, defaultLabel)).join(', ');
  switch (d.dependence) {
    case 'untested':
      return 'Not run under other assumptions: its settings are outside the variations run.';
    case 'same':
      return `Does not depend on the assumptions tried: ${d.verdicts[0].verdict} under each of ${tried}.`;
    case 'flips':
      return `Depends on the assumption: ${list(d.verdicts, defaultLabel)}.`;
    case 'shifts':
      return `May depend on the assumption: ${list(d.verdicts, defaultLabel)} — the undecided verdicts need more seeds to tell.`;
  }
}

/** A word for the verdict table: same, depends, may depend, not varied. */
export const DEPENDENCE_WORD: Record<ClaimDependence['dependence'], string> = { same: 'same', flips: 'depends', shifts: 'may depend', untested: 'not varied' };
