// Mutual information in the information plane: the binning estimator (native
// kernels with a plain TypeScript reference) and KDE bounds. See
// information-plane.ts for the quantities, binning.ts for the schemes.

export {
  BINNING_SCHEMES,
  type Binning,
  type BinningParams,
  type BinningSchemeName,
  DEFAULT_BINNING,
  DEFAULT_BINS,
  DEFAULT_BIN_WIDTH,
  type EstimatorDescription,
  type LayerActivation,
  type Range,
  binningParams,
  defaultRange,
  describeEstimator,
  formatBinning,
  parseBinning,
  validateBinning,
} from './binning.ts';
export type { HashMode, MiEngine, MiLayerInput, RawLayerMi } from '../backend/mi-kernels.ts';
export { binCodesReference, digitize, numpyLinspace, pluginEntropy, referenceMiEngine } from '../backend/reference/mi.ts';
export { type NativeMiAddon, loadNativeMi, nativeMiEngine } from '../backend/native/mi.ts';
export { selectMiEngine } from '../backend/registry.ts';
export {
  type BinnedInput,
  type InformationPlaneLayer,
  type InformationPlaneOptions,
  type InformationPlanePoint,
  type MiEngineChoice,
  SATURATION_TOLERANCE_BITS,
  type XMode,
  informationPlane,
} from './information-plane.ts';
export {
  DEFAULT_NOISE_VARIANCE,
  type KdeEngineChoice,
  type KdeEntropy,
  type KdeLayerPoint,
  type KdeOptions,
  kdeConditionalEntropy,
  kdeEntropy,
  kdeInformationPlane,
  kdeRows,
} from './kde.ts';
// KSG (Kraskov et al. 2004; Ross 2014 for a label), Miller–Madow, the data-processing check, and the known-MI validation tasks.
export {
  DEFAULT_KSG_K,
  type KsgEngineChoice,
  type KsgEstimate,
  type KsgLayerPoint,
  type KsgOptions,
  ksgInformationPlane,
  ksgLabelMutualInformation,
  ksgMutualInformation,
} from './ksg.ts';
export { type BiasCorrection, millerMadowPlane } from './bias-correction.ts';
export { symbolEntropy, symbolMutualInformation } from './miller-madow.ts';
export { DPI_TOLERANCE_BITS, type DpiViolation, dataProcessingViolations } from './data-processing.ts';
export { KNOWN_MI_TASKS, type KnownMiTask, gaussianMiBits, mixtureLabelMiBits } from './known-mi.ts';
export { type ValidationRow, validateEstimators, validationTable } from './validation.ts';
