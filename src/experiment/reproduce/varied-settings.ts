// Every setting the reproduction runs: the report's settings under the
// defaults, then, per variation of the unstated assumptions (variations.ts),
// the settings in the variation's scope again with its values written in.
// A varied setting's id is `<setting>@<variation>` (its directory under
// settings/); it keeps the report setting it runs in `of`, so the claims
// evaluate it as that setting.
import { CLAIM_THRESHOLDS } from './thresholds.ts';
import { type ReproductionOptions, type ReproductionSetting, reproductionSettings, settingSpec } from './settings.ts';
import { type Variation, variations, type VaryScope } from './variations.ts';

/** The settings claim 4 tests: the unpruned net, each global limit and the next amount above it. */
export function limitSettings(settings: readonly ReproductionSetting[]): ReproductionSetting[] {
  const within = CLAIM_THRESHOLDS.limitNextWithin + 1e-9;
  const next = (kind: ReproductionSetting['kind'], limit: number) =>
    settings.filter((s) => s.kind === kind && s.amount > limit + 1e-9 && s.amount <= limit + within).sort((a, b) => a.amount - b.amount)[0];
  const limits = [
    ['global-weight', CLAIM_THRESHOLDS.weightLimit],
    ['global-neuron', CLAIM_THRESHOLDS.neuronLimit],
  ] as const;
  const picked = new Set<ReproductionSetting | undefined>(settings.filter((s) => s.kind === 'baseline'));
  for (const [kind, limit] of limits) {
    picked.add(settings.find((s) => s.kind === kind && Math.abs(s.amount - limit) < 1e-9));
    picked.add(next(kind, limit));
  }
  return settings.filter((s) => picked.has(s));
}

function inScope(settings: readonly ReproductionSetting[], scope: VaryScope): ReproductionSetting[] {
  return scope === 'all' ? [...settings] : limitSettings(settings);
}

/** The variations of the options (combinations equal to the defaults left out). */
export function variationsOf(options: ReproductionOptions): Variation[] {
  if (options.vary.length === 0) return [];
  const defaults = reproductionSettings(options);
  return variations(options.vary, settingSpec(defaults[0], options));
}

/** Defaults first, then each variation's settings in the same order. */
export function plannedSettings(options: ReproductionOptions): ReproductionSetting[] {
  const defaults = reproductionSettings(options);
  const varied = variationsOf(options).flatMap((v) =>
    inScope(defaults, options.varyScope).map((s) => ({
      ...s,
      id: `${s.id}@${v.name}`,
      title: `${s.title}, ${v.name.replace(/_/g, ', ')}`,
      variation: v.name,
      vary: v.values,
    })),
  );
  return [...defaults, ...varied];
}
