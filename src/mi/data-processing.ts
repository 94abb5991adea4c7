// The data-processing check of an information plane. In a deterministic
// feed-forward net each layer is a function of the one before, so
// I(X;T_1) ≥ I(X;T_2) ≥ … and I(T_1;Y) ≥ I(T_2;Y) ≥ … (Cover & Thomas,
// Theorem 2.8.1). An estimate that rises with depth by more than the
// estimator's tolerance is an estimator artefact, not a property of the net:
// binning re-quantizes every layer on its own grid, so the binned T_{l+1} is
// not a function of the binned T_l; KSG and KDE carry sampling error.

/** Bits by which an estimate may rise with depth before it is flagged. */
export const DPI_TOLERANCE_BITS: Readonly<Record<'binning' | 'kde' | 'ksg', number>> = {
  // Plug-in entropies on the same samples: exact arithmetic up to summation rounding.
  binning: 1e-9,
  // Deterministic bounds on the same rows: the same.
  kde: 1e-9,
  // Sampling spread: about 4 standard deviations of KSG at N = 1 000 (the default subsample) on
  // the 1 + 1 and label validation tasks (README, "Estimators on known MI": sd ≤ 0.05 bits there).
  ksg: 0.2,
};

export interface DpiViolation {
  /** The deeper layer, whose estimate exceeds the shallower one's. */
  layer: string;
  previous: string;
  quantity: 'ixt' | 'ity';
  value: number;
  previousValue: number;
  /** value − previousValue − tolerance > 0, bits. */
  excess: number;
  tolerance: number;
}

/** Every rise with depth beyond `tolerance` among consecutive layers (given shallow to deep). */
export function dataProcessingViolations(layers: readonly { layer: string; ixt: number | null; ity: number }[], tolerance: number): DpiViolation[] {
  const out: DpiViolation[] = [];
  for (let l = 1; l < layers.length; l++) {
    for (const quantity of ['ixt', 'ity'] as const) {
      const [value, previousValue] = [layers[l][quantity], layers[l - 1][quantity]];
      if (value === null || previousValue === null) continue;
      const excess = value - previousValue - tolerance;
      if (excess > 0) out.push({ layer: layers[l].layer, previous: layers[l - 1].layer, quantity, value, previousValue, excess, tolerance });
    }
  }
  return out;
}
