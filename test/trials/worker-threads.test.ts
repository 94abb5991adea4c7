// How many kernel threads each trials worker gets.
import { describe, expect, it } from 'vitest';
import { workerKernelThreads } from '../../src/experiment/trials/run-trials.ts';
import { tailThreads } from '../../src/experiment/trials/tail-threads.ts';

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

describe('tailThreads', () => {
  it('widens the last running worker to the cores the pool was given', () => {
    expect(tailThreads(1, 2, 1, 2)).toBe(2);
    expect(tailThreads(1, 4, 2, 16)).toBe(8);
  });

  it('never past the machine, and not while another worker still runs', () => {
    expect(tailThreads(1, 4, 1, 2)).toBe(2);
    expect(tailThreads(2, 2, 1, 2)).toBeUndefined();
    expect(tailThreads(3, 4, 1, 8)).toBeUndefined();
  });

  it('leaves a pool of one, or one already on every core, as it is', () => {
    expect(tailThreads(1, 1, 1, 2)).toBeUndefined();
    expect(tailThreads(1, 2, 2, 2)).toBeUndefined();
  });
});
