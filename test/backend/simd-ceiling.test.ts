// $INFOPLANE_SIMD caps the addon's SIMD variants for a whole process (CI runs
// the kernel tests once with it set to scalar); a value that names no variant
// stops the addon from loading, with the reason.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addonCandidates } from '../../src/backend/native/addon.ts';

const load = (simd: string) =>
  spawnSync(process.execPath, ['-e', 'console.log(JSON.stringify(require(process.argv[1]).features()))', addonCandidates()[0]!], {
    encoding: 'utf8',
    env: { ...process.env, INFOPLANE_SIMD: simd },
  });

describe('INFOPLANE_SIMD', () => {
  it('scalar leaves only the scalar variant, chosen by default and by auto', () => {
    const child = load('scalar');
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ variant: 'scalar', variants: ['scalar'] });
  });

  it('a name that is no variant stops the load and says what is allowed', () => {
    const child = load('avx9000');
    expect(child.status).not.toBe(0);
    expect(child.stderr).toMatch(/INFOPLANE_SIMD must be scalar, avx2 or avx512/);
  });
});
