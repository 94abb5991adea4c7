// infoplane's public API: what `import … from 'infoplane'` offers. Everything
// else under src/ is internal and may move.

// Specs: validation with field-naming errors, defaults, presets, identity.
export { parseSpec, specHash, type Spec, type SpecInput } from './experiment/spec.ts';
export { PRESETS, PRESET_NAMES, findPreset, type Preset } from './experiment/presets.ts';
export { InputError } from './core/input-error.ts';

// One run: train, prune at init, measure the information plane; its directory.
export { runExperiment, type RunHooks, type RunResult } from './experiment/run.ts';
export type { KdeRecord, MiRecord } from './experiment/mi-measure.ts';
export type { EpochMetrics } from './train/trainer.ts';
export { runFiles, summaryOf, writeRunDirectory } from './report/run-files.ts';

// Many seeds and grids: trials, sweeps, their summaries.
export { parseSeeds } from './experiment/trials/seeds.ts';
export { parseShard, type Shard } from './experiment/trials/shard.ts';
export { runTrials, type RunTrialsOptions, type TrialJob, type TrialsTarget } from './experiment/trials/run-trials.ts';
export { checkTrialsDir, initTrialsDir, readTrialsDir } from './experiment/trials/trials-dir.ts';
export { summarizeTrials, type TrialsSummary } from './experiment/trials/summary.ts';
export { parseGridArg, type GridAxis } from './experiment/trials/grid.ts';
export { initSweepDir, planSweep, sweepJobs, sweepTargets, type SweepPlan } from './experiment/trials/sweep.ts';

// The estimators on arrays: binning MI and KDE bounds.
export * from './mi/index.ts';
export { type ArrayLabels, type ArrayLayer, type ArrayMiOptions, type ArrayMiResult, informationPlaneOfArrays } from './io/array-mi.ts';
export { decodeNpy, encodeNpy, type NdArray, type NpyArray } from './io/npy.ts';

// Pruning: torch.nn.utils.prune semantics as pure functions of weights.
export * from './prune/index.ts';

// Backends and what they can do.
export type { Backend, BackendInfo, BackendOp } from './backend/backend.ts';
export { BACKEND_NAMES, type BackendName, availableBackends, nativeBackend, referenceBackend, selectBackend } from './backend/registry.ts';
export { loadNativeAddon, type NativeFeatures } from './backend/native/addon.ts';
