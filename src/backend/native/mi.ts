// The native binning-MI kernels (native/binding/mi_binding.cc) as an MiEngine.
// The addon is the one the backends load (src/backend/native/addon.ts); an
// addon built before the MI kernels existed is reported, not half-used.

import { loadNativeAddon } from './addon.ts';
import type { BinningParams, HashMode, MiEngine, MiLayerInput, RawLayerMi } from '../mi-kernels.ts';

/** The MI entry points of the addon, argument for argument. */
export interface NativeMiAddon {
  miBinCodes(
    codes: Int32Array,
    activations: Float32Array,
    n: number,
    width: number,
    scheme: string,
    bins: number,
    lo: number | null,
    hi: number | null,
    binWidth: number,
  ): { lo: number | null; hi: number | null };
  miRowSymbols(
    ids: Int32Array,
    activations: Float32Array,
    n: number,
    width: number,
    scheme: string,
    bins: number,
    lo: number | null,
    hi: number | null,
    binWidth: number,
    hashMode: HashMode,
  ): { distinct: number; lo: number | null; hi: number | null };
  miInformationPlane(
    layers: readonly MiLayerInput[],
    labels: Int32Array,
    n: number,
    classes: number,
    scheme: string,
    bins: number,
    lo: number | null,
    hi: number | null,
    binWidth: number,
    xSymbols: Int32Array | null,
    hashMode: HashMode,
  ): RawLayerMi[];
}

let cached: { addon?: NativeMiAddon; error?: string } | undefined;

/** The addon's MI functions, or why they are unavailable. */
export function loadNativeMi(): { addon?: NativeMiAddon; error?: string } {
  if (cached) return cached;
  const { addon, path, error } = loadNativeAddon();
  if (!addon) cached = { error };
  else if (typeof (addon as unknown as Partial<NativeMiAddon>).miInformationPlane !== 'function') {
    cached = { error: `native addon at ${path} has no MI kernels (built before they were added); rebuild it with \`npm run build:native\`` };
  } else cached = { addon: addon as unknown as NativeMiAddon };
  return cached;
}

/** The native engine, or undefined (with loadNativeMi().error saying why). */
export function nativeMiEngine(): MiEngine | undefined {
  const { addon } = loadNativeMi();
  if (!addon) return undefined;
  return {
    name: 'native',
    binCodes: (codes, t, n, width, p: BinningParams) => addon.miBinCodes(codes, t, n, width, p.scheme, p.bins, p.lo, p.hi, p.binWidth),
    rowSymbols: (ids, t, n, width, p: BinningParams, hashMode: HashMode = 'normal') =>
      addon.miRowSymbols(ids, t, n, width, p.scheme, p.bins, p.lo, p.hi, p.binWidth, hashMode),
    informationPlane: (layers, labels, n, classes, p: BinningParams, xSymbols, hashMode: HashMode = 'normal') =>
      addon.miInformationPlane(layers, labels, n, classes, p.scheme, p.bins, p.lo, p.hi, p.binWidth, xSymbols, hashMode),
  };
}
