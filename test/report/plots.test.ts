// Plots are checked for what a reader sees: the text and the marks, in the
// SVG and in the PNG pixels (resvg silently drops text without fonts).
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { renderFigure } from '../../src/report/figure.ts';
import { informationPlaneSpec, layerOrder, panelOrder, trainingCurvesSpec } from '../../src/report/plot-specs.ts';
import { keptEpochs, MARKERS } from '../../src/report/thin.ts';
import { renderSvg, svgToPng } from '../../src/report/render.ts';

const points = ['h1', 'h2', 'out'].flatMap((layer, l) =>
  [0, 1, 2, 3].flatMap((epoch) =>
    ['fixed:10', 'fixed:30'].map((estimator) => ({ epoch, layer, estimator, ixt: 10 - l * 3 - epoch * 0.5, ity: 0.2 + epoch * 0.2 })),
  ),
);

function darkPixels(svg: string): number {
  const { pixels } = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' }).render();
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 200) dark++;
  return dark;
}

describe('plots', () => {
  it('the information plane has axis titles, one panel per estimator, a line per layer and a point per (layer, epoch)', async () => {
    const svg = await renderSvg(informationPlaneSpec(points));
    expect(svg).toContain('I(X;T) [bits]');
    expect(svg).toContain('I(T;Y) [bits]');
    expect(svg).toContain('fixed:10');
    expect(svg).toContain('fixed:30');
    // 3 layers × 4 epochs × 2 panels symbols, 3 × 2 connecting lines.
    expect(svg.match(/role-mark symbol|class="mark-symbol/g)?.length ?? 0).toBeGreaterThan(0);
    expect((svg.match(/<path [^>]*aria-roledescription="point"/g) ?? []).length).toBe(24);
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(6);
  });

  it('the PNG shows the text: removing every <text> removes dark pixels', async () => {
    const svg = await renderSvg(
      trainingCurvesSpec([1, 2, 3].map((e) => ({ epoch: e, trainLoss: 1 / e, trainAcc: 0.8 + e / 50, testLoss: 1.2 / e, testAcc: 0.79 + e / 50 }))),
    );
    const withoutText = svg.replace(/<text[\s\S]*?<\/text>/g, '');
    expect(withoutText.length).toBeLessThan(svg.length);
    const [full, bare] = [darkPixels(svg), darkPixels(withoutText)];
    expect(full - bare).toBeGreaterThan(500);
    const png = svgToPng(svg);
    expect(Array.from(png.subarray(1, 4), (c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });
});

describe('plot layout', () => {
  it('panels are ordered by their numbers, layers in network order', () => {
    expect(panelOrder(['fixed:10', 'fixed:100', 'fixed:30', 'kde-upper:0.1', 'kde-lower:0.1'])).toEqual([
      'fixed:10',
      'fixed:30',
      'fixed:100',
      'kde-lower:0.1',
      'kde-upper:0.1',
    ]);
    expect(layerOrder(['out', 'h10', 'h2', 'h1'])).toEqual(['h1', 'h2', 'h10', 'out']);
  });

  it('long runs are thinned: at most LINE_POINTS epochs per line and MARKERS markers per layer, first and last kept', async () => {
    const epochs = Array.from({ length: 8001 }, (_, e) => e);
    expect([...keptEpochs(epochs, 25)]).toHaveLength(25);
    expect(keptEpochs(epochs, 25).has(0) && keptEpochs(epochs, 25).has(8000)).toBe(true);
    const long = ['h1', 'h2'].flatMap((layer) => epochs.map((epoch) => ({ epoch, layer, estimator: 'fixed:30', ixt: Math.sin(epoch / 500) + 5, ity: 0.5 })));
    const svg = await renderSvg(informationPlaneSpec(long, { ceilingX: { 'fixed:30': 12 }, ceilingY: 1 }));
    expect((svg.match(/<path [^>]*aria-roledescription="point"/g) ?? []).length).toBe(2 * MARKERS);
    expect(svg.length).toBeLessThan(150_000);
    expect(svg).toContain('log2 N = 12.00');
  });

  it('a figure carries <title> and <desc> inside its <svg>', async () => {
    const f = await renderFigure('x', 'Information plane', 'what it shows', informationPlaneSpec(points));
    expect(f.svg).toMatch(/^<svg[^>]*role="img"[^>]*><title>Information plane<\/title><desc>what it shows<\/desc>/);
  });
});
