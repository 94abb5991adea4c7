// Every page as a person sees it: opened from disk in headless Chromium at
// 1280×900, with no console errors, no horizontal overflow, every figure with
// one header, marks, text, a <title>/<desc> and an explanation under it, and
// the file under its size budget. A long run (8 000 epochs, the IDNNs
// preset's length) is built from synthetic records: training it here would
// take minutes. Screenshots are left in SCREENSHOTS for a person to look at.
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MiRecord } from '../../src/experiment/mi-measure.ts';
import { describedSvg } from '../../src/report/figure.ts';
import { speedupVsSparsitySpec } from '../../src/report/bench-plot.ts';
import { renderSvg } from '../../src/report/render.ts';
import { runFigureFiles } from '../../src/report/run-figures.ts';
import { haveChromium, openInChromium, warnIfNoChromium } from '../helpers/chromium.ts';
import { inProcess } from '../trials/cli.ts';

warnIfNoChromium('page test');

const SCREENSHOTS = join(tmpdir(), 'infoplane-pages');
const PAGE_BUDGET = 2_000_000;
const SMALL = ['--train-size', '600', '--test-size', '200', '--quiet'];

interface SeenFigure {
  id: string;
  headers: number;
  header: string;
  explanation: string;
  marks: number;
  text: string;
  svgTitle: string;
  svgDesc: string;
  right: number;
  lineColours: string[];
  legendColours: string[];
}

async function inspect(page: string) {
  const { errors, seen } = await openInChromium(page, (tab) =>
    tab.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      figures: [...document.querySelectorAll('figure')].map((f) => {
        const svg = f.querySelector('svg');
        return {
          id: f.id,
          headers: f.querySelectorAll('h1, h2, h3').length,
          header: f.querySelector('h2')?.textContent ?? '',
          explanation: f.querySelector('figcaption')?.textContent ?? '',
          marks: svg?.querySelectorAll('path').length ?? 0,
          text: [...(svg?.querySelectorAll('text') ?? [])].map((t) => t.textContent).join(' '),
          svgTitle: svg?.querySelector(':scope > title')?.textContent ?? '',
          svgDesc: svg?.querySelector(':scope > desc')?.textContent ?? '',
          right: svg?.getBoundingClientRect().right ?? 0,
          lineColours: [
            ...new Set([...(svg?.querySelectorAll('path[aria-roledescription="line mark"]') ?? [])].map((p) => p.getAttribute('stroke') ?? '')),
          ].sort(),
          legendColours: [...new Set([...(svg?.querySelectorAll('.role-legend-symbol path') ?? [])].map((p) => p.getAttribute('fill') ?? ''))].sort(),
        } satisfies SeenFigure;
      }),
    })),
  );
  copyFileSync(
    page.replace(/\.(html|svg)$/, '-screenshot.png'),
    join(
      SCREENSHOTS,
      `${page
        .split('/')
        .slice(-2)
        .join('-')
        .replace(/\.(html|svg)$/, '')}.png`,
    ),
  );
  return { errors, ...seen, bytes: statSync(page).size };
}

function expectReadable(page: Awaited<ReturnType<typeof inspect>>): void {
  expect(page.errors).toEqual([]);
  expect(page.scrollWidth, 'horizontal overflow').toBeLessThanOrEqual(1280);
  expect(page.bytes).toBeLessThan(PAGE_BUDGET);
  expect(page.figures.length).toBeGreaterThan(0);
  for (const f of page.figures) {
    expect(f.headers, `${f.id}: one header`).toBe(1);
    expect(f.explanation.length, `${f.id}: explanation`).toBeGreaterThan(60);
    expect(f.marks, `${f.id}: marks`).toBeGreaterThan(3);
    expect(f.text.trim().length, `${f.id}: text`).toBeGreaterThan(10);
    expect(f.svgTitle).toBe(f.header);
    expect(f.svgDesc).toBe(f.explanation);
    expect(f.right, `${f.id}: inside 1280 px`).toBeLessThanOrEqual(1280);
  }
}

/** A synthetic run of `epochs` epochs: five layers under fixed:30, MI every epoch. */
function longRun(epochs: number) {
  const layers = ['h1', 'h2', 'h3', 'h4', 'out'];
  const mi: MiRecord[] = [];
  for (let epoch = 0; epoch <= epochs; epoch++) {
    layers.forEach((layer, l) => {
      const ixt = Math.min(12, 2 + l + 6 * Math.sin((Math.PI * epoch) / epochs));
      mi.push({
        epoch,
        layer,
        estimator: 'fixed:30',
        ixt,
        ity: Math.min(1, 0.2 + epoch / epochs),
        ht: ixt,
        htGivenY: ixt - 0.5,
        distinct: 100,
        ceilingX: 12,
        ceilingY: 1,
        saturated: ixt >= 12,
        xMode: 'each-sample-distinct',
        range: [-1, 1],
        outOfRange: 0,
      });
    });
  }
  const history = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, trainLoss: 1 / (i + 1), trainAcc: 0.9, testLoss: 1.1 / (i + 1), testAcc: 0.88 }));
  return {
    spec: { mi: { epochs: 'every' } },
    summary: {
      seed: 1,
      specHash: 'synthetic',
      data: { source: 'mat:var_u.mat', task: 'label', trainRows: 3482, testRows: 614, testMajorityRate: 0.5 },
      final: history[epochs - 1],
    },
    history,
    mi,
  };
}

