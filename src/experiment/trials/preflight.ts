// Before any output directory or worker exists: prepare the data, build and
// prune the network and measure MI at init once in the main thread, so a spec
// that validates but cannot run (a split larger than the data, a binning a
// layer cannot take, a prune count beyond a layer) is refused up front with
// the error the run would have hit. Settings shared by several sweep cells
// are checked once.
import { InputError } from '../../core/input-error.ts';
import { formatBinning, parseBinning } from '../../mi/binning.ts';
import { createMiMeasurer } from '../mi-measure.ts';
import { createEngine } from '../../train/engine.ts';
import { backendOf, buildNetwork, engineOptionsOf, optimizerOf, prepareData, pruneAtInit } from '../prepare.ts';
import { canonicalJson, type Spec } from '../spec.ts';

/** The canonical text of the spec's first binning: the estimator outcome labels use; null without MI. */
export function firstEstimator(spec: Spec): string | null {
  if (spec.mi.epochs === 'none' || spec.mi.binning.length === 0) return null;
  return formatBinning(parseBinning(spec.mi.binning[0], 'spec.mi.binning[0]'));
}

export class Preflight {
  private readonly seen = new Set<string>();

  check(spec: Spec, label: string): void {
    const keyed = (parts: unknown) => {
      const key = canonicalJson(parts);
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      return true;
    };
    const needData = keyed({ data: spec.data, seed: spec.seed });
    const needPrune = keyed({ data: spec.data, net: spec.net, prune: spec.prune, seed: spec.seed });
    const needMi = keyed({ data: spec.data, net: spec.net, mi: spec.mi, seed: spec.seed, backend: spec.backend });
    if (!needData && !needPrune && !needMi) return;
    try {
      const data = prepareData(spec);
      if (!needPrune && !needMi) return;
      const net = buildNetwork(spec, data);
      pruneAtInit(net, spec);
      if (!needMi) return;
      firstEstimator(spec);
      const engine = createEngine(backendOf(spec), net, optimizerOf(spec), spec.train.batchSize, engineOptionsOf(spec));
      createMiMeasurer(spec, data, () => {}).measure(0, engine);
    } catch (err) {
      throw new InputError(`${label}: the spec cannot run (checked on seed ${spec.seed} before starting workers): ${(err as Error).message}`);
    }
  }
}
