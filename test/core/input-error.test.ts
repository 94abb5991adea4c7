// The one input-error type: where the problem is, what it is, the value quoted
// but never more than ~200 characters of it.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDirectoryAtomically, writeFileAtomically } from '../../src/core/atomic-write.ts';
import { InputError, quote } from '../../src/core/input-error.ts';

describe('InputError', () => {
  it('keeps where and the problem apart, from two arguments or one message', () => {
    const a = new InputError('spec.train.lr', 'must be > 0, got -1');
    const b = new InputError('spec.train.lr: must be > 0, got -1');
    for (const e of [a, b]) {
      expect([e.name, e.where, e.problem, e.message]).toEqual(['InputError', 'spec.train.lr', 'must be > 0, got -1', 'spec.train.lr: must be > 0, got -1']);
    }
  });

  it('quotes a huge value cut to about 200 characters', () => {
    expect(quote('abc')).toBe('"abc"');
    const long = quote(new Array(10_000).fill(1.5));
    expect(long.length).toBeLessThan(240);
    expect(long).toMatch(/^\[1\.5,1\.5,.*… \(40001 characters\)$/);
  });
});

describe('atomic writes', () => {
  it('leaves only the final names, and refuses an existing directory without force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-atomic-'));
    writeFileAtomically(join(dir, 'a.json'), '{}\n');
    writeDirectoryAtomically(join(dir, 'run'), { 'x.txt': 'x', 'plots/y.svg': new Uint8Array([60, 62]) });
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'run']);
    expect(readFileSync(join(dir, 'run/plots/y.svg'), 'utf8')).toBe('<>');
    expect(() => writeDirectoryAtomically(join(dir, 'run'), {})).toThrow(/^out: .*already exists/);
    writeDirectoryAtomically(join(dir, 'run'), { 'z.txt': 'z' }, { force: true });
    expect(readdirSync(join(dir, 'run'))).toEqual(['z.txt']);
  });
});
