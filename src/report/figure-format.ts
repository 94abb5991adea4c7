// How figures are written in verdict sentences, the page and the terminal.
import type { Estimate, Unit } from '../experiment/reproduce/estimates.ts';
import type { Cell } from '../experiment/reproduce/claim.ts';

export type { Unit };

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function formatValue(x: number | null | undefined, unit: Unit): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '−∞';
  if (!finite(x)) return '—';
  switch (unit) {
    case 'accuracy':
      return `${(x * 100).toFixed(2)}%`;
    case 'fraction':
      return `${(x * 100).toFixed(1)}%`;
    case 'bits':
      return `${x.toFixed(2)} bits`;
    case 'amount':
      return String(Number(x.toFixed(3)));
    case 'ity':
      return x.toFixed(3);
  }
}

export function formatInterval(interval: readonly [number, number] | null, unit: Unit): string {
  if (!interval) return '—';
  return `[${formatValue(interval[0], unit)}, ${formatValue(interval[1], unit)}]`;
}

/** "98.45% (95% interval [98.20%, 98.60%], 8 runs)", noting a coverage below 95%. */
export function formatEstimate(e: Estimate, unit: Unit): string {
  if (e.value === null && !e.interval) return `no data (${e.n} runs)`;
  const low = e.coverage !== null && e.coverage < 0.95 ? `, only ${(e.coverage * 100).toFixed(0)}% coverage with ${e.n} runs` : '';
  return `${formatValue(e.value, unit)} (95% interval ${formatInterval(e.interval, unit)}${low}; n = ${e.n})`;
}

export const percentText = (x: number) => `${Number((x * 100).toFixed(2))}%`;

/** A table cell of a claim: text as it is, numbers in their unit, pairs and ranges joined. */
export function cellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if ('pair' in cell) return cell.pair.map(cellText).join(' / ');
  if ('range' in cell) return `${formatValue(cell.range[0], cell.unit)}–${formatValue(cell.range[1], cell.unit)}`;
  return formatValue(cell.value, cell.unit);
}
