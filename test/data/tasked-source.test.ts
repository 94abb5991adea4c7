// The tasked source behind each run's split (src/experiment/data-source.ts):
// prepared once per setting, copied from by every seed, and handed to a
// trials pool's workers in shared memory so that none loads the files again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.ts';
import { type DataSpec, prepareSplitData, primeTaskedSource, sharedTaskedSource } from '../../src/experiment/data-source.ts';
import { writeIdxSet } from '../helpers/idx-files.ts';

const bytes = (ds: Dataset) => [
  Buffer.from(ds.x.buffer, ds.x.byteOffset, ds.x.byteLength),
  Buffer.from(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength),
];

describe("a setting's tasked source", () => {
  it('each seed splits it into arrays of its own; a thread primed with its shared copy splits the same rows without the files', () => {
    // One IDX pair in a directory of its own: a single set, split by seed.
    const dir = mkdtempSync(path.join(tmpdir(), 'infoplane-tasked-'));
    writeIdxSet(dir, 1000);
    const spec: DataSpec = { source: `idx:${dir}`, task: 'parity', split: 'stratified', trainSize: 800, testSize: 200 };
    const [one, two] = [1, 2].map((seed) => prepareSplitData(spec, seed));
    expect(one.train.x.buffer).not.toBe(two.train.x.buffer);
    expect(bytes(one.train)[0].equals(bytes(two.train)[0])).toBe(false);

    const entry = sharedTaskedSource();
    if (entry?.sets.kind !== 'single') throw new Error(`expected the single set just prepared, got ${entry?.sets.kind}`);
    expect(entry.sets.data.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(entry.sets.data.rows).toBe(1000);

    rmSync(dir, { recursive: true, force: true });
    // Another setting takes this thread's caches, as a worker starts with none: the files are gone, so
    // loading the source fails, and only the primed copy can serve the next split.
    prepareSplitData({ source: 'mnist', task: 'parity', split: 'stratified' }, 1);
    expect(() => prepareSplitData(spec, 2)).toThrow(/does not exist/);
    primeTaskedSource(structuredClone(entry)); // as a worker receives it: the arrays stay shared, not copied
    const again = prepareSplitData(spec, 2);
    // The kernels refuse shared memory: a run's arrays are always its own.
    expect(again.train.x.buffer).toBeInstanceOf(ArrayBuffer);
    for (const [half, a, b] of [
      ['train', again.train, two.train],
      ['test', again.test, two.test],
    ] as const) {
      const [ax, al] = bytes(a);
      const [bx, bl] = bytes(b);
      expect([half, ax.equals(bx), al.equals(bl)]).toEqual([half, true, true]);
    }
  });
});
