// The plots and the self-contained report.html of a run, rendered from what
// the run directory holds (so `infoplane report <dir>` can redo them).
import type { KdeRecord, KsgRecord, MiRecord } from '../experiment/mi-measure.ts';
import type { EpochMetrics } from '../train/trainer.ts';
import { type Figure, renderFigure } from './figure.ts';
import { renderRunPage } from './run-page.ts';
import { informationPlaneSpec, layerOrder, miVsEpochSpec, panelOrder, trainingCurvesSpec, type PlanePoint } from './plot-specs.ts';
import { svgToPng } from './render.ts';
import { LINE_POINTS, MARKERS } from './thin.ts';

export type { Figure } from './figure.ts';

export interface RunRecord {
  spec: Record<string, unknown>;
  summary: Record<string, unknown>;
  history: EpochMetrics[];
  mi: MiRecord[];
  kde?: KdeRecord[];
  ksg?: KsgRecord[];
}

const list = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** What the plane shows in this run: the ceiling, which layers sit at it, and how to spot compression. */
function planeExplanation(run: RunRecord, estimators: readonly string[], kde: boolean): string {
  const binnings = panelOrder(estimators.filter((e) => !e.startsWith('kde')));
  const lastEpoch = Math.max(...run.mi.map((r) => r.epoch));
  const finals = run.mi.filter((r) => r.epoch === lastEpoch);
  const saturatedUnder = binnings
    .map((e) => [e, layerOrder(finals.filter((r) => r.estimator === e && r.saturated).map((r) => r.layer))] as const)
    .filter(([, layers]) => layers.length > 0);
  const ceiling = finals.find((r) => r.xMode === 'each-sample-distinct')?.ceilingX;
  const n = ceiling === undefined ? undefined : Math.round(2 ** ceiling);
  const parts = [
    'Each line is one layer (colour, see the legend) moving through the plane as training goes on; markers get darker with the epoch' +
      (new Set(run.mi.map((r) => r.epoch)).size > MARKERS
        ? ` (only ${MARKERS} epochs per layer carry a marker, and lines keep at most ${LINE_POINTS} epochs)`
        : '') +
      '.',
    'Right = the layer keeps more about the input x, I(X;T); up = more about the label y, I(T;Y).',
    ceiling === undefined
      ? ''
      : `The dashed vertical line is the ceiling log2 N = ${ceiling.toFixed(2)} bits (N = ${n} samples): a binned layer can never pass it. The dotted horizontal line is H(Y), the most any layer can know about y.`,
    saturatedUnder.length
      ? `Saturated at the last epoch (H(T) = log2 N: every sample falls in its own bin, so the estimator cannot tell the layer's states apart): ${saturatedUnder.map(([e, layers]) => `${list(layers)} under ${e}`).join('; ')}. Such layers sit in the top-right corner because of the estimator, not because they memorise; fewer bins (--bins) or the KDE bounds (--kde) show more.`
      : 'No layer ends saturated (none reaches the ceiling).',
    'A compressing layer first moves right (fitting) and later turns back left while staying high (compression); a layer that only moves right does not compress.',
    estimators.length > 1
      ? `Panels: one per estimator (${list(panelOrder(estimators))}); fixed:m bins each unit's range into m bins${kde ? '; kde-upper/kde-lower are the Kolchinsky–Tracey bounds with the given noise variance, which have no log2 N ceiling' : ''}.`
      : '',
  ];
  return parts.filter(Boolean).join(' ');
}

export async function runFigureList(run: RunRecord): Promise<Figure[]> {
  const figures: Figure[] = [];
  const schedule = String((run.spec.mi as { epochs?: unknown } | undefined)?.epochs ?? 'every');
  const logEpochs = schedule.startsWith('log:');
  if (run.mi.length > 0) {
    const points: PlanePoint[] = run.mi.map((r) => ({ epoch: r.epoch, layer: r.layer, ixt: r.ixt, ity: r.ity, estimator: r.estimator }));
    for (const r of run.kde ?? []) {
      points.push({ epoch: r.epoch, layer: r.layer, ixt: r.ixtUpper, ity: r.ityFromUpper, estimator: `kde-upper:${r.noiseVariance}` });
      points.push({ epoch: r.epoch, layer: r.layer, ixt: r.ixtLower, ity: r.ityFromLower, estimator: `kde-lower:${r.noiseVariance}` });
    }
    for (const r of run.mi) {
      if (r.ixtMillerMadow !== undefined)
        points.push({ epoch: r.epoch, layer: r.layer, ixt: r.ixtMillerMadow, ity: r.ityMillerMadow!, estimator: `${r.estimator}:miller-madow` });
    }
    const estimators = [...new Set(points.map((p) => p.estimator))];
    const ceilingX: Record<string, number> = {};
    for (const r of run.mi) if (r.xMode === 'each-sample-distinct') ceilingX[r.estimator] = r.ceilingX;
    const plane = informationPlaneSpec(points, { ceilingX, ceilingY: run.mi[0].ceilingY });
    figures.push(await renderFigure('information-plane', 'Information plane', planeExplanation(run, estimators, (run.kde ?? []).length > 0), plane));
    figures.push(
      await renderFigure(
        'mi-vs-epoch',
        'I(X;T) and I(T;Y) per layer vs epoch',
        `One row per estimator: I(X;T) on the left, I(T;Y) on the right, a colour per layer. A flat line at log2 N on the left is a saturated layer; a compressing layer rises and then falls on the left while its right-hand curve stays up.${logEpochs ? ` MI was measured on a ${schedule} schedule, so the epoch axis is logarithmic (symmetric log: epoch 0 is the initialisation).` : ''}`,
        miVsEpochSpec(points, { logEpochs }),
      ),
    );
  }
  // KSG on its own panel: its I(X;T) is against the input pixels on a subsample, not comparable in scale to H(T) of binning.
  const ksg = (run.ksg ?? []).filter((r) => r.ixt !== null);
  if (ksg.length > 0) {
    const points: PlanePoint[] = ksg.map((r) => ({ epoch: r.epoch, layer: r.layer, ixt: r.ixt!, ity: r.ity, estimator: `ksg:k=${r.k}, ${r.samples} rows` }));
    figures.push(
      await renderFigure(
        'ksg-information-plane',
        'Information plane (KSG)',
        'The k-nearest-neighbour estimates (Kraskov et al. 2004; Ross 2014 for I(T;Y)) on a subsample, a colour per layer: I(X;T) is measured against the input pixels, so it has no log2 N ceiling and its scale is not that of the binning planes above.',
        informationPlaneSpec(points),
      ),
    );
  }
  const data = run.summary.data as { testMajorityRate?: number } | undefined;
  figures.push(
    await renderFigure(
      'training',
      'Accuracy and loss',
      "Train and test accuracy (left) and mean cross-entropy loss in nats (right) per epoch. The dashed line is the test set's majority-class rate: a net sitting on it predicts one class (chance level), as after a layer collapse.",
      trainingCurvesSpec(run.history, { majorityRate: data?.testMajorityRate }),
    ),
  );
  return figures;
}

/** plots/<name>.svg and .png for every figure, and report.html with the SVGs inline. */
export async function runFigureFiles(run: RunRecord): Promise<Record<string, string | Uint8Array>> {
  const figures = await runFigureList(run);
  const files: Record<string, string | Uint8Array> = {};
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['report.html'] = renderRunPage(run, figures);
  return files;
}
