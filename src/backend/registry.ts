// The backends infoplane can run on, with an explicit availability check.
// `reference` always works; `native` needs the compiled addon; `gpu` needs
// gpu.js with a WebGL context (src/backend/gpu/loader.ts says why not); `auto`
// picks native when it loads, never gpu.
import { InputError } from '../core/input-error.ts';
import type { Backend } from './backend.ts';
import { gpuBackend } from './gpu/gpu-backend.ts';
import type { GramBlock } from './gram-kernels.ts';
import { loadGpuJs } from './gpu/loader.ts';
import type { MiEngine } from './mi-kernels.ts';
import { loadNativeAddon, requireNativeAddon } from './native/addon.ts';
import { nativeGram } from './native/gram.ts';
import { loadNativeMi, nativeMiEngine } from './native/mi.ts';
import { referenceKernels } from './reference/dense.ts';
import { referenceGram } from './reference/gram.ts';
import { referenceMiEngine } from './reference/mi.ts';

export const BACKEND_NAMES = ['auto', 'native', 'reference', 'gpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export const referenceBackend: Backend = {
  name: 'reference',
  info: () => ({ name: 'reference', detail: 'plain TypeScript, single thread' }),
  // The specification has the dense kernels only (the sparse ones change the speed of an engine, never its results).
  supports: (op) => op === 'dense' || op === 'gram',
  kernels: () => referenceKernels,
  gramKernel: () => referenceGram,
};

/** The native backend; `threads` sets the addon's pool size (process-wide). */
export function nativeBackend(threads?: number): Backend {
  const addon = requireNativeAddon();
  if (threads !== undefined) addon.setThreads(threads);
  return {
    name: 'native',
    info: () => {
      const f = addon.features();
      return { name: 'native', detail: `${f.variant}, ${f.threads} thread${f.threads === 1 ? '' : 's'}` };
    },
    supports: (op) => op === 'dense' || op === 'sparse' || op === 'gram',
    kernels: () => addon,
    gramKernel: () => nativeGram(addon),
  };
}

/** `mode`: the kernel type gpu.js picked (headlessgl, webasm, cpu, …), for gpu. */
export function availableBackends(): { name: string; available: boolean; reason?: string; mode?: string }[] {
  const native = loadNativeAddon();
  const gpu = loadGpuJs();
  return [
    { name: 'native', available: Boolean(native.addon), reason: native.error },
    { name: 'reference', available: true },
    {
      name: 'gpu',
      available: gpu.available && Boolean(native.addon),
      reason: gpu.reason ?? (native.addon ? undefined : `needs the native addon: ${native.error}`),
      mode: gpu.picked,
    },
  ];
}

export function selectBackend(name: BackendName, threads?: number): Backend {
  if (name === 'reference') return referenceBackend;
  if (name === 'gpu') return gpuBackend({ threads });
  if (name === 'native' || loadNativeAddon().addon) return nativeBackend(threads);
  return referenceBackend;
}

export const MI_ENGINE_CHOICES = ['auto', 'native', 'reference'] as const;
export type MiEngineChoice = (typeof MI_ENGINE_CHOICES)[number];

function checkEngineChoice(choice: string): void {
  if (!(MI_ENGINE_CHOICES as readonly string[]).includes(choice)) {
    throw new InputError('engine', `must be auto, native or reference, got ${JSON.stringify(choice)}`);
  }
}

/** The binning-MI kernels for a choice; `native` throws with the loader's reason when it cannot load. */
export function selectMiEngine(choice: MiEngineChoice | MiEngine = 'auto'): MiEngine {
  if (typeof choice === 'object') return choice;
  checkEngineChoice(choice);
  if (choice === 'reference') return referenceMiEngine;
  const native = nativeMiEngine();
  if (native) return native;
  if (choice === 'native') throw new InputError('engine', `native MI engine unavailable: ${loadNativeMi().error}`);
  return referenceMiEngine;
}

export type KdeEngineChoice = MiEngineChoice;

/** The Gram kernel of the KDE estimator: from the chosen backend, asked by supports('gram'); `native` throws with the loader's reason when it cannot load. */
export function selectGramKernel(choice: KdeEngineChoice = 'auto'): { gram: GramBlock; engine: 'native' | 'reference' } {
  checkEngineChoice(choice);
  const candidates =
    choice === 'reference' ? [referenceBackend] : [...(loadNativeAddon().addon ? [nativeBackend()] : []), ...(choice === 'auto' ? [referenceBackend] : [])];
  for (const backend of candidates) {
    if (backend.supports('gram') && backend.gramKernel) return { gram: backend.gramKernel(), engine: backend.name === 'native' ? 'native' : 'reference' };
  }
  throw new InputError('engine', `native KDE unavailable: ${loadNativeAddon().error}`);
}
