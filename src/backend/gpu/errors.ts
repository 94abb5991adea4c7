// The gpu backend was asked for but cannot run here: a usage problem (the CLI
// exits 2), with a message saying what is missing and how to install it.
export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
}
