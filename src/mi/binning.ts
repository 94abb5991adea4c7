// Binning schemes of the binning MI estimator (DESIGN.md, "The science in one
// page"). Each quantizes every unit h of a layer to an integer code; a row of
// codes is one discrete symbol. The scheme and its parameters are named in
// every result, because the estimate depends on them ("binning pitfalls to
// expose, not hide").
//
//   fixed:m[:lo:hi]     m equal bins over [lo, hi]:
//                       code = clamp(floor((h − lo)/(hi − lo)·m), 0, m − 1)
//   idnns:m[:lo:hi]     IDNNs' convention (Shwartz-Ziv & Tishby): edges =
//                       np.linspace(lo, hi, m) cast to float32 as IDNNs
//                       holds them — m EDGES, m − 1 intervals —
//                       and code = np.digitize(h, edges): values < lo → 0,
//                       values ≥ hi → m (a level of their own), so codes run
//                       0..m. `idnns:30` is IDNNs' "30 bins" = 29 intervals.
//   width:w             floor(h / w), unbounded (Saxe et al.'s simplebinmi,
//                       bin_calc_information2; w = 0.5 on MNIST).
//   adaptive:m[:lo:hi]  m equal bins between the layer's own min and max, or
//                       a global [lo, hi] supplied by the caller.
//
// Default range of fixed: [−1, 1] for tanh, [0, 1] for softmax/sigmoid; of
// idnns: [−1, 1] for every bounded layer, softmax included, as IDNNs bins
// every layer over np.linspace(-1, 1, m) (the softmax then uses the upper
// half of the edges). relu and linear layers are unbounded and need an
// explicit range.
import { InputError, quote } from '../core/input-error.ts';
import type { BinningParams, BinningSchemeName } from '../backend/mi-kernels.ts';

export type { BinningParams, BinningSchemeName };

export const BINNING_SCHEMES: readonly BinningSchemeName[] = ['fixed', 'idnns', 'width', 'adaptive'];

export type Range = readonly [lo: number, hi: number];

export type Binning =
  | { readonly scheme: 'fixed'; readonly bins: number; readonly range?: Range }
  /** `bins` is the number of np.linspace EDGES (IDNNs' "num_of_bins"). */
  | { readonly scheme: 'idnns'; readonly bins: number; readonly range?: Range }
  | { readonly scheme: 'width'; readonly width: number }
  /** Without `range`, each layer's own [min, max]. */
  | { readonly scheme: 'adaptive'; readonly bins: number; readonly range?: Range };

export const DEFAULT_BINS = 30;
export const DEFAULT_BIN_WIDTH = 0.5;
export const DEFAULT_BINNING: Binning = { scheme: 'fixed', bins: DEFAULT_BINS };

/** What a layer's units can be, for default ranges. */
export type LayerActivation = 'tanh' | 'softmax' | 'sigmoid' | 'relu' | 'linear';

/** The default [lo, hi] of fixed/idnns binning for a layer's activation. */
export function defaultRange(activation: LayerActivation, field = 'binning'): Range {
  switch (activation) {
    case 'tanh':
      return [-1, 1];
    case 'softmax':
    case 'sigmoid':
      return [0, 1];
    default:
      throw new InputError(
        field,
        `a ${activation} layer is unbounded: give fixed/idnns binning an explicit range (e.g. "fixed:30:0:5") or use width/adaptive binning`,
      );
  }
}

/**
 * The low-level parameters both engines take (the native binding's argument
 * list): `lo`/`hi` null only for width binning and adaptive-by-data.
 */

/** How a result names its estimator. */
export interface EstimatorDescription {
  readonly scheme: BinningSchemeName;
  /** fixed/adaptive: bins; idnns: np.linspace edges. Absent for width. */
  readonly bins?: number;
  /** Number of distinct code values per unit: m (fixed, adaptive), m + 1 (idnns); absent for width (unbounded). */
  readonly levels?: number;
  /** width binning: the bin width w. */
  readonly width?: number;
  /** The range used (adaptive-by-data: this layer's min and max); absent for width. */
  readonly range?: Range;
  /** Where the range came from. */
  readonly rangeSource?: 'given' | 'default' | 'data';
}

/** The parameters for one layer: the scheme with its range resolved (except adaptive-by-data). */
export function binningParams(binning: Binning, activation: LayerActivation = 'tanh', field = 'binning'): BinningParams {
  validateBinning(binning, field);
  switch (binning.scheme) {
    case 'width':
      return { scheme: 'width', bins: 0, lo: null, hi: null, binWidth: binning.width };
    case 'adaptive':
      return { scheme: 'adaptive', bins: binning.bins, lo: binning.range?.[0] ?? null, hi: binning.range?.[1] ?? null, binWidth: 0 };
    default: {
      // IDNNs bins every layer, the softmax output too, over [−1, 1].
      const [lo, hi] =
        binning.range ?? (binning.scheme === 'idnns' && activation !== 'relu' && activation !== 'linear' ? [-1, 1] : defaultRange(activation, field));
      return { scheme: binning.scheme, bins: binning.bins, lo, hi, binWidth: 0 };
    }
  }
}

