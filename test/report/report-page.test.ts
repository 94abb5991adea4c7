// report.html as a person sees it: opened in Debian's headless Chromium, no
// console errors, every plot present with its marks and text.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveChromium, openInChromium, warnIfNoChromium } from '../helpers/chromium.ts';
import { infoplane } from '../helpers/cli.ts';

warnIfNoChromium('report page test');

describe.skipIf(!haveChromium)('report.html in headless Chromium', () => {
  it('renders the summary, the pruning table and every plot without console errors', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'infoplane-page-')), 'run');
    const r = infoplane([
      'run',
      '--epochs',
      '2',
      '--train-size',
      '800',
      '--test-size',
      '400',
      '--hidden',
      '64,10',
      '--bins',
      '10,30',
      '--prune',
      'layer-weight',
      '--layers',
      '1',
      '--amount',
      '0.9',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const { errors, seen } = await openInChromium(join(out, 'report.html'), (page) =>
      page.evaluate(() => ({
        figures: [...document.querySelectorAll('figure')].map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            caption: f.querySelector('h2')?.textContent ?? '',
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg?.querySelectorAll('path').length ?? 0,
            text: [...(svg?.querySelectorAll('text') ?? [])].map((t) => t.textContent).join(' '),
          };
        }),
        pruningRows: document.querySelectorAll('table')[1]?.querySelectorAll('tbody tr').length ?? 0,
        heading: document.querySelector('h1')?.textContent,
      })),
    );
    expect(errors).toEqual([]);
    expect(seen.heading).toBe('infoplane run');
    expect(seen.pruningRows).toBe(3);
    expect(seen.figures.map((f) => f.caption)).toEqual(['Information plane', 'I(X;T) and I(T;Y) per layer vs epoch', 'Accuracy and loss']);
    for (const f of seen.figures) {
      expect(f.width).toBeGreaterThan(300);
      expect(f.height).toBeGreaterThan(150);
      expect(f.marks).toBeGreaterThan(10);
    }
    expect(seen.figures[0].text).toContain('I(X;T) [bits]');
    expect(seen.figures[0].text).toContain('fixed:30');
    console.log(`report screenshot: ${join(out, 'report-screenshot.png')}`);
  });
});
