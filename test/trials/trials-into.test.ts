// runTrialsInto through the package's front door: one call from a spec and
// seeds to a trials directory, the same bytes `infoplane trials` writes.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, runTrialsInto, type TrialsIntoOptions } from '../../src/index.ts';
import { inProcess } from './cli.ts';

const root = mkdtempSync(join(tmpdir(), 'infoplane-trials-into-'));
const spec: TrialsIntoOptions['spec'] = { net: { hidden: [16, 8] }, train: { epochs: 2 }, data: { trainSize: 300, testSize: 200 } };
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('runTrialsInto', () => {
  it('runs the seeds into a directory with the files and summary of `infoplane trials`, and resumes it', async () => {
    const out = join(root, 'api');
    const { summary, stats } = await runTrialsInto({ spec, seeds: [1, 2], workers: 2, out });
    expect(stats).toMatchObject({ ran: 2, alreadyDone: 0, errors: 0 });
    expect(summary.runs).toBe(2);
    expect(read(out, 'trials.jsonl').trim().split('\n')).toHaveLength(2);
    const { units: _units, ...written } = JSON.parse(read(out, 'summary.json'));
    expect(written).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(existsSync(join(out, 'trials.html'))).toBe(true);

    const cli = join(root, 'cli');
    const r = await inProcess([
      'trials',
      '--seeds',
      '1..2',
      '--hidden',
      '16,8',
      '--epochs',
      '2',
      '--train-size',
      '300',
      '--test-size',
      '200',
      '--quiet',
      '--out',
      cli,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(read(out, 'summary.json')).toBe(read(cli, 'summary.json'));

    const again = await runTrialsInto({ spec, seeds: '1..2', out });
    expect(again.stats).toMatchObject({ ran: 0, alreadyDone: 2 });
    expect(read(out, 'summary.json')).toBe(read(cli, 'summary.json'));
  });

  it.each([
    ['a bad seed', { seeds: [1, -2] }, /--seeds: "-2" is not a non-negative integer/],
    ['a bad spec value', { spec: { ...spec, train: { epochs: 0 } } }, /spec\.train\.epochs/],
  ])('refuses %s with an InputError before creating the directory', async (_name, change, message) => {
    const out = join(root, 'never');
    const error = await runTrialsInto({ spec, seeds: [1], out, ...change } as TrialsIntoOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
