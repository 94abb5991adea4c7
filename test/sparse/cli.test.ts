// The kernel choices at the command line: `run --kernels/--input-kernel`
// (spec fields `kernels`, `inputKernel`) change which kernels run, recorded in
// summary.json and timing.json, and never a result byte; `infoplane bench`
// measures sparse vs dense and writes its table, JSON and figure.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec, specHash } from '../../src/experiment/spec.ts';
import { infoplane } from '../helpers/cli.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'infoplane-sparse-cli-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const small = ['--epochs', '1', '--train-size', '600', '--test-size', '300', '--hidden', '64,8', '--seed', '4', '--threads', '1'];
const pruned = ['--prune', 'layer-weight', '--amount', '0.9', '--layers', '1'];

describe('infoplane run --kernels / --input-kernel', () => {
  it('sparse and dense kernels give byte-identical results; the summary records which ran', () => {
    const dir = tmp();
    const runs = {
      dense: infoplane(['run', ...small, ...pruned, '--kernels', 'dense', '--input-kernel', 'dense', '--out', join(dir, 'dense')]),
      csr: infoplane(['run', ...small, ...pruned, '--kernels', 'sparse', '--input-kernel', 'dense', '--out', join(dir, 'csr')]),
      auto: infoplane(['run', ...small, ...pruned, '--out', join(dir, 'auto')]),
    };
    for (const [name, r] of Object.entries(runs)) expect(r.status, `${name}: ${r.stderr}`).toBe(0);
    for (const f of ['metrics.jsonl', 'mi.jsonl', 'plots/information-plane.svg']) {
      expect(read(join(dir, 'csr'), f), f).toBe(read(join(dir, 'dense'), f));
      expect(read(join(dir, 'auto'), f), f).toBe(read(join(dir, 'dense'), f));
    }
    const kernels = (name: string) => JSON.parse(read(join(dir, name), 'summary.json')).kernels;
    expect(kernels('dense').layers.map((l: { kernel: string }) => l.kernel)).toEqual(['dense', 'dense', 'dense']);
    expect(kernels('csr')).toMatchObject({
      kernels: 'sparse',
      inputKernel: 'dense',
      layers: [{ layer: 1, kernel: 'csr', outputs: 64 }, { kernel: 'dense' }, { kernel: 'dense' }],
    });
    expect(kernels('csr').layers[0].weightDensity).toBeCloseTo(0.1, 3);
    // auto on the pruned first layer: the three candidates measured (MNIST is ≈19% non-zero), whichever won.
    // The timed choice itself lives in timing.json, so that summary.json stays byte-identical between runs of a seed.
    expect(kernels('auto')).toMatchObject({ kernels: 'auto', inputKernel: 'auto', layers: [{ kernel: 'timed at start-up (see timing.json)' }, {}, {}] });
    expect(JSON.parse(read(join(dir, 'auto'), 'timing.json')).kernels.layers[0].reason).toMatch(/^fastest measured/);
    expect(kernels('auto').inputDensity).toBeGreaterThan(0.1);
    expect(kernels('auto').inputDensity).toBeLessThan(0.3);
    // The measurements go to timing.json, never to summary.json.
    const auto = join(dir, 'auto');
    expect(Object.keys(JSON.parse(read(auto, 'timing.json')).kernels.layers[0].measured).sort()).toEqual(['csr', 'dense', 'input-sparse']);
    expect(kernels('auto').layers[0]).not.toHaveProperty('measured');
    expect(JSON.parse(read(join(dir, 'csr'), 'spec.json')).kernels).toBe('sparse');
  });

  it('rejects an unknown kernel choice, naming the field', () => {
    const r = infoplane(['run', ...small, '--kernels', 'fast', '--out', join(tmp(), 'x')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/spec\.kernels: .*got "fast"/);
    const s = infoplane(['run', ...small, '--input-kernel', 'csr', '--out', join(tmp(), 'y')]);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/spec\.inputKernel: .*got "csr"/);
  });

  it('the kernel choices are not part of the spec hash (like the thread count)', () => {
    expect(specHash(parseSpec({ kernels: 'sparse', inputKernel: 'dense' }))).toBe(specHash(parseSpec({})));
  });
});

describe('infoplane bench', () => {
  it('measures a given shape: table, crossover, JSON and an SVG figure with text', () => {
    const dir = tmp();
    const r = infoplane([
      'bench',
      '--only',
      'layers,neurons',
      '--shape',
      '48x40,5x48',
      '--batch',
      '16',
      '--sparsity',
      '0,0.9,0.99',
      '--neurons',
      '0.5',
      '--threads',
      '1',
      '--min-time',
      '0',
      '--json',
      join(dir, 'b.json'),
      '--plot',
      join(dir, 'b.svg'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Unstructured masks/);
    expect(r.stdout).toMatch(/crossover sparsity/);
    expect(r.stdout).toMatch(/40→48 +16 +1 +90%/);
    const json = JSON.parse(read(dir, 'b.json'));
    expect(json.unstructured).toHaveLength(6);
    expect(json.structured).toHaveLength(2);
    expect(json.crossovers.map((c: { shape: string }) => c.shape)).toEqual(['40→48', '48→5']);
    for (const u of json.unstructured) expect(u.speedup.total).toBeGreaterThan(0);
    const svg = read(dir, 'b.svg');
    expect(svg).toMatch(/<svg/);
    expect(svg).toMatch(/speed-up over dense/);
  });

  it.each([
    [['--shape', '10by20'], /--shape: expected OUTxIN/],
    [['--sparsity', '0.5,1.5'], /--sparsity: expected fractions in \[0, 1\], got "1.5"/],
    [['--only', 'gemm'], /--only: unknown section "gemm"/],
    [['--plot', 'figure.gif'], /--plot: expected a .svg or .png file/],
    [['--threads', '0'], /--threads: expected integers in \[1, 256\], got "0"/],
  ])('rejects %j as a usage error', (args, message) => {
    const r = infoplane(['bench', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