describe.skipIf(!haveChromium)('pages in headless Chromium at 1280×900', () => {
  const dirs = {
    run: join(SCREENSHOTS, 'run'),
    long: join(SCREENSHOTS, 'long'),
    trials: join(SCREENSHOTS, 'trials'),
    sweep: join(SCREENSHOTS, 'sweep'),
    bench: join(SCREENSHOTS, 'bench'),
  };

  beforeAll(async () => {
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const runs = await Promise.all([
      inProcess([
        'run',
        ...SMALL,
        '--epochs',
        '4',
        '--hidden',
        '32,10,10',
        '--bins',
        '10,100,30',
        '--kde',
        '--kde-subsample',
        '100',
        '--mi-epochs',
        'log:3',
        '--prune',
        'layer-weight',
        '--layers',
        '1',
        '--amount',
        '0.9',
        '--out',
        dirs.run,
      ]),
    ]);
    const trials = await inProcess([
      'trials',
      ...SMALL,
      '--epochs',
      '3',
      '--hidden',
      '16,8',
      '--prune',
      'global-weight',
      '--amount',
      '0.9',
      '--seeds',
      '1..4',
      '--workers',
      '2',
      '--out',
      dirs.trials,
    ]);
    const sweep = await inProcess([
      'sweep',
      ...SMALL,
      '--epochs',
      '2',
      '--hidden',
      '16,8',
      '--prune',
      'global-weight',
      '--amount',
      '0.5',
      '--grid',
      'amount=0.2,0.9',
      '--grid',
      'prune=global-weight,layer-weight',
      '--seeds',
      '1..2',
      '--workers',
      '2',
      '--out',
      dirs.sweep,
    ]);
    for (const r of [...runs, trials, sweep]) expect(r.status, r.stderr).toBe(0);
    const files = await runFigureFiles(longRun(8000));
    mkdirSync(dirs.long);
    writeFileSync(join(dirs.long, 'report.html'), files['report.html']);
    mkdirSync(dirs.bench);
    const points = [0, 0.5, 0.9, 0.99].flatMap((sparsity) =>
      [1, 2].map((threads) => ({ shape: '784→1024', batch: 128, threads, sparsity, speedup: 0.3 + sparsity * sparsity * 4, kind: 'fwd+bwd, CSR' })),
    );
    const svg = await renderSvg(
      speedupVsSparsitySpec(points, 'Sparse vs dense', [{ shape: '784→1024', batch: 128, threads: 1, sparsity: 0.66, kind: 'fwd+bwd, CSR' }]),
    );
    writeFileSync(join(dirs.bench, 'bench.svg'), describedSvg(svg, 'Sparse vs dense', 'speed-up against sparsity'));
  }, 120_000);

  it('report.html: panels in numeric order, a colour per layer matching its legend, a ceiling line, a log epoch axis for log:K', async () => {
    const page = await inspect(join(dirs.run, 'report.html'));
    expectReadable(page);
    expect(page.figures.map((f) => f.header)).toEqual(['Information plane', 'I(X;T) and I(T;Y) per layer vs epoch', 'Accuracy and loss']);
    const [plane, mi] = page.figures;
    const order = ['fixed:10', 'fixed:30', 'fixed:100', 'kde-lower:0.1', 'kde-upper:0.1'].map((p) => plane.text.indexOf(p));
    expect(
      order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])),
      plane.text,
    ).toBe(true);
    expect(plane.lineColours).toHaveLength(4);
    expect(plane.legendColours).toEqual(expect.arrayContaining(plane.lineColours));
    expect(plane.text).toMatch(/log2 N = \d+\.\d\d/);
    expect(plane.explanation).toMatch(/ceiling log2 N/);
    expect(mi.text).toContain('epoch (log scale)');
  });

  it('a long run (8 000 epochs) stays under the size budget, with thinned markers', async () => {
    const page = await inspect(join(dirs.long, 'report.html'));
    expectReadable(page);
    console.log(`long-run report.html: ${page.bytes} bytes`);
    expect(page.figures[0].explanation).toMatch(/only 25 epochs per layer carry a marker/);
  });

  it('trials.html: median planes per outcome with IQR bands, legends matching the lines', async () => {
    const page = await inspect(join(dirs.trials, 'trials.html'));
    expectReadable(page);
    const planes = page.figures.find((f) => f.id === 'median-planes')!;
    expect(planes.legendColours).toEqual(expect.arrayContaining(planes.lineColours));
    expect(planes.explanation).toMatch(/interquartile/);
  });

  it('sweep.html: Wilson bands and a labelled 50% crossing', async () => {
    const page = await inspect(join(dirs.sweep, 'sweep.html'));
    expectReadable(page);
    expect(page.figures[0].explanation).toMatch(/Wilson score 95% intervals/);
  });

  it('the bench figure: crossovers marked with their sparsity', async () => {
    const { errors, seen } = await openInChromium(join(dirs.bench, 'bench.svg'), (tab) =>
      tab.evaluate(() => ({ width: document.documentElement.scrollWidth, text: document.documentElement.textContent ?? '' })),
    );
    copyFileSync(join(dirs.bench, 'bench-screenshot.png'), join(SCREENSHOTS, 'bench.png'));
    expect(errors).toEqual([]);
    expect(seen.width).toBeLessThanOrEqual(1280);
    expect(seen.text).toContain('66%');
  });
});
