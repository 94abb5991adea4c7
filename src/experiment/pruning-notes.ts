// Notes for a pruning whose effect is likely not what its user meant, from
// the spec's steps and the pruning analysis at init: an integer amount is a
// count (torch's rule), not a percentage; global neuron pruning can empty
// the narrow layers first. Printed by `run` and, once, by `trials`.
import { type NetPruneReport, parseAmount } from '../prune/index.ts';
import type { Spec } from './spec.ts';

/** A layer losing more than this share of its neurons gets a warning. */
export const MOST_OF_A_LAYER = 0.5;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function pruningNotes(spec: Pick<Spec, 'prune'>, report: NetPruneReport): string[] {
  const notes: string[] = [];
  const steps = spec.prune.steps;
  for (const [s, step] of steps.entries()) {
    const amount = parseAmount(step.amount, `steps[${s}].amount`);
    if (amount.kind !== 'count' || amount.value < 1) continue;
    const neurons = step.mode.endsWith('neuron');
    const scope = report.layers.filter((l) => !step.layers || step.layers.includes(l.layer));
    const size = (l: NetPruneReport['layers'][number]) => (neurons ? l.neurons : l.total);
    const unit = neurons ? 'neurons' : 'weights';
    const share = step.mode.startsWith('layer')
      ? scope.map((l) => `${pct(amount.value / size(l))} of layer ${l.layer}'s ${size(l)}`).join(', ')
      : `${pct(
          amount.value /
            Math.max(
              1,
              scope.reduce((n, l) => n + size(l), 0),
            ),
        )} of ${scope.reduce((n, l) => n + size(l), 0)}`;
    notes.push(
      `note: --amount ${amount.value} is a count (torch: an integer amount is absolute): it prunes ${amount.value} ${unit} (${share}); for a share write a fraction in [0, 1], e.g. 0.65`,
    );
  }
  if (steps.some((st) => st.mode === 'global-neuron')) {
    const hidden = report.layers.slice(0, -1);
    const removed = hidden.map((l) => ({ layer: l.layer, gone: l.neurons - l.neuronsAlive, of: l.neurons }));
    notes.push(`global-neuron: neurons removed per layer ${removed.map((r) => `L${r.layer} ${r.gone}/${r.of}`).join(', ')}`);
    for (const r of removed.filter((x) => x.gone > MOST_OF_A_LAYER * x.of)) {
      notes.push(
        `warning: global-neuron pruning removes ${r.gone} of layer ${r.layer}'s ${r.of} neurons (${pct(r.gone / r.of)}): the ranking compares neurons across layers of different fan-in; see README "--normalize"`,
      );
    }
  }
  return notes;
}
