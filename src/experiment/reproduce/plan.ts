// A reproduction directory:
//
//   reproduction-plan.json   the options and every setting with its spec hash:
//                            the directory's identity (resume, merge)
//   settings/<id>/           one trials directory per setting (spec.json,
//                            trials.jsonl, curves/, summary.json): each
//                            resumable, mergeable, replayable on its own
//   reproduction.json, reproduction.html, plots/   written after each invocation
//   timing.json              wall time of each invocation (quoted on the page;
//                            everything else is a function of settings and seeds)
//
// The same command over the same --out resumes: the settings must be the same
// specs (epochs, subset and amounts fix them); the seed count may grow.
// Shards (`--shard i/N`) write their own directories; `--merge` joins them.
import { InputError } from '../../core/input-error.ts';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Spec, specHash } from '../spec.ts';
import { writeFileAtomically } from '../../core/atomic-write.ts';
import { type MergedTrials, mergeTrialsDirs } from '../trials/merge.ts';
import { checkCoverage, type Coverage, readShardRecord } from '../trials/shard-record.ts';
import { readTrialsDir, SPEC_FILE } from '../trials/trials-dir.ts';
import type { SettingRuns } from './evaluate.ts';
import { plannedJobs, type ReportName, type ReproductionOptions, type ReproductionSetting, settingSpec } from './settings.ts';
import { plannedSettings } from './varied-settings.ts';
import type { VaryAxis, VaryScope } from './variations.ts';

export const PLAN_FILE = 'reproduction-plan.json';
export const SETTINGS_DIR = 'settings';
export const TIMING_FILE = 'timing.json';

export interface PlannedSetting extends ReproductionSetting {
  specHash: string;
}

export interface ReproductionPlan {
  report: ReportName;
  options: { seeds: number; epochs: number; weightAmounts: number[]; neuronAmounts: number[]; subset: number | null; vary: VaryAxis[]; varyScope: VaryScope };
  settings: PlannedSetting[];
}

export const settingDir = (out: string, id: string) => join(out, SETTINGS_DIR, id);

/** The plan of the options, with every setting's validated spec. */
export function buildPlan(options: ReproductionOptions): { plan: ReproductionPlan; specs: Spec[] } {
  const settings = plannedSettings(options);
  const specs = settings.map((s) => {
    try {
      return settingSpec(s, options);
    } catch (err) {
      // A variation's value the spec refuses (e.g. a subset larger than the varied data set): name the variation.
      if (err instanceof InputError && s.variation !== null) throw new InputError(`--vary ${s.variation}`, `setting ${s.of}: ${err.message}`);
      throw err;
    }
  });
  return {
    plan: {
      report: options.report,
      options: {
        seeds: options.seeds,
        epochs: options.epochs,
        weightAmounts: [...options.weightAmounts],
        neuronAmounts: [...options.neuronAmounts],
        subset: options.subset ?? null,
        vary: options.vary.map((a) => ({ key: a.key, values: [...a.values] })),
        varyScope: options.varyScope,
      },
      settings: settings.map((s, i) => ({ ...s, specHash: specHash(specs[i]) })),
    },
    specs,
  };
}

/** A plan file; one written before variations existed reads as a plan without them. */
export function readPlan(dir: string): ReproductionPlan {
  const path = join(dir, PLAN_FILE);
  try {
    const plan = JSON.parse(readFileSync(path, 'utf8')) as ReproductionPlan;
    return {
      ...plan,
      options: { ...plan.options, vary: plan.options.vary ?? [], varyScope: plan.options.varyScope ?? 'all' },
      settings: plan.settings.map((s) => ({ ...s, of: s.of ?? s.id, variation: s.variation ?? null, vary: s.vary ?? {} })),
    };
  } catch (err) {
    throw new InputError(`${path}: not a readable reproduction plan (${(err as Error).message})`);
  }
}

/** "epochs 10 here, 5 in this command"-style lines for settings that differ; empty when the specs match. */
export function planDifferences(have: ReproductionPlan, want: ReproductionPlan): string[] {
  const lines: string[] = [];
  if (have.report !== want.report) lines.push(`report: ${have.report} in the directory, ${want.report} in this command`);
  for (const key of ['epochs', 'subset', 'weightAmounts', 'neuronAmounts', 'vary', 'varyScope'] as const) {
    const [a, b] = [JSON.stringify(have.options[key]), JSON.stringify(want.options[key])];
    if (a !== b) lines.push(`${key}: ${a} in the directory, ${b} in this command`);
  }
  const hashes = (p: ReproductionPlan) => p.settings.map((s) => `${s.id}:${s.specHash}`).join(',');
  if (lines.length === 0 && hashes(have) !== hashes(want))
    lines.push(`the settings' specs differ (another version of infoplane?): ${hashes(have)} in the directory, ${hashes(want)} in this command`);
  return lines;
}

