// Splitting work across machines: `--shard i/N` (0 ≤ i < N) runs the items at
// positions p of the full list with p mod N = i. The assignment depends only
// on the list (the --seeds text, or the sweep's cells × seeds), so every shard
// computes it alone, and the shards' outputs are disjoint and cover the list.
// i is 0-based like Kubernetes' JOB_COMPLETION_INDEX; `--shard auto` reads it
// from the engine (shard-env.ts).
import { InputError } from '../../core/input-error.ts';

export interface Shard {
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 0, count: 1 };

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`--shard: expected i/N with 0 ≤ i < N (e.g. 0/4), got "${text}"`);
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1) throw new InputError(`--shard: N must be at least 1, got "${text}"`);
  if (index >= count) throw new InputError(`--shard: i must be in 0..${count - 1} (0-based), got "${text}"`);
  return { index, count };
}

/** The items of the list that belong to the shard, in list order. */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, p) => p % shard.count === shard.index);
}
