// The summary files of a trials directory, recomputed from its journal:
// summary.json, trials.csv and trials-mi.csv, plots/*.svg|png and
// trials.html. Every file is a pure function of the journal's lines (as a
// set), so shards merged and a single process give the same bytes.
import type { TrialRecord } from '../experiment/trials/record.ts';
import type { TrialsSummary } from '../experiment/trials/summary.ts';
import { type Figure, renderFigure } from './figure.ts';
import { svgToPng } from './render.ts';
import { medianAccuracySpec, medianMiSpec, medianPlaneSpec, outcomeFrequencySpec } from './trials-plots.ts';
import { renderTrialsPage } from './trials-page.ts';
import { trialsTableFiles } from './trials-tables.ts';
import { jsonWithUnits } from './units.ts';

const WILSON =
  'Bars are the fraction of runs with each label; the black rule is its Wilson score 95% interval (it stays inside [0, 1] and is honest with few runs), and the number is the count.';

export async function trialsFigures(summary: TrialsSummary, options: { logEpochs?: boolean } = {}): Promise<Figure[]> {
  const figures: Figure[] = [];
  if (summary.runs === 0) return figures;
  const accuracy = summary.trajectories.accuracy;
  figures.push(
    await renderFigure(
      'outcome-frequencies',
      'Outcome frequencies',
      `${WILSON} accuracy: how well the net trained (trained = within the margin of the baseline; chance = at the majority-class rate). plane:<layer>: the shape of that layer's information plane (compression = I(X;T) falls after its peak and stays down).`,
      outcomeFrequencySpec(summary.outcomes),
    ),
  );
  figures.push(
    await renderFigure(
      'combination-frequencies',
      'Outcome combinations (most frequent 20)',
      `${WILSON} A combination is the accuracy label and every watched layer's plane label of one run, joined by |.`,
      outcomeFrequencySpec(summary.combinations.slice(0, 20)),
    ),
  );
  const hasMi = Object.values(accuracy).some((t) => Object.keys(t.layers).length > 0);
  if (hasMi) {
    const estimator = Object.values(accuracy).find((t) => t.estimator)?.estimator ?? '';
    figures.push(
      await renderFigure(
        'median-planes',
        `Median information plane per outcome (${estimator})`,
        "One panel per accuracy outcome: the median across its seeds of each layer's (I(X;T), I(T;Y)) per epoch, a colour per layer, markers darker with the epoch. The pale boxes are the interquartile ranges (25%–75% of seeds) of both coordinates at each epoch; together they form the band in which half of the runs move. A compressing layer moves right, then back left.",
        medianPlaneSpec(accuracy),
      ),
    );
    figures.push(
      await renderFigure(
        'median-mi',
        `Median MI per layer vs epoch (${estimator})`,
        'One row per accuracy outcome: median I(X;T) (left) and I(T;Y) (right) per layer across seeds, with the interquartile range as a band. A flat line at the top of the left panel is a saturated layer (log2 N).',
        medianMiSpec(accuracy, options),
      ),
    );
  }
  if (Object.keys(accuracy).length > 0) {
    figures.push(
      await renderFigure(
        'median-accuracy',
        'Test accuracy per outcome',
        'Median test accuracy per epoch of the runs with each accuracy outcome, with the interquartile range across seeds as a band.',
        medianAccuracySpec(accuracy),
      ),
    );
  }
  return figures;
}

export async function trialsReportFiles(
  summary: TrialsSummary,
  spec: Record<string, unknown>,
  dir: string,
  records: readonly TrialRecord[],
): Promise<Record<string, string | Uint8Array>> {
  const schedule = String((spec.mi as { epochs?: unknown } | undefined)?.epochs ?? '');
  const figures = await trialsFigures(summary, { logEpochs: schedule.startsWith('log:') });
  const files: Record<string, string | Uint8Array> = { 'summary.json': jsonWithUnits(summary), ...trialsTableFiles([{ grid: {}, records }]) };
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['trials.html'] = renderTrialsPage(summary, spec, dir, figures);
  return files;
}
