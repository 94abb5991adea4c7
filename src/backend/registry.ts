// The backends infoplane can run on, with an explicit availability check.
// `reference` always works; `native` needs the compiled addon; `gpu` needs
// gpu.js with a WebGL context (src/backend/gpu/loader.ts says why not); `auto`
// picks native when it loads, never gpu.
import type { Backend, EngineOptions } from './backend.ts';
import { gpuBackend } from './gpu/gpu-backend.ts';
import { loadGpuJs } from './gpu/loader.ts';
import { LayerStackEngine } from './layer-stack-engine.ts';
import { loadNativeAddon, requireNativeAddon } from './native/addon.ts';
import { referenceKernels } from './reference/dense.ts';

export const BACKEND_NAMES = ['auto', 'native', 'reference', 'gpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export const referenceBackend: Backend = {
  name: 'reference',
  info: () => ({ name: 'reference', detail: 'plain TypeScript, single thread' }),
  kernels: referenceKernels,
  // The specification runs the dense kernels only (options change the speed of the native engine, never its results).
  createEngine: (net, optimizer, batchSize) => new LayerStackEngine(referenceKernels, net, optimizer, batchSize),
};

/**
 * The native backend; `threads` sets the addon's pool size (process-wide).
 * `engineOptions` are the defaults of its engines (sparse kernel choices, the
 * input density measured at load); createEngine's own options override them.
 */
export function nativeBackend(threads?: number, engineOptions: EngineOptions = {}): Backend {
  const addon = requireNativeAddon();
  if (threads !== undefined) addon.setThreads(threads);
  return {
    name: 'native',
    kernels: addon,
    info: () => {
      const f = addon.features();
      return { name: 'native', detail: `${f.variant}, ${f.threads} thread${f.threads === 1 ? '' : 's'}` };
    },
    createEngine: (net, optimizer, batchSize, options) => new LayerStackEngine(addon, net, optimizer, batchSize, { ...engineOptions, ...options }),
  };
}

/** `mode`: the kernel type gpu.js picked (headlessgl, webasm, cpu, …), for gpu. */
export function availableBackends(): { name: string; available: boolean; reason?: string; mode?: string }[] {
  const native = loadNativeAddon();
  const gpu = loadGpuJs();
  return [
    { name: 'native', available: Boolean(native.addon), reason: native.error },
    { name: 'reference', available: true },
    { name: 'gpu', available: gpu.available && Boolean(native.addon), reason: gpu.reason ?? (native.addon ? undefined : `needs the native addon: ${native.error}`), mode: gpu.picked },
  ];
}

/** `engineOptions` (sparse kernel choices, input density) apply to the native backend's engines. */
export function selectBackend(name: BackendName, threads?: number, engineOptions: EngineOptions = {}): Backend {
  if (name === 'reference') return referenceBackend;
  if (name === 'gpu') return gpuBackend({ threads });
  if (name === 'native' || loadNativeAddon().addon) return nativeBackend(threads, engineOptions);
  return referenceBackend;
}
