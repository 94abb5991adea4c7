// The bytes of a small pruned run, pinned by a stored digest of every output
// file (see test/fixtures/run-digest/README.md for how it was made).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/backend/native/addon.ts';
import { infoplane, repoRoot } from '../helpers/cli.ts';

const fixture = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/run-digest/digests.json'), 'utf8')) as {
  args: string[];
  variant: string;
  files: Record<string, string>;
};

function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'timing.json') out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const variant = loadNativeAddon().addon?.features().variant;

describe('run output digest', () => {
  it.skipIf(variant !== fixture.variant)(`a pruned run writes the stored bytes (native ${fixture.variant})`, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'infoplane-digest-')), 'run');
    const r = infoplane([...fixture.args, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(digests(out)).toEqual(fixture.files);
  });
});
