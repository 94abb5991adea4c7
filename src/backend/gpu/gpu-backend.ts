// The gpu backend: the dense products (x·Wᵀ, dY·W, dYᵀ·x) run through gpu.js
// kernels, everything else (activations, loss, transposes, optimizer steps)
// on the native addon; the binning step of MI through gpu.js as well
// (miKernels). Unavailable — with the loader's reason — when gpu.js has
// no GL context here, unless a CPU mode is forced (INFOPLANE_GPUJS_MODE).
import { InputError } from '../../core/input-error.ts';
import type { Backend } from '../backend.ts';
import { loadNativeAddon } from '../native/addon.ts';
import type { MiEngine } from '../mi-kernels.ts';
import { loadNativeMi, nativeMiEngine } from '../native/mi.ts';
import { GpuBinner, gpuMiEngine } from './binning.ts';
import { GpuDenseProducts, gpuDenseKernels } from './dense.ts';
import { type GpuJsInstance, type GpuJsMode, type GpuJsStatus, loadGpuJs } from './loader.ts';

export interface GpuBackendOptions {
  /** Native addon threads for the ops that stay native (process-wide). */
  threads?: number;
  /** gpu.js mode; default $INFOPLANE_GPUJS_MODE, else `gpu` (a GL kernel is required). */
  mode?: GpuJsMode;
  /** A probe result to use instead of loading (tests inject one). */
  status?: GpuJsStatus;
}

export interface GpuBackend extends Backend {
  readonly name: 'gpu';
  readonly status: GpuJsStatus;
  /** The gpu.js instance every engine of this backend shares. */
  readonly gpu: GpuJsInstance;
  /** The binning MI kernels: gpu.js bin codes counted by the native histogram. */
  miKernels(): MiEngine;
  /** Releases the gpu.js kernels and context. */
  destroy(): void;
}

/** The gpu backend, or InputError saying what is missing and how to install it. */
export function gpuBackend(options: GpuBackendOptions = {}): GpuBackend {
  const status = options.status ?? loadGpuJs(options.mode);
  if (!status.available || !status.module) {
    throw new InputError(`backend gpu is unavailable: ${status.reason ?? 'gpu.js did not load'}`);
  }
  const native = loadNativeAddon();
  if (!native.addon) {
    throw new InputError(`backend gpu runs everything but the dense products on the native addon, which is unavailable: ${native.error}`);
  }
  const addon = native.addon;
  if (options.threads !== undefined) addon.setThreads(options.threads);
  const gpu = new status.module.GPU({ mode: status.requested });
  const engines: GpuDenseProducts[] = [];
  let binner: GpuBinner | undefined;
  return {
    name: 'gpu',
    status,
    gpu,
    info: () => {
      const f = addon.features();
      return {
        name: 'gpu',
        detail: `gpu.js ${status.version ?? ''} ${status.picked ?? status.requested} for the dense products; native ${f.variant}, ${f.threads} thread${f.threads === 1 ? '' : 's'} for the rest`,
      };
    },
    supports: (op) => op === 'dense' || op === 'mi-binning',
    kernels: () => {
      const products = new GpuDenseProducts(gpu);
      engines.push(products);
      return gpuDenseKernels(products, addon);
    },
    miKernels: () => {
      const counter = nativeMiEngine();
      if (!counter) throw new InputError(`the gpu binning step counts with the native histogram, which is unavailable: ${loadNativeMi().error}`);
      binner ??= new GpuBinner(gpu);
      return gpuMiEngine(binner, counter);
    },
    destroy: () => {
      for (const e of engines) e.destroy();
      binner?.destroy();
      gpu.destroy();
    },
  };
}
