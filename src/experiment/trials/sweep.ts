// A sweep: a grid of specs × a seed list, run as trials with one trials
// directory per grid cell (cells/<cell name>/, each resumable on its own).
// sweep.json holds the base spec and the grid: the sweep's identity, checked
// like a trials directory's spec.json. Shards split the (cell, seed) pairs,
// cell-major, by position mod N, so every shard gets a share of every
// expensive corner of the grid.
import { InputError } from '../../core/input-error.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, parseSpec, type Spec, specHash } from '../spec.ts';
import { writeFileAtomically } from '../../core/atomic-write.ts';
import { cellDocument, checkGrid, type GridAxis, type GridCell, gridCells, parseGridArg } from './grid.ts';
import type { TrialJob, TrialsTarget } from './run-trials.ts';
import { type Shard, shardItems } from './shard.ts';
import { storedSpec } from './trials-dir.ts';

export const SWEEP_FILE = 'sweep.json';
export const CELLS_DIR = 'cells';

export interface SweepCell extends GridCell {
  spec: Spec;
  specHash: string;
}

export interface SweepPlan {
  base: Spec;
  axes: GridAxis[];
  cells: SweepCell[];
}

/** What sweep.json holds. */
export interface SweepIdentity {
  baseHash: string;
  grid: { key: string; values: string[] }[];
  base: Record<string, unknown>;
  cells: { name: string; specHash: string }[];
}

/** Builds and validates every cell's spec; a bad cell is an InputError naming it. */
export function planSweep(base: Spec, axes: GridAxis[]): SweepPlan {
  checkGrid(axes);
  const cells = gridCells(axes).map((cell) => {
    const document = { ...cellDocument(storedSpec(base), cell), seed: base.seed };
    let spec: Spec;
    try {
      spec = parseSpec(document);
    } catch (err) {
      throw new InputError(`grid cell ${cell.name}`, (err as Error).message);
    }
    return { ...cell, spec, specHash: specHash(spec) };
  });
  return { base, axes, cells };
}

export function sweepIdentity(plan: SweepPlan): SweepIdentity {
  return {
    baseHash: specHash(plan.base),
    grid: plan.axes.map((a) => ({ key: a.key, values: a.texts })),
    base: storedSpec(plan.base),
    cells: plan.cells.map((c) => ({ name: c.name, specHash: c.specHash })),
  };
}

export const cellDir = (dir: string, cell: { name: string }) => join(dir, CELLS_DIR, cell.name);

export function readSweepIdentity(dir: string): SweepIdentity {
  const path = join(dir, SWEEP_FILE);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SweepIdentity;
  } catch (err) {
    throw new InputError(`${path}: not a readable sweep file (${(err as Error).message})`);
  }
}

/** The plan a sweep directory was made with, rebuilt from its sweep.json. */
export function readSweepPlan(dir: string): SweepPlan {
  const identity = readSweepIdentity(dir);
  const base = parseSpec(identity.base);
  return planSweep(
    base,
    identity.grid.map((g) => parseGridArg(`${g.key}=${g.values.join(',')}`)),
  );
}

/** Read-only check that `dir` can hold this sweep: absent, empty, or the same base spec and grid. */
export function checkSweepDir(dir: string, plan: SweepPlan): 'new' | 'resume' {
  if (!existsSync(dir)) return 'new';
  if (!statSync(dir).isDirectory()) throw new InputError(`out: ${dir} exists and is not a directory`);
  if (!existsSync(join(dir, SWEEP_FILE))) {
    if (readdirSync(dir).filter((e) => !e.startsWith('.')).length === 0) return 'new';
    throw new InputError(`out: ${dir} is not empty and has no ${SWEEP_FILE}: not a sweep directory (give a new or empty --out)`);
  }
  const have = readSweepIdentity(dir);
  const want = sweepIdentity(plan);
  if (have.baseHash !== want.baseHash || canonicalJson(have.grid) !== canonicalJson(want.grid)) {
    const what =
      have.baseHash !== want.baseHash
        ? `base spec hash ${have.baseHash}, this command's ${want.baseHash}`
        : `grid ${canonicalJson(have.grid)}, this command's ${canonicalJson(want.grid)}`;
    throw new InputError(`out: ${dir} holds another sweep (${what}); use another --out, or the same spec and grid to resume`);
  }
  return 'resume';
}

export function initSweepDir(dir: string, plan: SweepPlan): void {
  mkdirSync(join(dir, CELLS_DIR), { recursive: true });
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path)) writeFileAtomically(path, JSON.stringify(sweepIdentity(plan), null, 2) + '\n');
}

export function sweepTargets(dir: string, plan: SweepPlan): TrialsTarget[] {
  return plan.cells.map((cell) => ({ dir: cellDir(dir, cell), spec: cell.spec, label: `grid cell ${cell.name}` }));
}

/** (cell, seed) pairs in cell-major order, then this shard's share. */
export function sweepJobs(plan: SweepPlan, seeds: readonly number[], shard: Shard): TrialJob[] {
  const all = plan.cells.flatMap((_, target) => seeds.map((seed) => ({ target, seed })));
  return shardItems(all, shard);
}
