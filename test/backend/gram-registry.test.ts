// The KDE estimator's Gram kernel comes from the backend registry, chosen by
// asking each backend supports('gram'), like the other kernel sets.
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/backend/native/addon.ts';
import { nativeBackend, referenceBackend, selectGramKernel } from '../../src/backend/registry.ts';

const hasNative = Boolean(loadNativeAddon().addon);

function gramOf(choice: 'native' | 'reference', t: Float32Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  const { gram } = selectGramKernel(choice);
  // Two column blocks, as kde.ts calls it.
  const half = Math.floor(n / 2);
  const left = new Float64Array(n * half);
  const right = new Float64Array(n * (n - half));
  gram(left, t, n, d, 0, half);
  gram(right, t, n, d, half, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = j < half ? left[i * half + j] : right[i * (n - half) + (j - half)];
  }
  return out;
}

describe('Gram kernel selection', () => {
  it('the reference backend has a Gram kernel, and the choice names the engine that computes', () => {
    expect(referenceBackend.supports('gram')).toBe(true);
    expect(selectGramKernel('reference').engine).toBe('reference');
    expect(selectGramKernel('auto').engine).toBe(hasNative ? 'native' : 'reference');
  });

  it('rejects an unknown engine, naming the field', () => {
    expect(() => selectGramKernel('gpu' as 'auto')).toThrow(/^engine: must be auto, native or reference, got "gpu"/);
  });

  it('reference: t_i·t_j summed in float64 (hand-computed 3×2 case)', () => {
    const t = Float32Array.of(1, 2, 3, 4, -1, 0.5);
    expect(Array.from(gramOf('reference', t, 3, 2))).toEqual([5, 11, 0, 11, 25, -1, 0, -1, 1.25]);
  });

  it.skipIf(!hasNative)('native agrees with the reference to float32 rounding of the dot products', () => {
    expect(nativeBackend().supports('gram')).toBe(true);
    const n = 37;
    const d = 11;
    const t = Float32Array.from({ length: n * d }, (_, k) => Math.sin(k * 1.7) * 0.9);
    const ref = gramOf('reference', t, n, d);
    const nat = gramOf('native', t, n, d);
    // |Σ t_ik t_jk| ≤ d · 0.81; float32 accumulation of d terms errs by ≤ d · 2^-24 · Σ|t_ik t_jk|.
    ref.forEach((r, k) => expect(Math.abs(nat[k] - r)).toBeLessThanOrEqual(d * 2 ** -24 * d * 0.81));
  });
});
