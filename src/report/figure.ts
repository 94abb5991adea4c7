// A figure of a page: its one header, the SVG (with <title> and <desc> for
// screen readers and for anyone opening the file alone) and a short text
// under it saying what it shows and how to read it.
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.ts';
import { escapeHtml } from './text.ts';

export interface Figure {
  name: string;
  title: string;
  svg: string;
  /** What the figure shows and how to read it (plain text). */
  explanation?: string;
}

/** Puts <title> and <desc> first inside the <svg> element, as SVG 2 asks for an accessible name. */
export function describedSvg(svg: string, title: string, description: string): string {
  const open = svg.indexOf('>', svg.indexOf('<svg')) + 1;
  const head = svg.slice(0, open).replace('<svg', '<svg role="img"');
  return `${head}<title>${escapeHtml(title)}</title><desc>${escapeHtml(description)}</desc>${svg.slice(open)}`;
}

export async function renderFigure(name: string, title: string, explanation: string, spec: TopLevelSpec): Promise<Figure> {
  return { name, title, explanation, svg: describedSvg(await renderSvg(spec), title, explanation) };
}

export function figureHtml(f: Figure): string {
  const text = f.explanation ? `<figcaption>${escapeHtml(f.explanation)}</figcaption>` : '';
  return `<figure id="${escapeHtml(f.name)}"><h2>${escapeHtml(f.title)}</h2>${f.svg}${text}</figure>`;
}

/** Page CSS for figures: a plot never makes the page wider than the window. */
export const FIGURE_STYLE = `figure{margin:1.5em 0;max-width:100%;overflow-x:auto}figure h2{margin:0 0 .4em}figure svg{max-width:100%;height:auto}
figcaption{color:#444;max-width:60em;margin-top:.4em;line-height:1.4}`;
