// `infoplane backends`: what can run here, and why not when it cannot.
import type { Command } from 'commander';
import { availableBackends } from '../backend/registry.ts';
import { loadNativeAddon } from '../backend/native/addon.ts';
import { loadGpuJs } from '../backend/gpu/loader.ts';

export function registerBackendsCommand(program: Command): void {
  program
    .command('backends')
    .description('list the backends, their availability, the native SIMD variant and the mode gpu.js picked')
    .action(() => {
      const native = loadNativeAddon();
      for (const b of availableBackends()) {
        let detail = b.available ? 'available' : `unavailable: ${b.reason}`;
        if (b.name === 'gpu') {
          // gpu.js's pick: headlessgl (WebGL) is a GPU; webasm and cpu are its CPU fallbacks.
          const gpu = loadGpuJs();
          const picked = `gpu.js ${gpu.version ?? 'not installed'}${b.mode ? `, mode ${b.mode}` : ''}`;
          detail = b.available ? `available (${picked}, requested ${gpu.requested}; native for the other ops)` : `unavailable (${picked}): ${b.reason}`;
        }
        if (b.name === 'native' && native.addon) {
          const f = native.addon.features();
          detail += ` (${native.path}; SIMD ${f.variant} of [${f.variants.join(', ')}]; ${f.threads} threads)`;
        }
        process.stdout.write(`${b.name.padEnd(10)} ${detail}\n`);
      }
    });
}
