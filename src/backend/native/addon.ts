// Loads the compiled addon and explains itself: which file, which SIMD variant,
// and, when it cannot load, why and how to build it.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
/** Names one addon file to load instead (CI points it at the sanitizer build). */
export const ADDON_PATH_ENV = 'INFOPLANE_ADDON';

/** Where the addon is looked for: $INFOPLANE_ADDON alone when set, else the cmake-js/node-gyp outputs. */
export function addonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const chosen = env[ADDON_PATH_ENV];
  if (chosen) return [resolve(chosen)];
  return ['build/Release/infoplane.node', 'build/Debug/infoplane.node'].map((p) => resolve(packageRoot, p));
}

let cached: { addon?: NativeAddon; path?: string; error?: string } | undefined;

export function loadNativeAddon(): { addon?: NativeAddon; path?: string; error?: string } {
  if (cached) return cached;
  const candidates = addonCandidates();
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    cached = {
      error: `native addon not built (looked for ${candidates.join(', ')}); run \`npm run build:native\` (cmake-js) or \`npm run build:gyp\` (node-gyp)`,
    };
    return cached;
  }
  try {
    cached = { addon: createRequire(import.meta.url)(path) as NativeAddon, path };
  } catch (err) {
    cached = { error: `native addon at ${path} failed to load: ${(err as Error).message}; rebuild it with \`npm run build:native\`` };
  }
  return cached;
}

export function requireNativeAddon(): NativeAddon {
  const { addon, error } = loadNativeAddon();
  if (!addon) throw new Error(error);
  return addon;
}
