// The binning-MI kernels every backend provides, with the native addon's
// signatures (native/binding/mi_binding.cc): the plain TypeScript reference
// (reference/mi.ts, the test oracle), the native kernels (native/mi.ts) and
// the gpu bin codes (gpu/binning.ts).
//
// Layout: activations are row-major, T[N, width], one sample per row.
// Entropies are plug-in estimates in bits over the N rows.

export type BinningSchemeName = 'fixed' | 'idnns' | 'width' | 'adaptive';

/** A binning resolved to plain numbers, as the kernels take it (mi/binning.ts resolves a user's binning). */
export interface BinningParams {
  readonly scheme: BinningSchemeName;
  readonly bins: number;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly binWidth: number;
}
export type HashMode = 'normal' | 'collide-all';

export interface MiLayerInput {
  /** T[N, width], row-major float32; exactly N·width elements. */
  readonly activations: Float32Array;
  readonly width: number;
}

/** One layer's quantities, as both engines return them. */
export interface RawLayerMi {
  /** H(T) */
  ht: number;
  /** H(T|Y) = Σ_y p(y) H(T|Y=y) */
  htGivenY: number;
  /** H(Y): the ceiling of I(T;Y) */
  hy: number;
  /** I(X;T): H(T) when each sample is its own x, else H(T) − H(T|X) */
  ixt: number;
  /** I(T;Y) = H(T) − H(T|Y) */
  ity: number;
  /** H(X): log2 N when each sample is its own x */
  hx: number;
  /** H(T|X): 0 when each sample is its own x */
  htGivenX: number;
  /** distinct rows of T */
  distinct: number;
  /** distinct x symbols (N when each sample is its own x) */
  distinctX: number;
  /** How many activations lie outside [lo, hi] (h < lo or h > hi); 0 for width binning. */
  outside: number;
  /** The range used (adaptive: resolved); null for width binning. */
  lo: number | null;
  hi: number | null;
}

export interface MiEngine {
  readonly name: 'native' | 'reference';
  /** codes[N·width] = bin codes of T; returns the range used. */
  binCodes(codes: Int32Array, activations: Float32Array, n: number, width: number, params: BinningParams): { lo: number | null; hi: number | null };
  /** ids[N] = symbol of each binned row, numbered in order of first appearance. */
  rowSymbols(
    ids: Int32Array,
    activations: Float32Array,
    n: number,
    width: number,
    params: BinningParams,
    hashMode?: HashMode,
  ): { distinct: number; lo: number | null; hi: number | null };
  /**
   * Every layer of one evaluation in one call. labels[N] in [0, classes);
   * xSymbols[N] (a binned X's row symbols) or null: each sample its own x.
   */
  informationPlane(
    layers: readonly MiLayerInput[],
    labels: Int32Array,
    n: number,
    classes: number,
    params: BinningParams,
    xSymbols: Int32Array | null,
    hashMode?: HashMode,
  ): RawLayerMi[];
}
