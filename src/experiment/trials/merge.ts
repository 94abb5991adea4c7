// Joining shard outputs: the union of their journals, de-duplicated by
// (spec hash, seed), with the curves files they kept. Inputs of different
// specs (or sweeps of different grids) are refused. A seed present in two
// inputs with different lines (another CPU's SIMD variant can round
// differently) keeps the first input's line and is reported.
import { InputError } from '../../core/input-error.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, type Spec } from '../spec.ts';
import { recordLine, type TrialRecord } from './record.ts';
import { readSweepIdentity, readSweepPlan, cellDir, SWEEP_FILE, type SweepPlan, type SweepIdentity } from './sweep.ts';
import { curvePath, readTrialsDir, SPEC_FILE } from './trials-dir.ts';

export interface MergedTrials {
  spec: Spec;
  specHash: string;
  /** Sorted by seed. */
  records: TrialRecord[];
  /** seed → the curves file's content, from whichever input kept it. */
  curves: Map<number, Uint8Array>;
  /** Seeds whose lines differed between inputs (the first input's line is kept). */
  conflicts: number[];
  /** Inputs whose journal ended in an interrupted line (dropped). */
  truncated: string[];
}

export type MergeInputKind = 'trials' | 'sweep';

export function inputKind(dirs: readonly string[]): MergeInputKind {
  const kinds = dirs.map((dir) => {
    if (existsSync(join(dir, SWEEP_FILE))) return 'sweep';
    if (existsSync(join(dir, SPEC_FILE))) return 'trials';
    throw new InputError(`merge: ${dir} is neither a trials directory (${SPEC_FILE}) nor a sweep directory (${SWEEP_FILE})`);
  });
  if (new Set(kinds).size > 1) throw new InputError(`merge: cannot mix trials and sweep directories (${dirs.map((d, i) => `${d}: ${kinds[i]}`).join(', ')})`);
  return kinds[0];
}

/** Merges trials directories of one spec; `where` names them in messages. */
export function mergeTrialsDirs(dirs: readonly string[], where = 'merge'): MergedTrials {
  if (dirs.length === 0) throw new InputError(`${where}: no input directories`);
  const inputs = dirs.map((dir) => readTrialsDir(dir));
  const hashes = [...new Set(inputs.map((i) => i.specHash))];
  if (hashes.length > 1) {
    throw new InputError(
      `${where}: the inputs hold different specs: ${inputs.map((i) => `${i.dir} (spec hash ${i.specHash})`).join(', ')}; merge only shards of one spec`,
    );
  }
  const bySeed = new Map<number, TrialRecord>();
  const curves = new Map<number, Uint8Array>();
  const conflicts: number[] = [];
  for (const input of inputs) {
    for (const record of input.records) {
      const have = bySeed.get(record.seed);
      if (!have) bySeed.set(record.seed, record);
      else if (recordLine(have) !== recordLine(record)) conflicts.push(record.seed);
      const path = curvePath(input.dir, record.seed);
      if (!curves.has(record.seed) && existsSync(path)) curves.set(record.seed, readFileSync(path));
    }
  }
  return {
    spec: inputs[0].spec,
    specHash: hashes[0],
    records: [...bySeed.values()].sort((a, b) => a.seed - b.seed),
    curves,
    conflicts,
    truncated: inputs.filter((i) => i.truncatedTail > 0).map((i) => i.dir),
  };
}

export interface MergedSweep {
  plan: SweepPlan;
  identity: SweepIdentity;
  cells: MergedTrials[];
}

export function mergeSweepDirs(dirs: readonly string[]): MergedSweep {
  const identities = dirs.map((dir) => readSweepIdentity(dir));
  const key = (i: SweepIdentity) => canonicalJson({ baseHash: i.baseHash, grid: i.grid });
  const distinct = [...new Set(identities.map(key))];
  if (distinct.length > 1) {
    throw new InputError(
      `merge: the inputs are different sweeps (base spec or grid differ): ${dirs.map((d, i) => `${d} (base ${identities[i].baseHash}, grid ${canonicalJson(identities[i].grid)})`).join(', ')}`,
    );
  }
  const plan = readSweepPlan(dirs[0]);
  const cells = plan.cells.map((cell) => {
    const present = dirs.map((d) => cellDir(d, cell)).filter((d) => existsSync(join(d, SPEC_FILE)));
    if (present.length === 0) return { spec: cell.spec, specHash: cell.specHash, records: [], curves: new Map(), conflicts: [], truncated: [] };
    return mergeTrialsDirs(present, `merge, cell ${cell.name}`);
  });
  return { plan, identity: identities[0], cells };
}
