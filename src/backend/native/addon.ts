// Loads the compiled addon and explains itself: which file, which SIMD variant,
// and, when it cannot load, why and how to build it. INFOPLANE_SIMD=scalar|avx2|
// avx512|auto forces a variant at load, in every process and worker thread
// that loads the addon (child processes of tests and CI included); the variants
// agree bit for bit, so forcing one changes speed, never results.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/input-error.ts';
import type { DenseKernels, SparseKernels } from '../kernels.ts';

export interface NativeFeatures {
  variant: string;
  variants: string[];
  threads: number;
}

export interface NativeAddon extends DenseKernels, SparseKernels {
  features(): NativeFeatures;
  setVariant(name: string): void;
  setThreads(threads: number): void;
}

// src/backend/native (sources) and dist/backend/native (compiled) both sit three levels below the package root.
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const candidates = ['build/Release/infoplane.node', 'build/Debug/infoplane.node'].map((p) => resolve(packageRoot, p));

export const SIMD_ENV = 'INFOPLANE_SIMD';

let cached: { addon?: NativeAddon; path?: string; error?: string } | undefined;

/** Applies $INFOPLANE_SIMD; an unknown or unsupported variant is the user's to fix (exit 2), never a silent fallback. */
function forceVariant(addon: NativeAddon): void {
  const forced = process.env[SIMD_ENV];
  if (forced === undefined || forced === '') return;
  try {
    addon.setVariant(forced);
  } catch (err) {
    throw new InputError(SIMD_ENV, `${JSON.stringify(forced)} is not a variant of this CPU (${['auto', ...addon.features().variants].join(', ')}): ${(err as Error).message}`);
  }
}

export function loadNativeAddon(): { addon?: NativeAddon; path?: string; error?: string } {
  if (cached) return cached;
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    cached = { error: `native addon not built (looked for ${candidates.join(', ')}); run \`npm run build:native\` (cmake-js) or \`npm run build:gyp\` (node-gyp)` };
    return cached;
  }
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (err) {
    cached = { error: `native addon at ${path} failed to load: ${(err as Error).message}; rebuild it with \`npm run build:native\`` };
    return cached;
  }
  forceVariant(addon);
  cached = { addon, path };
  return cached;
}

export function requireNativeAddon(): NativeAddon {
  const { addon, error } = loadNativeAddon();
  if (!addon) throw new Error(error);
  return addon;
}