/** The estimator description of a result, given the range the engine actually used. */
export function describeEstimator(binning: Binning, used: { lo: number | null; hi: number | null }): EstimatorDescription {
  if (binning.scheme === 'width') return { scheme: 'width', width: binning.width };
  const range: Range = [used.lo as number, used.hi as number];
  const rangeSource = binning.range ? 'given' : binning.scheme === 'adaptive' ? 'data' : 'default';
  const levels = binning.scheme === 'idnns' ? binning.bins + 1 : binning.bins;
  return { scheme: binning.scheme, bins: binning.bins, levels, range, rangeSource };
}

/** Throws InputError naming `field` unless the binning's parameters are usable. */
/** 1 / 2^31 ≈ 4.7e-10, rounded up: the bin codes floor(h / width) of |h| ≤ 1 fit int32. */
export const MIN_BIN_WIDTH = 1e-9;

export function validateBinning(binning: Binning, field = 'binning'): void {
  if (!binning || typeof binning !== 'object' || !BINNING_SCHEMES.includes(binning.scheme)) {
    throw new InputError(field, `scheme must be one of ${BINNING_SCHEMES.join(', ')}, got ${quote((binning as { scheme?: unknown })?.scheme)}`);
  }
  if (binning.scheme === 'width') {
    if (!(typeof binning.width === 'number' && Number.isFinite(binning.width) && binning.width >= MIN_BIN_WIDTH)) {
      throw new InputError(
        field,
        `width binning needs a finite bin width ≥ ${MIN_BIN_WIDTH} (narrower bins give tanh's [-1, 1] codes beyond int32), got ${binning.width}`,
      );
    }
    return;
  }
  const min = binning.scheme === 'idnns' ? 2 : 1;
  if (!Number.isInteger(binning.bins) || binning.bins < min || binning.bins > 2 ** 24) {
    const what = binning.scheme === 'idnns' ? 'edges (np.linspace num, ≥ 2)' : 'bins (≥ 1)';
    throw new InputError(field, `${binning.scheme} binning needs an integer number of ${what}, got ${binning.bins}`);
  }
  if (binning.range !== undefined) {
    const [lo, hi] = binning.range;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi) || !Number.isFinite(hi - lo)) {
      throw new InputError(field, `range must be finite numbers with lo < hi, got [${lo}, ${hi}]`);
    }
  }
}

/** A canonical text form that parseBinning reads back: `fixed:30`, `idnns:30:-1:1`, `width:0.5`. */
export function formatBinning(binning: Binning): string {
  if (binning.scheme === 'width') return `width:${binning.width}`;
  const range = binning.range ? `:${binning.range[0]}:${binning.range[1]}` : '';
  return `${binning.scheme}:${binning.bins}${range}`;
}

/**
 * Parses CLI text: `fixed:30`, `idnns:30`, `width:0.5`, `adaptive:30`, a
 * bare scheme name (defaults: 30 bins/edges, width 0.5), and an optional
 * range for the bounded schemes, `fixed:30:-1:1` (lo then hi).
 */
export function parseBinning(text: string, field = 'binning'): Binning {
  if (typeof text !== 'string') throw new InputError(field, `expected text like "fixed:30", got ${quote(text)}`);
  const parts = text.trim().split(':');
  const scheme = parts[0] as BinningSchemeName;
  if (!BINNING_SCHEMES.includes(scheme)) {
    throw new InputError(
      field,
      `unknown binning scheme ${quote(parts[0])} in ${quote(text)}; expected fixed:M, idnns:M, width:W or adaptive:M (optionally :LO:HI)`,
    );
  }
  const number = (s: string, what: string): number => {
    const v = s.trim() === '' ? NaN : Number(s);
    if (!Number.isFinite(v)) throw new InputError(field, `${what} must be a number, got ${quote(s)} in ${quote(text)}`);
    return v;
  };
  let binning: Binning;
  if (scheme === 'width') {
    if (parts.length > 2) throw new InputError(field, `width binning takes one parameter (the bin width), got ${quote(text)}`);
    binning = { scheme, width: parts.length > 1 ? number(parts[1], 'bin width') : DEFAULT_BIN_WIDTH };
  } else {
    if (parts.length !== 1 && parts.length !== 2 && parts.length !== 4) {
      throw new InputError(field, `expected ${scheme}:M or ${scheme}:M:LO:HI, got ${quote(text)}`);
    }
    const bins = parts.length > 1 ? number(parts[1], scheme === 'idnns' ? 'edges' : 'bins') : DEFAULT_BINS;
    const range: Range | undefined = parts.length === 4 ? [number(parts[2], 'lo'), number(parts[3], 'hi')] : undefined;
    binning = range ? { scheme, bins, range } : { scheme, bins };
  }
  validateBinning(binning, field);
  return binning;
}
