// The seed list of a trials command: `1..500` (inclusive range), `1,5,9`, or
// both mixed (`1..10,20,30..40`). Duplicates are dropped, first occurrence
// wins, so the list's order (and with it shard assignment) is well defined.
import { InputError } from '../../core/input-error.ts';

/** More seeds than this in one list is almost certainly a typo (1..1e9). */
export const MAX_SEEDS = 1_000_000;
const MAX_SEED = 0xffffffff;

function seedOf(text: string, whole: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`--seeds: "${text}" is not a non-negative integer (in "${whole}"; expected e.g. 1..500 or 1,5,9)`);
  const n = Number(text);
  if (n > MAX_SEED) throw new InputError(`--seeds: ${text} is above the largest seed ${MAX_SEED} (in "${whole}")`);
  return n;
}

export function parseSeeds(text: string): number[] {
  const whole = text;
  if (text.trim() === '') throw new InputError('--seeds: empty seed list (expected e.g. 1..500 or 1,5,9)');
  const seen = new Set<number>();
  const seeds: number[] = [];
  const add = (s: number) => {
    if (seen.has(s)) return;
    if (seeds.length >= MAX_SEEDS) throw new InputError(`--seeds: more than ${MAX_SEEDS} seeds in "${whole}"`);
    seen.add(s);
    seeds.push(s);
  };
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const range = /^(.*)\.\.(.*)$/.exec(part);
    if (!range) {
      add(seedOf(part, whole));
      continue;
    }
    const [lo, hi] = [seedOf(range[1].trim(), whole), seedOf(range[2].trim(), whole)];
    if (lo > hi) throw new InputError(`--seeds: range ${part} runs backwards (expected low..high)`);
    if (hi - lo + 1 > MAX_SEEDS) throw new InputError(`--seeds: range ${part} has more than ${MAX_SEEDS} seeds`);
    for (let s = lo; s <= hi; s++) add(s);
  }
  return seeds;
}

/** A compact text form of a seed list for messages: 1..5,9,12..14. */
export function formatSeeds(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : j === i + 1 ? `${sorted[i]},${sorted[j]}` : `${sorted[i]}..${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
