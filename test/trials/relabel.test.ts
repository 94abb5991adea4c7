// Journals written under earlier definitions: old lines relabel under the
// current ones on reading (no seed rerun), and directories whose spec.json
// stored amounts as text keep their identity.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec, specHash } from '../../src/experiment/spec.ts';
import { checkTrialsDir, readTrialsDir } from '../../src/experiment/trials/trials-dir.ts';

// The hash the previous CLI gave `--epochs 3 --prune global-weight --amount 0.65`, whose spec kept the
// amount as the text "0.65". Computed with that version's specHash (git history of src/experiment/spec.ts).
const LEGACY_HASH = 'a343e65c070365c7';
const CLI_FORM = { train: { epochs: 3 }, prune: { steps: [{ mode: 'global-weight', amount: '0.65' }] } };
const FILE_FORM = { train: { epochs: 3 }, prune: { steps: [{ mode: 'global-weight', amount: 0.65 }] } };

/** A journal line as the previous version wrote it: old labels, no class rates, no predicted-class fractions. */
function oldLine(seed: number, testAcc: number, h4: number[], outcome: { accuracy: string; h4: string }) {
  const epochs = h4.map((_, e) => e);
  const trajectory = (ixt: number[]) => ({
    ixt0: ixt[0],
    peakIxt: Math.max(...ixt),
    peakEpoch: ixt.indexOf(Math.max(...ixt)),
    minIxtAfterPeak: null,
    finalEpoch: ixt.length - 1,
    finalIxt: ixt.at(-1),
    finalIty: 0.9,
    finalHt: ixt.at(-1),
    ceilingX: 13.287712379549449,
  });
  const out = h4.map(() => 1);
  return {
    specHash: LEGACY_HASH,
    seed,
    status: 'ok',
    outcome: {
      accuracy: outcome.accuracy,
      planes: { h4: outcome.h4, out: 'no-compression' },
      combination: `${outcome.accuracy} h4:${outcome.h4} out:no-compression`,
    },
    epochs: 3,
    final: { epoch: 3, trainLoss: 0.3, trainAcc: testAcc, testLoss: 0.3, testAcc },
    bestTestAcc: testAcc,
    testMajorityRate: 0.507,
    pruning: { layers: [], kept: 1, total: 2, collapse: false },
    mi: { 'fixed:30': { h4: trajectory(h4), out: trajectory(out) } },
    curve: { testAcc: [testAcc], estimator: 'fixed:30', miEpochs: epochs, ixt: { h4, out }, ity: { h4: h4.map(() => 0.9), out: out.map(() => 0.5) } },
  };
}

describe('spec identity', () => {
  it('gives the CLI form ("0.65") and the file form (0.65) one hash and one stored value', () => {
    const [cli, file] = [parseSpec(CLI_FORM), parseSpec(FILE_FORM)];
    expect(cli.prune.steps[0].amount).toBe(0.65);
    expect(specHash(cli)).toBe(specHash(file));
    expect(specHash(cli)).not.toBe(LEGACY_HASH);
  });

  it('keeps a count of one apart from the fraction 1.0, and writes other counts as numbers', () => {
    const amount = (a: number | string) => parseSpec({ prune: { steps: [{ mode: 'global-weight', amount: a }] } }).prune.steps[0].amount;
    expect(amount('1')).toBe('1');
    expect(amount(1)).toBe(1);
    expect(amount('1.0')).toBe(1);
    expect(amount('65')).toBe(65);
    expect(amount('0')).toBe(0);
  });
});

describe('an old trials directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infoplane-relabel-'));
  // spec.json as the previous CLI wrote it: the amount as text.
  const stored = { ...parseSpec(FILE_FORM), prune: { steps: [{ mode: 'global-weight', amount: '0.65' }], pruneBias: false } } as Record<string, unknown>;
  delete stored.seed;
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(stored, null, 2) + '\n');
  const lines = [
    // The minority-class predictor (0.493 against a majority rate of 0.507): was degraded, is chance.
    oldLine(1, 0.493, [12, 13, 12.9, 12.95], { accuracy: 'degraded', h4: 'no-compression' }),
    // A dip at epoch 2 that recovers: was compression, is not.
    oldLine(2, 0.96, [12, 13, 11, 12.9], { accuracy: 'trained', h4: 'compression' }),
    // A fall that holds: compression under both.
    oldLine(3, 0.96, [12, 13, 12, 12.1], { accuracy: 'trained', h4: 'compression' }),
  ];
  writeFileSync(join(dir, 'trials.jsonl'), lines.map((l) => JSON.stringify(l) + '\n').join(''));

  it('resumes under the command that wrote it (the text and the number hash alike now)', () => {
    expect(checkTrialsDir(dir, parseSpec(CLI_FORM))).toBe('resume');
    expect(checkTrialsDir(dir, parseSpec(FILE_FORM))).toBe('resume');
  });

  it('relabels every line under the current definitions, without rerunning, and takes the old hash as the spec’s', () => {
    const contents = readTrialsDir(dir);
    expect(contents.records.map((r) => r.specHash)).toEqual([contents.specHash, contents.specHash, contents.specHash]);
    expect(contents.records.map((r) => [r.seed, r.outcome.accuracy, r.outcome.planes.h4])).toEqual([
      [1, 'chance', 'no-compression'],
      [2, 'trained', 'no-compression'],
      [3, 'trained', 'compression'],
    ]);
    expect(contents.records[1].outcome.combination).toBe('trained h4:no-compression out:no-compression');
  });
});
