// Input that once passed validation and then failed late, slowly or loudly:
// each is now refused while the spec is validated (exit 2), naming the field,
// quoting at most ~200 characters of the value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specFromFlags } from '../../src/cli/run-command.ts';
import type { SplitDataset } from '../../src/data/dataset.ts';
import { checkMemory, estimateMemory, MEMORY_LIMIT_ENV, memoryLimit } from '../../src/experiment/memory-estimate.ts';
import { InputError } from '../../src/core/input-error.ts';
import { parseSpec } from '../../src/experiment/spec.ts';
import { infoplane } from '../helpers/cli.ts';

const specError = (f: () => unknown): InputError => {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('no InputError');
};

/** A document nested `depth` arrays deep, built without recursion. */
function nested(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('spec documents are bounded in depth and size', () => {
  it('a spec nested 100 000 deep is refused, not a stack overflow', () => {
    expect(specError(() => parseSpec({ net: { hidden: nested(100_000) } })).message).toMatch(/^spec\.net\.hidden(\[0\]){30}: nested more than 32 levels deep$/);
  });

  it('a spec of 200 000 values is refused', () => {
    expect(specError(() => parseSpec({ prune: { steps: new Array(200_000).fill(0) } })).message).toBe(
      'spec: holds more than 100000 values; a spec is a small document',
    );
  });

  it('an unknown key with a 1 MB value is quoted to ~200 characters', () => {
    const message = specError(() => parseSpec({ net: { widths: 'w'.repeat(1_000_000) } })).message;
    expect(message.length).toBeLessThan(600);
    expect(message).toMatch(/^spec\.net: Unrecognized key: "widths", got \{"widths":"w{180,}… \(1000013 characters\)$/);
  });
});

describe('numeric limits are checked at validation', () => {
  it('--bin-width 1e-300 (its codes would overflow int32 at run time)', () => {
    expect(specError(() => specFromFlags({ binWidth: 1e-300 })).message).toMatch(
      /^spec\.mi\.binning\[0\]: width binning needs a finite bin width ≥ 1e-9 .*, got 1e-300$/,
    );
    expect(specFromFlags({ binWidth: 1e-9 }).mi.binning).toEqual(['width:1e-9']);
  });

  it('--mi-epochs log:1000000000 and --save-epochs log:1000000000', () => {
    expect(specError(() => specFromFlags({ miEpochs: 'log:1000000000' })).message).toBe(
      'spec.mi.epochs: log:K takes K ≤ 100001 (one point per epoch and the init), got "log:1000000000"',
    );
    expect(specError(() => specFromFlags({ save: 'weights', saveEpochs: '0,log:1000000000' })).message).toMatch(/^spec\.save\.epochs: log:K takes K ≤ 100001/);
    expect(specFromFlags({ miEpochs: 'log:100001' }).mi.epochs).toBe('log:100001');
  });
});

describe('a memory estimate is checked before the network is built', () => {
  const rows = (n: number) => ({ rows: n, features: 784, classes: 2 });
  const data = { train: rows(8000), test: rows(2000) } as unknown as SplitDataset;

  it('counts the net, optimizer state, data, batch and MI buffers', () => {
    const spec = parseSpec({ net: { hidden: [10] } });
    const params = 784 * 10 + 10 + 10 * 2 + 2;
    expect(estimateMemory(spec, data)).toEqual({
      net: (3 * params + 2 * 784 * 10) * 4,
      optimizer: 2 * params * 4,
      data: 10_000 * 785 * 4,
      batch: 4 * 128 * 12 * 4,
      mi: 2 * 10_000 * 12 * 4,
      total: (5 * params + 2 * 784 * 10) * 4 + 10_000 * 785 * 4 + 4 * 128 * 12 * 4 + 2 * 10_000 * 12 * 4,
    });
  });

  it('--hidden 65536,65536 exceeds a 16 GB limit and says by how much, naming each part', () => {
    const spec = parseSpec({ net: { hidden: [65536, 65536] } });
    expect(specError(() => checkMemory(spec, data, 16e9)).message).toMatch(
      /^spec\.net\.hidden \[65536,65536\]: the run needs about 98\.1 GB \(net 52\.6 GB, optimizer state 34\.8 GB, data 0\.03 GB, batch 0\.27 GB, MI buffers 10\.5 GB\), more than the limit of 16\.0 GB; raise it with --max-memory GB or INFOPLANE_MAX_MEMORY=GB$/,
    );
    expect(() => checkMemory(spec, data, 100e9)).not.toThrow();
  });

  it('the limit comes from INFOPLANE_MAX_MEMORY (GB) when set', () => {
    expect(memoryLimit({ [MEMORY_LIMIT_ENV]: '2.5' })).toBe(2.5e9);
    expect(specError(() => memoryLimit({ [MEMORY_LIMIT_ENV]: 'lots' })).message).toBe('INFOPLANE_MAX_MEMORY: expected a size in GB (> 0), got "lots"');
  });
});

describe('the CLI exits 2 before allocating', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infoplane-bounds-'));

  it('infoplane run --hidden 65536,65536', () => {
    const r = infoplane(['run', '--hidden', '65536,65536', '--epochs', '1', '--max-memory', '16', '--out', join(dir, 'big')]);
    expect(r.stderr).toMatch(/^infoplane: spec\.net\.hidden \[65536,65536\]: the run needs about \d+\.\d GB .* more than the limit of 16\.0 GB/);
    expect(r.status).toBe(2);
  });

  it('infoplane run --spec with a spec nested 100 000 deep, or of more than 1 MiB', () => {
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `{"net":{"hidden":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`);
    const r = infoplane(['run', '--spec', deep, '--out', join(dir, 'deep')]);
    expect(r.stderr).toMatch(/^infoplane: spec\.net\.hidden(\[0\])+: nested more than 32 levels deep\n$/);
    expect(r.status).toBe(2);
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, `{"seed":1,"x":"${'x'.repeat(2 << 20)}"}`);
    const h = infoplane(['run', '--spec', huge, '--out', join(dir, 'huge')]);
    expect(h.stderr).toBe(`infoplane: --spec: ${huge} is ${(2 << 20) + 17} bytes; a spec file is at most 1048576 (1 MiB)\n`);
    expect(h.status).toBe(2);
  });
});
