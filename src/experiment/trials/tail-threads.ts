// A run of a trials pool that goes alone may take the cores the other workers leave idle.
//
// Each worker runs its trials on `threads` kernel threads, and the pool was given
// `poolSize × threads` cores. While only one worker runs a job (the others done with
// an empty queue, or still starting), that run widens to the whole budget, capped at
// the machine's cores; the next job a worker starts sets its spec's own count again.
// Results do not depend on the kernel thread count, so this changes only when runs
// end. While two or more run, the count stays: the addon's thread pool is shared by
// the process's workers and runs one parallel kernel at a time.

/** The kernel threads a run may widen to while `running` jobs run, or undefined to stay as it is. */
export function tailThreads(running: number, poolSize: number, threads: number, cores: number): number | undefined {
  if (running !== 1 || poolSize < 2) return undefined;
  const widened = Math.min(cores, threads * poolSize);
  return widened > threads ? widened : undefined;
}
