// shard.json: which share of which list an output directory holds — shard
// "i/N" of the seeds "1..500" — written by trials, sweep and reproduce (a run
// without --shard holds 0/1). A directory refuses to be resumed as another
// shard. A merged directory holds 0/1 of its inputs' lists and names them in
// `merged`. Merges check coverage with it: the inputs cut from one list must
// be one complete split (one N, every index 0..N−1) whose journals hold every
// run of their shares; otherwise the merge would quietly report frequencies
// over fewer seeds than asked for.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../../core/atomic-write.ts';
import { InputError } from '../../core/input-error.ts';
import { parseSeeds } from './seeds.ts';
import { parseShard, type Shard, shardItems } from './shard.ts';

export const SHARD_FILE = 'shard.json';

export interface MergedInput {
  dir: string;
  shard: string;
  seeds: string;
}

export interface ShardRecord {
  /** "i/N", 0-based. */
  shard: string;
  /** The whole list the share was cut from (the --seeds text; for a reproduction, the seed count). */
  seeds: string;
  /** A merged directory: whether every run of its lists is present, and the inputs it joined. */
  complete?: boolean;
  merged?: MergedInput[];
}

/** What a summary of an incomplete merge carries. */
export interface Incompleteness {
  missingRuns: number;
  expectedRuns: number;
  problems: string[];
}

export const shardText = (s: Shard) => `${s.index}/${s.count}`;

