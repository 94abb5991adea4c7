// The backends infoplane can run on, with an explicit availability check.
// `reference` always works; `native` needs the compiled addon; `auto` picks
// native when it loads.
import type { Backend } from './backend.ts';
import { LayerStackEngine } from './layer-stack-engine.ts';
import { loadNativeAddon, requireNativeAddon } from './native/addon.ts';
import { referenceKernels } from './reference/dense.ts';

export const BACKEND_NAMES = ['auto', 'native', 'reference'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export const referenceBackend: Backend = {
  name: 'reference',
  info: () => ({ name: 'reference', detail: 'plain TypeScript, single thread' }),
  createEngine: (net, optimizer, batchSize) => new LayerStackEngine(referenceKernels, net, optimizer, batchSize),
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
    createEngine: (net, optimizer, batchSize) => new LayerStackEngine(addon, net, optimizer, batchSize),
  };
}

export function availableBackends(): { name: string; available: boolean; reason?: string }[] {
  const native = loadNativeAddon();
  return [
    { name: 'native', available: Boolean(native.addon), reason: native.error },
    { name: 'reference', available: true },
  ];
}

export function selectBackend(name: BackendName, threads?: number): Backend {
  if (name === 'reference') return referenceBackend;
  if (name === 'native' || loadNativeAddon().addon) return nativeBackend(threads);
  return referenceBackend;
}
