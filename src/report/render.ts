// Vega-Lite → SVG in Node (no browser), SVG → PNG with resvg. Both libraries
// load on first use: they cost about a second of start-up that commands which
// draw nothing (`infoplane mi`, `presets`) should not pay.
import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
type ResvgModule = typeof import('@resvg/resvg-js');

let plotting: Promise<[Vega, VegaLite]> | undefined;
let resvg: ResvgModule | undefined;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await (plotting ??= Promise.all([import('vega'), import('vega-lite')]));
  // Errors only: the compiler's optimizer warns on stdout when it stops at its pass limit, which changes nothing drawn.
  const compiled = vegaLite.compile(spec, { logger: vega.logger(vega.Error) });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string): Uint8Array {
  resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
  // Without system fonts resvg silently drops every text element (TOOLCHAIN.md).
  const image = new resvg.Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
  });
  return image.render().asPng();
}
