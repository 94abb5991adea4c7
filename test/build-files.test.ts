// CMakeLists.txt (cmake-js, the install step) and binding.gyp (node-gyp) must
// build the same sources with the same defines and code-generation flags.
// .ci/run builds with both and loads each result.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.ts';

// Without comments, which explain the flags that are deliberately absent.
const cmake = readFileSync(join(repoRoot, 'CMakeLists.txt'), 'utf8').replace(/#.*$/gm, '');
const gyp = JSON.parse(readFileSync(join(repoRoot, 'binding.gyp'), 'utf8')).targets[0];

function cmakeList(name: string): string[] {
  const m = new RegExp(`set\\(${name}\\s+([^)]*)\\)`).exec(cmake);
  if (!m) throw new Error(`CMakeLists.txt has no set(${name} ...)`);
  return m[1].split(/\s+/).filter(Boolean);
}

function nativeSources(dir = 'native'): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? nativeSources(`${dir}/${e.name}`) : e.name.endsWith('.cc') ? [`${dir}/${e.name}`] : [],
  );
}

describe('the two build files', () => {
  it('list the same sources, and every .cc under native/', () => {
    expect(gyp.sources).toEqual(cmakeList('INFOPLANE_SOURCES'));
    expect([...gyp.sources].sort()).toEqual(nativeSources().sort());
  });

  it('use the same defines and code-generation flags', () => {
    for (const define of gyp.defines) expect(cmake).toContain(define);
    for (const flag of ['-O3', '-ffp-contract=off', '-fno-math-errno']) {
      expect(gyp.cflags_cc).toContain(flag);
      expect(cmake).toContain(flag);
    }
    expect(`${cmake}\n${JSON.stringify(gyp)}`).not.toMatch(/-march=|-ffast-math/);
  });
});
