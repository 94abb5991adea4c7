// A stored digest of a default run's outputs: speed work on the training step,
// evaluation and the MI forward must leave every byte the same. Two runs of
// the default spec (784-1024-20-20-20-2 tanh, Adam, batch 128, MI every epoch
// on all 10 000 samples, fixed:30), 2 epochs each: unpruned, and the seed
// experiment's 65% global weight pruning (compaction and the sparse kernel
// families in play). The digest covers the per-epoch metrics, every
// information-plane point and the saved final weights and biases.
//
// The digests were taken from the code as it stood before the first-layer
// weights moved into the input-sparse layout; a change that alters any output
// bit changes them. Different SIMD variants give the same bytes (tested in
// test/train/determinism.test.ts), so the digest holds on any x86 machine.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/run.ts';
import { parseSpec } from '../../src/experiment/spec.ts';

function digest(prune: boolean): string {
  const spec = parseSpec({
    train: { epochs: 2 },
    backend: 'native',
    prune: { steps: prune ? [{ mode: 'global-weight', amount: 0.65 }] : [] },
    save: { what: ['weights'], epochs: '2' },
  });
  const result = runExperiment(spec);
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ history: result.history, mi: result.mi }));
  const names = Object.keys(result.arrays ?? {}).sort();
  expect(names.filter((n) => n.endsWith('.npy')).length).toBeGreaterThan(0);
  for (const name of names) hash.update(name).update(result.arrays![name]);
  return hash.digest('hex');
}

describe('a default run gives the stored bytes', () => {
  it('unpruned, 2 epochs', () => {
    expect(digest(false)).toBe('2755c36a9a924f41dc78be4c6afe33efae723500109f0e7382d7b2e737d53925');
  });
  it('65% global weight pruning, 2 epochs', () => {
    expect(digest(true)).toBe('6f87304999b077214cc406c0a59e077c0af6b2762482531492649f7fabfc90ec');
  });
});
