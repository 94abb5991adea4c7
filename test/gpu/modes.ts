// gpu.js instances for the tests. The CPU kernel types (cpu: transpiled
// JavaScript; webasm: WebAssembly) run wherever gpu.js is installed, which
// `npm install` always does (it is pure JavaScript): they are tested always.
// The WebGL kernel type (headlessgl) needs a built `gl` and an X server; see
// webgl.test.ts for how it enables itself.
import { type GpuJsInstance, type GpuJsMode, probeGpuJs } from '../../src/backend/gpu/loader.ts';

export const CPU_MODES = ['cpu', 'webasm'] as const satisfies readonly GpuJsMode[];

const instances = new Map<string, GpuJsInstance>();

/** One gpu.js instance per mode for the test file; throws the loader's explanation when the mode cannot run. */
export function gpuFor(mode: GpuJsMode): GpuJsInstance {
  let gpu = instances.get(mode);
  if (!gpu) {
    const status = probeGpuJs({ mode });
    if (!status.available || !status.module) throw new Error(`gpu.js mode ${mode} unavailable: ${status.reason}`);
    gpu = new status.module.GPU({ mode });
    instances.set(mode, gpu);
  }
  return gpu;
}
