// The Gram block on the addon's float32 GEMM (linearForward), the precision of
// ibsgd's Keras code (K.floatx() = float32). One scratch per kernel instance.
import type { GramBlock } from '../gram-kernels.ts';
import type { NativeAddon } from './addon.ts';

export function nativeGram(addon: NativeAddon): GramBlock {
  let scratch: { xT: Float32Array; out: Float32Array; zero: Float32Array } | undefined;
  return (out, t, n, d, j0, j1) => {
    const b = j1 - j0;
    if (!scratch || scratch.xT.length < d * b || scratch.out.length < n * b || scratch.zero.length < n) {
      scratch = { xT: new Float32Array(d * b), out: new Float32Array(n * b), zero: new Float32Array(n) };
    }
    // outT[OUT = n, B = b] = W[n, d] · xT[d, b]: W is t itself, xT the block's rows transposed.
    addon.transpose(scratch.xT, t.subarray(j0 * d, j1 * d), b, d);
    addon.linearForward(scratch.out, scratch.xT, t, scratch.zero, b, d, n);
    for (let k = 0; k < n * b; k++) out[k] = scratch.out[k];
  };
}
