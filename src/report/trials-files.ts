// The summary files of a trials directory, recomputed from its journal:
// summary.json, plots/*.svg|png and trials.html. summary.json is a pure
// function of the journal's lines (as a set), so shards merged and a single
// process give the same bytes.
import type { TrialRecord } from '../experiment/trials/record.ts';
import type { TrialsSummary } from '../experiment/trials/summary.ts';
import type { Figure } from './run-figures.ts';
import { renderSvg, svgToPng } from './render.ts';
import { medianAccuracySpec, medianMiSpec, medianPlaneSpec, outcomeFrequencySpec } from './trials-plots.ts';
import { renderTrialsPage } from './trials-page.ts';
import { trialsTableFiles } from './trials-tables.ts';
import { jsonWithUnits } from './units.ts';

export async function trialsFigures(summary: TrialsSummary): Promise<Figure[]> {
  const figures: Figure[] = [];
  if (summary.runs === 0) return figures;
  const accuracy = summary.trajectories.accuracy;
  figures.push({ name: 'outcome-frequencies', title: 'Outcome frequencies', svg: await renderSvg(outcomeFrequencySpec(summary.outcomes, 'Outcome frequencies with Wilson 95% intervals')) });
  figures.push({ name: 'combination-frequencies', title: 'Outcome combinations', svg: await renderSvg(outcomeFrequencySpec(summary.combinations.slice(0, 20), 'Outcome combinations (most frequent 20)')) });
  const hasMi = Object.values(accuracy).some((t) => Object.keys(t.layers).length > 0);
  if (hasMi) {
    const estimator = Object.values(accuracy).find((t) => t.estimator)?.estimator ?? '';
    figures.push({ name: 'median-planes', title: 'Median information plane per outcome', svg: await renderSvg(medianPlaneSpec(accuracy, `Median information plane per accuracy outcome (${estimator})`)) });
    figures.push({ name: 'median-mi', title: 'Median MI per layer vs epoch', svg: await renderSvg(medianMiSpec(accuracy, `Median I(X;T), I(T;Y) per layer with IQR (${estimator})`)) });
  }
  if (Object.keys(accuracy).length > 0) {
    figures.push({ name: 'median-accuracy', title: 'Median test accuracy per outcome', svg: await renderSvg(medianAccuracySpec(accuracy, 'Test accuracy per accuracy outcome: median and IQR')) });
  }
  return figures;
}

export async function trialsReportFiles(summary: TrialsSummary, spec: Record<string, unknown>, dir: string, records: readonly TrialRecord[]): Promise<Record<string, string | Uint8Array>> {
  const figures = await trialsFigures(summary);
  const files: Record<string, string | Uint8Array> = { 'summary.json': jsonWithUnits(summary), ...trialsTableFiles([{ grid: {}, records }]) };
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['trials.html'] = renderTrialsPage(summary, spec, dir, figures);
  return files;
}
