// The package as a user gets it: `npm pack`, install the tarball into a fresh
// project (its install script compiles the addon with cmake-js), then
// type-check and run README's API example against it. Slow (a tsc build and
// a C++ build), so it runs where INFOPLANE_PACK_TEST=1 (.ci/run sets it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';

const enabled = process.env.INFOPLANE_PACK_TEST === '1';
if (!enabled) console.warn('pack test skipped: set INFOPLANE_PACK_TEST=1 to pack, install and run the API example');

/** README's API example: the ts block after the `api-example` marker. */
function apiExample(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = readme.split('<!-- api-example')[1]?.match(/```ts\n([\s\S]*?)```/);
  if (!block) throw new Error('README.md has no api-example block');
  return block[1];
}

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });

describe.runIf(enabled)('the packed package', () => {
  it('installs from its tarball, type-checks and runs the README API example', () => {
    const root = mkdtempSync(join(tmpdir(), 'infoplane-pack-'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', root], repoRoot)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'bin/infoplane.js',
        'CMakeLists.txt',
        'binding.gyp',
        'native/addon.cc',
        'README.md',
        'LICENSE',
        'package.json',
      ]),
    );
    expect(files.filter((f) => /^(test|bench|src|\.ci)\//.test(f))).toEqual([]);

    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { infoplane: `file:../${packed[0].filename}` } }),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          typeRoots: [join(repoRoot, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['main.ts'],
      }),
    );
    writeFileSync(join(app, 'main.ts'), apiExample());
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
    expect(readdirSync(join(app, 'node_modules/infoplane/build/Release'))).toContain('infoplane.node');

    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    run(process.execPath, [tsc, '--noEmit', '-p', '.'], app);
    run(process.execPath, [tsc, '-p', '.'], app);
    const out = run(process.execPath, ['out/main.js'], app);
    expect(out).toMatch(/^h1: I\(X;T\) = [\d.]+ bits, I\(T;Y\) = [\d.]+ bits$/m);
    expect(out.trim().split('\n')).toHaveLength(3); // h1, h2, out
    expect(readdirSync(join(app, 'runs/api-example'))).toContain('summary.json');
  }, 900_000);
});
