// The bytes of a small pruned run, pinned by a stored digest of every output
// file (see test/fixtures/run-digest/README.md for how it was made).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
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

// The SIMD variants agree bit for bit, so the stored bytes (made on the
// fixture's variant) are expected from the variant this CPU picks and from the
// scalar one that every CPU runs, forced through the loader's INFOPLANE_SIMD.
describe('run output digest', () => {
  it.each(['auto', 'scalar'])('a pruned run writes the stored bytes (native, INFOPLANE_SIMD=%s)', (simd) => {
    const out = join(mkdtempSync(join(tmpdir(), 'infoplane-digest-')), 'run');
    const r = infoplane([...fixture.args, '--out', out], repoRoot, { INFOPLANE_SIMD: simd });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'timing.json'), 'utf8')).backend.detail).toMatch(simd === 'auto' ? /^\w+, / : /^scalar, /);
    expect(digests(out)).toEqual(fixture.files);
  });

  it('refuses a variant the CPU lacks, naming INFOPLANE_SIMD, before writing anything', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'infoplane-digest-')), 'run');
    const r = infoplane([...fixture.args, '--out', out], repoRoot, { INFOPLANE_SIMD: 'avx1024' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/INFOPLANE_SIMD: "avx1024" is not a variant of this CPU/);
    expect(existsSync(out)).toBe(false);
  });
});
