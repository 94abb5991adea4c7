// Which runs keep their full per-epoch curves (metrics, every MI and KDE
// record) in curves/seed-N.json, so odd information planes can be looked at
// later without rerunning them.
//
//   all   every run;  none  no run;
//   rare  (default) a run whose accuracy outcome is not `trained` (degraded,
//         chance, collapse, diverged), or whose outcome combination is rare
//         so far: its count among the runs of the directory so far, this one
//         included, is below rareFraction × max(runs so far, 20). The floor
//         of 20 keeps the first example of every combination while few runs
//         exist. "So far" depends on the order seeds finish in, so which
//         `trained` runs keep curves can differ between a single process and
//         shards; trials.jsonl does not (it never points at curves).
import type { TrialRecord } from './record.ts';

export const KEEP_CURVES = ['rare', 'all', 'none'] as const;
export type KeepCurves = (typeof KEEP_CURVES)[number];
export const RARE_FLOOR_RUNS = 20;

export class CurveKeeper {
  private readonly counts = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly mode: KeepCurves,
    private readonly rareFraction: number,
    earlier: readonly TrialRecord[] = [],
  ) {
    for (const r of earlier) this.count(r);
  }

  private count(r: TrialRecord): number {
    const n = (this.counts.get(r.outcome.combination) ?? 0) + 1;
    this.counts.set(r.outcome.combination, n);
    this.total++;
    return n;
  }

  /** Counts the record and says whether its curves are kept. Errors have none to keep. */
  observe(record: TrialRecord): boolean {
    const n = this.count(record);
    if (record.status !== 'ok' || this.mode === 'none') return false;
    if (this.mode === 'all') return true;
    return record.outcome.accuracy !== 'trained' || n < this.rareFraction * Math.max(this.total, RARE_FLOOR_RUNS);
  }
}
