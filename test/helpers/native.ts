// The native addon as the backend tests use it: loaded once per test file
// (vitest runs each file in its own process), with its SIMD variant and thread
// count put back after every test, since both are process-wide settings.
import { afterEach } from 'vitest';
import { requireNativeAddon } from '../../src/backend/native/addon.ts';

/** Throws the loader's own explanation (how to build the addon) when it is missing. */
export const addon = requireNativeAddon();

/** Every SIMD variant this CPU runs, e.g. ['scalar', 'avx2', 'avx512']. */
export const VARIANTS: readonly string[] = addon.features().variants;

/** The thread count the addon chose at load (the machine's cores). */
export const DEFAULT_THREADS: number = addon.features().threads;

/** Registers an afterEach that restores variant 'auto' and the load-time thread count. */
export function restoreNativeSettingsAfterEach(): void {
  afterEach(() => {
    addon.setVariant('auto');
    addon.setThreads(DEFAULT_THREADS);
  });
}