/** Read-only check that `dir` can hold this plan: absent, empty, or a reproduction of the same settings. */
export function checkPlanDir(dir: string, plan: ReproductionPlan): 'new' | 'resume' {
  if (!existsSync(dir)) return 'new';
  if (!statSync(dir).isDirectory()) throw new InputError(`out: ${dir} exists and is not a directory`);
  if (!existsSync(join(dir, PLAN_FILE))) {
    if (readdirSync(dir).filter((e) => !e.startsWith('.')).length === 0) return 'new';
    throw new InputError(`out: ${dir} is not empty and has no ${PLAN_FILE}: not a reproduction directory (give a new or empty --out)`);
  }
  const diff = planDifferences(readPlan(dir), plan);
  if (diff.length)
    throw new InputError(
      `out: ${dir} holds another reproduction:\n  ${diff.join('\n  ')}\nUse another --out, or the same options to resume (--seeds may change).`,
    );
  return 'resume';
}

/** Writes the plan; on resume keeps the larger seed counts, so the plan never promises fewer runs than were made. */
export function writePlan(dir: string, plan: ReproductionPlan): ReproductionPlan {
  const path = join(dir, PLAN_FILE);
  let out = plan;
  if (existsSync(path)) {
    const have = readPlan(dir);
    out = {
      ...plan,
      options: { ...plan.options, seeds: Math.max(plan.options.seeds, have.options.seeds) },
      settings: plan.settings.map((s, i) => ({ ...s, seeds: Math.max(s.seeds, have.settings[i]?.seeds ?? 0) })),
    };
  }
  writeFileAtomically(path, JSON.stringify(out, null, 2) + '\n');
  return out;
}

/** Every setting's journal (an absent directory: no runs yet). */
export function readSettingRuns(dir: string, plan: ReproductionPlan): SettingRuns[] {
  return plan.settings.map((setting) => {
    const sdir = settingDir(dir, setting.id);
    if (!existsSync(join(sdir, SPEC_FILE))) return { setting, records: [] };
    return { setting, records: readTrialsDir(sdir).records.filter((r) => r.specHash === setting.specHash) };
  });
}

export interface MergedReproduction {
  plan: ReproductionPlan;
  /** Per setting (plan order): the merged journal and curves. */
  settings: MergedTrials[];
}

/** Joins reproduction directories (shards) of the same plan; each setting's trials directories are merged as `infoplane merge` does. */
export function mergeReproductionDirs(dirs: readonly string[]): MergedReproduction {
  if (dirs.length === 0) throw new InputError('reproduce --merge: no input directories');
  const plans = dirs.map((d) => {
    if (!existsSync(join(d, PLAN_FILE))) throw new InputError(`reproduce --merge: ${d} is not a reproduction directory (no ${PLAN_FILE})`);
    return readPlan(d);
  });
  plans.forEach((p, i) => {
    const diff = planDifferences(plans[0], p);
    if (diff.length) throw new InputError(`reproduce --merge: ${dirs[i]} is another reproduction than ${dirs[0]}:\n  ${diff.join('\n  ')}`);
  });
  const plan: ReproductionPlan = {
    ...plans[0],
    options: { ...plans[0].options, seeds: Math.max(...plans.map((p) => p.options.seeds)) },
    settings: plans[0].settings.map((s, i) => ({ ...s, seeds: Math.max(...plans.map((p) => p.settings[i].seeds)) })),
  };
  const settings = plan.settings.map((s) => {
    const present = dirs.map((d) => settingDir(d, s.id)).filter((d) => existsSync(join(d, SPEC_FILE)));
    if (present.length === 0) {
      const spec = settingSpec(s, { epochs: plan.options.epochs, subset: plan.options.subset ?? undefined });
      return { spec, specHash: s.specHash, records: [], curves: new Map<number, Uint8Array>(), conflicts: [], truncated: [] };
    }
    return mergeTrialsDirs(present, `reproduce --merge, setting ${s.id}`);
  });
  return { plan, settings };
}

/** Whether the inputs' shards cover their plans' (setting, seed) runs (see trials/shard-record.ts). */
export function reproductionCoverage(dirs: readonly string[], merged: MergedReproduction): Coverage {
  const key = (id: string, seed: number) => `${id}/seed ${seed}`;
  const present = new Set(merged.settings.flatMap((m, i) => m.records.map((r) => key(merged.plan.settings[i].id, r.seed))));
  const inputs = dirs.map((dir) => {
    const record = readShardRecord(dir);
    const plan = readPlan(dir);
    return { dir, record, runs: record ? plannedJobs(plan.settings).map((j) => key(plan.settings[j.setting].id, j.seed)) : null };
  });
  return checkCoverage(inputs, present, 'run');
}

export interface InvocationTiming {
  /** Runs finished by this invocation. */
  ran: number;
  seconds: number;
  workers: number;
  /** Mean wall seconds of one run in this invocation. */
  secondsPerRun: number | null;
  shard: string | null;
}

export function readTiming(dir: string): InvocationTiming[] {
  const path = join(dir, TIMING_FILE);
  if (!existsSync(path)) return [];
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { invocations?: InvocationTiming[] };
    return Array.isArray(doc.invocations) ? doc.invocations : [];
  } catch {
    return [];
  }
}
