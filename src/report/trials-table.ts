// The plain-text summary a trials or sweep command prints on stdout.
import type { OutcomeCount, TrialsSummary } from '../experiment/trials/summary.ts';
import type { SweepSummary } from '../experiment/trials/trainability.ts';
import { intervalText, pctText } from './text.ts';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c < 2 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function seeds(list: readonly number[], max = 8): string {
  return list.length <= max ? list.join(',') : `${list.slice(0, max).join(',')},… (+${list.length - max})`;
}

function outcomeRows(rows: readonly OutcomeCount[], includeEmpty: boolean): string[][] {
  return rows
    .filter((o) => includeEmpty || o.count > 0)
    .map((o) => [o.kind, o.label, String(o.count), pctText(o.fraction), intervalText(o.wilson95), seeds(o.seeds)]);
}

export function trialsTable(summary: TrialsSummary, dir: string): string {
  const out: string[] = [];
  out.push(
    `${summary.runs} runs of spec ${summary.specHash} in ${dir}${summary.errors ? ` (${summary.errors} failed: see their "error" in trials.jsonl)` : ''}`,
  );
  out.push('');
  out.push(table(['kind', 'outcome', 'count', 'fraction', 'Wilson 95%', 'seeds'], outcomeRows(summary.outcomes, false)));
  out.push('');
  out.push(table(['kind', 'combination', 'count', 'fraction', 'Wilson 95%', 'seeds'], outcomeRows(summary.combinations, true)));
  const examples = summary.outcomes.filter((o) => o.kind === 'accuracy' && o.count > 0);
  if (examples.length) {
    out.push('');
    out.push('replay one run of each outcome exactly:');
    for (const o of examples) out.push(`  ${o.label.padEnd(9)} infoplane run --spec ${dir}/spec.json --seed ${o.seeds[0]}`);
  }
  return out.join('\n') + '\n';
}

const thresholdText = (x: number) => String(Number(x.toFixed(4)));

/** The 50% crossing and its band from the Wilson bounds, said once when none of them is inside the grid. */
export function crossingText(t: { x: number | null; fromLowerBound: number | null; fromUpperBound: number | null }): { x: string; band: string } {
  const [lo, hi] = [t.fromLowerBound, t.fromUpperBound];
  return {
    x: t.x === null ? 'not within the grid' : thresholdText(t.x),
    band:
      lo === null && hi === null
        ? 'not within the grid'
        : `${lo === null ? 'outside the grid' : thresholdText(lo)} … ${hi === null ? 'outside the grid' : thresholdText(hi)}`,
  };
}

export function sweepTable(summary: SweepSummary, keys: readonly string[]): string {
  const rows = summary.cells.map((c) => [
    ...keys.map((k) => c.values[k]),
    String(c.runs),
    pctText(c.trained.fraction),
    intervalText(c.trained.wilson95),
    pctText(c.chance.fraction),
    intervalText(c.chance.wilson95),
  ]);
  const header = [...keys, 'runs', 'trained', 'Wilson 95%', 'chance', 'Wilson 95%'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (c < keys.length ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (summary.xKey) {
    out.push('');
    out.push(`${summary.xKey} where the trained fraction crosses 50% (linear interpolation between grid points; band from the Wilson bounds):`);
    for (const s of summary.series) {
      const c = crossingText(s.threshold50);
      out.push(c.x === c.band ? `  ${s.series}: ${c.x}` : `  ${s.series}: ${c.x}  (band ${c.band})`);
    }
  }
  return out.join('\n') + '\n';
}
