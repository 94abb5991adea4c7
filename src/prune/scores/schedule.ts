// Iterative pruning schedules (Synaptic-Flow `prune_loop`): round r of N
// keeps density d^(r/N) (exponential) or 1 − (1 − d)·r/N (linear) of what
// was kept when the step began, d being the step's final density. Counts
// follow torch's rounding: round r prunes round((1 − density_r)·n) in all,
// and the last round prunes exactly `pruneCount(amount, n)`, so one round of
// any schedule is torch's one-shot count.
import { type Amount, pruneCount, roundHalfEven } from '../amount.ts';

export type PruneSchedule = 'exponential' | 'linear';
export const PRUNE_SCHEDULES: readonly PruneSchedule[] = ['exponential', 'linear'];

/** Cumulative pruned counts after each of `rounds` rounds, out of `available` kept entries. */
export function scheduledPruneCounts(amount: Amount, available: number, rounds: number, schedule: PruneSchedule, field = 'amount'): number[] {
  const final = pruneCount(amount, available, field, 'weights');
  if (available === 0) return new Array<number>(rounds).fill(0);
  const density = 1 - final / available;
  const counts: number[] = [];
  for (let r = 1; r < rounds; r++) {
    const kept = schedule === 'exponential' ? density ** (r / rounds) : 1 - (1 - density) * (r / rounds);
    counts.push(Math.min(final, roundHalfEven((1 - kept) * available)));
  }
  counts.push(final);
  return counts;
}
