// How many kernel threads each trials worker gets.
import { describe, expect, it } from 'vitest';
import { workerKernelThreads } from '../../src/experiment/trials/run-trials.ts';

describe('workerKernelThreads', () => {
  it('shares out the cores the workers leave idle', () => {
    expect(workerKernelThreads(undefined, 1, 2)).toBe(2);
    expect(workerKernelThreads(undefined, 2, 2)).toBe(1);
    expect(workerKernelThreads(undefined, 3, 8)).toBe(2);
    expect(workerKernelThreads(undefined, 16, 8)).toBe(1);
  });

  it("keeps a spec's own thread count", () => {
    expect(workerKernelThreads(1, 1, 2)).toBe(1);
    expect(workerKernelThreads(4, 2, 2)).toBe(4);
  });
});