export function readShardRecord(dir: string): ShardRecord | null {
  const path = join(dir, SHARD_FILE);
  if (!existsSync(path)) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${path}: not readable JSON (${(err as Error).message})`);
  }
  const record = doc as ShardRecord;
  if (doc === null || typeof doc !== 'object' || typeof record.shard !== 'string' || typeof record.seeds !== 'string') {
    throw new InputError(`${path}: expected {"shard": "i/N", "seeds": "..."}`);
  }
  try {
    parseShard(record.shard);
  } catch (err) {
    throw new InputError(`${path}: ${(err as Error).message.replace(/^--shard: /, 'shard: ')}`);
  }
  return record;
}

/** The seed list a record names (its text parsed, the file named on error). */
export function recordSeeds(dir: string, record: ShardRecord): number[] {
  try {
    return parseSeeds(record.seeds);
  } catch (err) {
    throw new InputError(`${join(dir, SHARD_FILE)}: ${(err as Error).message.replace(/^--seeds: /, 'seeds: ')}`);
  }
}

/** Read-only: refuses a directory that holds another shard than this command runs. */
export function checkShardRecord(dir: string, shard: Shard): void {
  const have = readShardRecord(dir);
  if (have && have.shard !== shardText(shard)) {
    throw new InputError(
      `out: ${dir} holds shard ${have.shard} (of --seeds ${have.seeds}); this command runs shard ${shardText(shard)}: give each shard its own --out`,
    );
  }
}

/** Records this invocation's shard and list; a merged directory keeps the names of its inputs. */
export function writeShardRecord(dir: string, shard: Shard, seeds: string): void {
  const merged = readShardRecord(dir)?.merged;
  const record: ShardRecord = { shard: shardText(shard), seeds, ...(merged ? { merged } : {}) };
  writeFileAtomically(join(dir, SHARD_FILE), JSON.stringify(record, null, 2) + '\n');
}

/** One merge input: its record, and the whole list of runs its record names, as keys. */
export interface CoverageInput {
  dir: string;
  record: ShardRecord | null;
  /** The runs of the record's whole list in list order (shards take positions mod N); null without a record. */
  runs: string[] | null;
}

export interface Coverage {
  problems: string[];
  missingRuns: number;
  expectedRuns: number;
  /** What a run is called in messages ("seed", "run"). */
  unit: string;
  /** The merged directory's record. */
  record: ShardRecord;
}

const MAX_NAMED = 8;
const some = (items: readonly string[]) => items.slice(0, MAX_NAMED).join(', ') + (items.length > MAX_NAMED ? `, … (${items.length} in all)` : '');

/**
 * Checks that the inputs cover their lists: inputs cut from one list form one
 * split (the same N, every index present) and every run of it is in `present`.
 * `unit` names a run key in messages ("seed", "run").
 */
export function checkCoverage(inputs: readonly CoverageInput[], present: ReadonlySet<string>, unit: string): Coverage {
  const problems: string[] = [];
  const groups = new Map<string, { seeds: string; runs: string[]; members: { dir: string; shard: Shard }[] }>();
  for (const input of inputs) {
    if (!input.record || !input.runs) {
      problems.push(`${input.dir} has no ${SHARD_FILE} (made by an older infoplane?): cannot tell which shard of which seeds it holds`);
      continue;
    }
    const key = input.runs.join('\n');
    const group = groups.get(key) ?? { seeds: input.record.seeds, runs: input.runs, members: [] };
    group.members.push({ dir: input.dir, shard: parseShard(input.record.shard) });
    groups.set(key, group);
  }
  let [missingRuns, expectedRuns] = [0, 0];
  for (const group of groups.values()) {
    const list = `--seeds ${group.seeds}`;
    const counts = [...new Set(group.members.map((m) => m.shard.count))];
    const given = group.members.map((m) => `${m.dir} (${shardText(m.shard)})`).join(', ');
    if (counts.length > 1) problems.push(`shards of different N mixed for ${list}: ${given}; merge the N shards of one split`);
    else {
      const count = counts[0];
      const indices = new Set(group.members.map((m) => m.shard.index));
      const absent = Array.from({ length: count }, (_, i) => i).filter((i) => !indices.has(i));
      if (absent.length)
        problems.push(`shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${count}`).join(', ')} of ${list} missing (given: ${given})`);
    }
    expectedRuns += group.runs.length;
    const missing = group.runs.filter((r) => !present.has(r));
    missingRuns += missing.length;
    if (missing.length === 0) continue;
    problems.push(`${missing.length} of ${group.runs.length} ${unit}s of ${list} are in no input (${unit} ${some(missing)})`);
    for (const m of group.members) {
      const lacking = shardItems(group.runs, m.shard).filter((r) => !present.has(r));
      if (lacking.length)
        problems.push(
          `${m.dir} (shard ${shardText(m.shard)}) lacks ${lacking.length} ${unit}${lacking.length > 1 ? 's' : ''} of its share: resume it with its command`,
        );
    }
  }
  const merged = inputs.map((i) => ({ dir: i.dir, shard: i.record?.shard ?? '?', seeds: i.record?.seeds ?? '?' }));
  const seeds = [...new Set([...groups.values()].map((g) => g.seeds))].join(',');
  return { problems, missingRuns, expectedRuns, unit, record: { shard: '0/1', seeds, complete: problems.length === 0, merged } };
}

/**
 * The coverage's problems as a refusal, or (allowed) as a warning and the
 * marker for the summary; `marked` names the files that carry it.
 */
export function settleCoverage(
  coverage: Coverage,
  allowIncomplete: boolean,
  where: string,
  marked: string,
  warn: (line: string) => void,
): Incompleteness | undefined {
  if (coverage.problems.length === 0) return undefined;
  if (!allowIncomplete) {
    throw new InputError(
      `${where}: the inputs do not cover their seeds:\n  ${coverage.problems.join('\n  ')}\nMerge every shard of one split (or pass --allow-incomplete to merge anyway, marked incomplete)`,
    );
  }
  warn(
    `${where}: WARNING: merging an INCOMPLETE set (--allow-incomplete); ${coverage.missingRuns} of ${coverage.expectedRuns} ${coverage.unit}s missing; marked incomplete in ${marked}:\n  ${coverage.problems.join('\n  ')}\n`,
  );
  return { missingRuns: coverage.missingRuns, expectedRuns: coverage.expectedRuns, problems: coverage.problems };
}
