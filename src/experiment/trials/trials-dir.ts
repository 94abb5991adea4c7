// A trials directory: spec.json (the setting: the resolved spec without seed
// and threads), trials.jsonl (one line per finished seed), curves/ (full
// curves of kept runs), and the summary files written after each invocation.
// The stored spec is the directory's identity: a command with another spec
// (another hash) is refused, naming the fields that differ.
import { InputError } from '../../core/input-error.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, parseSpec, type Spec, specHash } from '../spec.ts';
import { writeFileAtomically } from '../../core/atomic-write.ts';
import { type JournalContents, JOURNAL_FILE, readJournal } from './journal.ts';
import { recordContext, relabelRecords, type TrialRecord } from './record.ts';

export const SPEC_FILE = 'spec.json';
export const CURVES_DIR = 'curves';

/** The spec as a trials directory stores it: no seed (each line has its own), no threads (results do not depend on them). */
export function storedSpec(spec: Spec): Record<string, unknown> {
  const { seed: _seed, threads: _threads, ...setting } = spec;
  return setting;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
}

/** spec.json's text: the stored spec with sorted keys, so every path to it (a run, a merge) writes the same bytes. */
export function specFileText(spec: Spec): string {
  return JSON.stringify(sortKeys(storedSpec(spec)), null, 2) + '\n';
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, path ? `${path}.${k}` : k, out);
  } else if (value !== undefined) out.set(path, canonicalJson(value));
}

/** "train.epochs: 20 here, 3 in the command" lines for the fields that differ. */
export function specDifferences(stored: unknown, wanted: unknown): string[] {
  const [a, b] = [new Map<string, string>(), new Map<string, string>()];
  flatten(stored, '', a);
  flatten(wanted, '', b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `spec.${k}: ${a.get(k) ?? '(absent)'} in the directory, ${b.get(k) ?? '(absent)'} in this command`);
}

function readStoredSpec(dir: string): { doc: unknown; spec: Spec } {
  const path = join(dir, SPEC_FILE);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${path}: not a readable spec (${(err as Error).message})`);
  }
  try {
    return { doc, spec: parseSpec(doc) };
  } catch (err) {
    throw new InputError(`${path}: the stored spec no longer validates: ${(err as Error).message}`);
  }
}

/**
 * Checks, without writing, that `dir` can hold trials of `spec`: absent,
 * empty, or a trials directory of the same spec hash. Returns whether it
 * already holds that spec.
 */
export function checkTrialsDir(dir: string, spec: Spec): 'new' | 'resume' {
  if (!existsSync(dir)) return 'new';
  if (!statSync(dir).isDirectory()) throw new InputError(`out: ${dir} exists and is not a directory`);
  if (!existsSync(join(dir, SPEC_FILE))) {
    const entries = readdirSync(dir).filter((e) => !e.startsWith('.'));
    if (entries.length === 0) return 'new';
    throw new InputError(`out: ${dir} is not empty and has no ${SPEC_FILE}: not a trials directory (give a new or empty --out)`);
  }
  const stored = readStoredSpec(dir);
  const [have, want] = [specHash(stored.spec), specHash(spec)];
  if (have !== want) {
    const diff = specDifferences(storedSpec(stored.spec), storedSpec(spec)).slice(0, 12);
    throw new InputError(
      `out: ${dir} holds trials of another spec (hash ${have}; this command's spec hashes to ${want}):\n  ${diff.join('\n  ')}\n` +
        `Use another --out, or the same spec to resume.`,
    );
  }
  return 'resume';
}

/** Creates the directory and its spec.json (first time only). */
export function initTrialsDir(dir: string, spec: Spec): void {
  mkdirSync(join(dir, CURVES_DIR), { recursive: true });
  const path = join(dir, SPEC_FILE);
  if (!existsSync(path)) writeFileAtomically(path, specFileText(spec));
}

export interface TrialsDirContents extends JournalContents {
  dir: string;
  spec: Spec;
  specHash: string;
}

/**
 * The hash journal lines of this directory carry when its spec.json was
 * written with amounts as text ("0.65"), before specs stored them as numbers:
 * the same setting, hashed from the text form. Null when nothing differs.
 */
export function legacyHash(doc: unknown, spec: Spec): string | null {
  const steps = (doc as { prune?: { steps?: { amount?: unknown }[] } } | null)?.prune?.steps;
  if (!Array.isArray(steps) || !steps.some((s) => typeof s?.amount === 'string')) return null;
  const asWritten = { ...spec, prune: { ...spec.prune, steps: spec.prune.steps.map((s, i) => ({ ...s, amount: steps[i]?.amount ?? s.amount })) } } as Spec;
  const hash = specHash(asWritten);
  return hash === specHash(spec) ? null : hash;
}

/**
 * The directory's journal lines as the current code reads them: lines under
 * the legacy hash of its own spec take the current hash, and every outcome is
 * recomputed under the current definitions (classify.ts). Nothing is rerun
 * and trials.jsonl is not rewritten: summaries and pages are.
 */
export function currentRecords(dir: string, records: readonly TrialRecord[]): TrialRecord[] {
  const { doc, spec } = readStoredSpec(dir);
  const [hash, legacy] = [specHash(spec), legacyHash(doc, spec)];
  const migrated = legacy === null ? records : records.map((r) => (r.specHash === legacy ? { ...r, specHash: hash } : r));
  return relabelRecords(migrated, recordContext(spec));
}

export function readTrialsDir(dir: string): TrialsDirContents {
  if (!existsSync(join(dir, SPEC_FILE))) throw new InputError(`${dir}: not a trials directory (no ${SPEC_FILE})`);
  const { spec } = readStoredSpec(dir);
  const journal = readJournal(join(dir, JOURNAL_FILE));
  return { dir, spec, specHash: specHash(spec), ...journal, records: currentRecords(dir, journal.records) };
}

export const curvePath = (dir: string, seed: number) => join(dir, CURVES_DIR, `seed-${seed}.json`);
