// The native KSG neighbour counts (native/binding/ksg_binding.cc) as a
// KsgCountEngine. An addon built before these kernels existed is reported.

import { loadNativeAddon } from './addon.ts';
import type { KsgCountEngine } from '../ksg-kernels.ts';

/** The KSG entry points of the addon, argument for argument. */
export interface NativeKsgAddon {
  ksgCounts(countX: Int32Array, countY: Int32Array, x: Float32Array, dx: number, y: Float32Array, dy: number, n: number, k: number): void;
  ksgClassCounts(countX: Int32Array, x: Float32Array, dx: number, labels: Int32Array, classes: number, n: number, k: number): void;
}

/** The addon's KSG functions, or why they are unavailable. */
export function loadNativeKsg(): { addon?: NativeKsgAddon; error?: string } {
  const { addon, path, error } = loadNativeAddon();
  if (!addon) return { error };
  if (typeof (addon as unknown as Partial<NativeKsgAddon>).ksgCounts !== 'function') {
    return { error: `native addon at ${path} has no KSG kernels (built before they were added); rebuild it with \`npm run build:native\`` };
  }
  return { addon: addon as unknown as NativeKsgAddon };
}

export function nativeKsgCounts(): KsgCountEngine | undefined {
  const { addon } = loadNativeKsg();
  if (!addon) return undefined;
  return {
    name: 'native',
    counts: (cx, cy, x, dx, y, dy, n, k) => addon.ksgCounts(cx, cy, x, dx, y, dy, n, k),
    classCounts: (cx, x, dx, labels, classes, n, k) => addon.ksgClassCounts(cx, x, dx, labels, classes, n, k),
  };
}
