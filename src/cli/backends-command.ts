// `infoplane backends`: what can run here, and why not when it cannot.
import type { Command } from 'commander';
import { availableBackends } from '../backend/registry.ts';
import { loadNativeAddon } from '../backend/native/addon.ts';

export function registerBackendsCommand(program: Command): void {
  program
    .command('backends')
    .description('list the backends, their availability and the native SIMD variant')
    .action(() => {
      const native = loadNativeAddon();
      for (const b of availableBackends()) {
        let detail = b.available ? 'available' : `unavailable: ${b.reason}`;
        if (b.name === 'native' && native.addon) {
          const f = native.addon.features();
          detail += ` (${native.path}; SIMD ${f.variant} of [${f.variants.join(', ')}]; ${f.threads} threads)`;
        }
        process.stdout.write(`${b.name.padEnd(10)} ${detail}\n`);
      }
    });
}
