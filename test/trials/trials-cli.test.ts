// infoplane trials / sweep / merge end to end on a tiny net: journal lines,
// exact replay, shards as separate processes merged = one process, resume
// after kill -9 and after a hand-truncated line, refusals before any output,
// failing seeds recorded, sweep thresholds; the pages in headless Chromium.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveChromium, openInChromium } from '../helpers/chromium.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { throughputLine } from '../../src/cli/trials-command.ts';
import { inProcess, spawnCli } from './cli.ts';

const tiny = ['--hidden', '16,8', '--epochs', '2', '--train-size', '300', '--test-size', '200'];
const root = mkdtempSync(join(tmpdir(), 'infoplane-trials-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const lines = (dir: string) => read(dir, 'trials.jsonl').split('\n').filter(Boolean);
const sorted = (dir: string) => [...lines(dir)].sort();
const seedsOf = (dir: string) =>
  lines(dir)
    .map((l) => JSON.parse(l).seed as number)
    .sort((a, b) => a - b);

const single = join(root, 'single');
let first: Awaited<ReturnType<typeof inProcess>>;

beforeAll(async () => {
  first = await inProcess(['trials', '--seeds', '1..6', '--workers', '2', ...tiny, '--out', single]);
});

describe('infoplane trials', () => {
  it('journals one line per seed, summarises, plots, and prints how to replay a seed exactly', async () => {
    expect(first.status, first.stderr).toBe(0);
    expect(seedsOf(single)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readdirSync(single).sort()).toEqual([
      'curves',
      'plots',
      'shard.json',
      'spec.json',
      'summary.json',
      'trials-mi.csv',
      'trials.csv',
      'trials.html',
      'trials.jsonl',
    ]);
    expect(JSON.parse(read(single, 'shard.json'))).toEqual({ shard: '0/1', seeds: '1..6' });
    expect(readdirSync(join(single, 'plots'))).toContain('outcome-frequencies.png');
    const summary = JSON.parse(read(single, 'summary.json'));
    expect(summary.runs).toBe(6);
    expect(summary.outcomes.filter((o: { kind: string }) => o.kind === 'accuracy').reduce((n: number, o: { count: number }) => n + o.count, 0)).toBe(6);
    const line = JSON.parse(lines(single)[0]);
    expect(line).toMatchObject({ specHash: summary.specHash, status: 'ok', epochs: 2 });
    expect(Object.keys(line.mi['fixed:30'])).toEqual(['h1', 'h2', 'out']);
    expect(Object.keys(line.outcome.planes)).toEqual(['h2', 'out']);
    expect(line.curve.testAcc).toHaveLength(2);
    expect(first.stdout).toMatch(/Wilson 95%/);
    expect(first.stdout).toMatch(/^ran 6 seeds in \d+\.\d s on 2 workers: \d+ trials\/hour$/m);
    // The printed replay command reproduces the journaled run bit for bit.
    const replay = /infoplane run --spec (\S+) --seed (\d+)/.exec(first.stdout)!;
    expect(replay[1]).toBe(join(single, 'spec.json'));
    const out = join(root, 'replay');
    const r = await inProcess(['run', '--spec', replay[1], '--seed', replay[2], '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const journaled = lines(single)
      .map((l) => JSON.parse(l))
      .find((l) => l.seed === Number(replay[2]));
    expect(JSON.parse(read(out, 'summary.json')).final).toEqual(journaled.final);
  });

  it('counts what it ran in words that agree with the numbers', () => {
    expect(throughputLine({ ran: 1, seconds: 2, workers: 1 })).toBe('ran 1 seed in 2.0 s on 1 worker: 1800 trials/hour\n');
    expect(throughputLine({ ran: 3, seconds: 1.5, workers: 2 })).toBe('ran 3 seeds in 1.5 s on 2 workers: 7200 trials/hour\n');
  });

  it('3 shards as separate processes, merged, equal the single-process run (lines as a set, summary)', async () => {
    const shards = [0, 1, 2].map((i) =>
      spawnCli(['trials', '--seeds', '1..6', '--workers', '1', '--shard', `${i}/3`, ...tiny, '--quiet', '--out', join(root, `shard${i}`)]),
    );
    const results = await Promise.all(shards.map((s) => s.done));
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    expect([0, 1, 2].map((i) => seedsOf(join(root, `shard${i}`)))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const merged = join(root, 'merged');
    // shard0 twice: de-duplicated by (spec hash, seed).
    const m = await inProcess(['merge', join(root, 'shard0'), join(root, 'shard1'), join(root, 'shard2'), join(root, 'shard0'), '--out', merged, '--quiet']);
    expect(m.status, m.stderr).toBe(0);
    expect(sorted(merged)).toEqual(sorted(single));
    expect(read(merged, 'summary.json')).toBe(read(single, 'summary.json'));
    expect(read(merged, 'spec.json')).toBe(read(single, 'spec.json'));
    // A merged directory is a trials directory: the same command resumes it with nothing to do.
    const again = await inProcess(['trials', '--seeds', '1..6', ...tiny, '--out', merged]);
    expect(again.stdout).toMatch(/nothing to run/);
    const refused = await inProcess(['merge', join(root, 'shard0'), join(root, 'other-spec-dir-that-is-missing'), '--out', join(root, 'never')]);
    expect(refused.status).toBe(2);
    expect(existsSync(join(root, 'never'))).toBe(false);
  });

  it('merge refuses a missing shard or shards of different N (exit 2, nothing written), or with --allow-incomplete marks the summary', async () => {
    const shard = (i: number) => join(root, `shard${i}`);
    expect(JSON.parse(read(shard(1), 'shard.json'))).toEqual({ shard: '1/3', seeds: '1..6' });
    const never = join(root, 'never');
    const missing = await inProcess(['merge', shard(0), shard(1), '--out', never]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/shard 2\/3 of --seeds 1\.\.6 missing/);
    expect(missing.stderr).toMatch(/2 of 6 seeds of --seeds 1\.\.6 are in no input \(seed 3, 6\)/);
    // The same seeds cut in two: its 1/2 holds 2, 4, 6.
    const half = join(root, 'half1');
    expect((await inProcess(['trials', '--seeds', '1..6', '--shard', '1/2', ...tiny, '--quiet', '--out', half])).status).toBe(0);
    const mixed = await inProcess(['merge', shard(0), half, '--out', never]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/shards of different N mixed for --seeds 1\.\.6: .*shard0 \(0\/3\), .*half1 \(1\/2\)/);
    expect(existsSync(never)).toBe(false);
    const loose = join(root, 'incomplete');
    const allowed = await inProcess(['merge', shard(0), half, '--allow-incomplete', '--out', loose, '--quiet']);
    expect(allowed.status, allowed.stderr).toBe(0);
    // 0/3 holds 1, 4 and 1/2 holds 2, 4, 6: 3 and 5 are in neither.
    expect(allowed.stderr).toMatch(/WARNING: merging an INCOMPLETE set .* 2 of 6 seeds missing/);
    const summary = JSON.parse(read(loose, 'summary.json'));
    expect(summary.runs).toBe(4);
    expect(summary.incomplete).toMatchObject({ missingRuns: 2, expectedRuns: 6 });
    expect(JSON.parse(read(loose, 'shard.json'))).toMatchObject({
      shard: '0/1',
      complete: false,
      merged: [
        { dir: shard(0), shard: '0/3' },
        { dir: half, shard: '1/2' },
      ],
    });
    // The page says so at its top, with what is missing; a complete directory's page has no banner.
    const page = read(loose, 'trials.html');
    expect(page).toMatch(
      /<h1>infoplane trials<\/h1>\n<div class="incomplete"><p><b>Incomplete merge\.<\/b> Made with <code>--allow-incomplete<\/code>: 2 of 6 expected runs are missing/,
    );
    expect(page).toMatch(/<li>2 of 6 seeds of --seeds 1\.\.6 are in no input \(seed 3, 5\)<\/li>/);
    expect(read(single, 'trials.html')).not.toContain('<div class="incomplete">');
    // A directory holds one shard: resuming it as another is refused before any run.
    const other = await inProcess(['trials', '--seeds', '1..6', '--shard', '1/3', ...tiny, '--out', shard(0)]);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/holds shard 0\/3 \(of --seeds 1\.\.6\); this command runs shard 1\/3/);
    expect(seedsOf(shard(0))).toEqual([1, 4]);
  });

  it('resumes after kill -9 and after a hand-truncated last line: no seed lost, none duplicated', async () => {
    const dir = join(root, 'killed');
    const run = spawnCli(['trials', '--seeds', '1..6', '--workers', '1', ...tiny, '--quiet', '--out', dir]);
    const journal = join(dir, 'trials.jsonl');
    while (!(existsSync(journal) && readFileSync(journal, 'utf8').length > 0) && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    run.child.kill('SIGKILL');
    await run.done;
    const kept = lines(dir);
    expect(kept.length).toBeLessThanOrEqual(6);
    // Simulate a kill in the middle of a write as well: half of the next line, no newline.
    const missing = lines(single).find((l) => !kept.some((k) => JSON.parse(k).seed === JSON.parse(l).seed));
    if (missing) writeFileSync(journal, read(dir, 'trials.jsonl') + missing.slice(0, Math.floor(missing.length / 2)));
    const resumed = await inProcess(['trials', '--seeds', '1..6', '--workers', '2', ...tiny, '--out', dir]);
    expect(resumed.status, resumed.stderr).toBe(0);
    if (missing) expect(resumed.stderr).toMatch(/dropped an interrupted last line/);
    expect(resumed.stderr).toMatch(new RegExp(`${6 - kept.length} to run, ${kept.length} already done`));
    expect(sorted(dir)).toEqual(sorted(single));
    expect(read(dir, 'summary.json')).toBe(read(single, 'summary.json'));
  });

  it('refuses another spec in the directory, naming the field, and leaves it untouched', async () => {
    const before = read(single, 'trials.jsonl');
    const r = await inProcess(['trials', '--seeds', '1..8', ...tiny, '--epochs', '3', '--out', single]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds trials of another spec/);
    expect(r.stderr).toMatch(/spec\.train\.epochs: 2 in the directory, 3 in this command/);
    expect(read(single, 'trials.jsonl')).toBe(before);
  });

  it.each([
    ['an invalid spec value', ['--lr', '-1'], /spec\.train\.lr: .*got -1/],
    [
      'a spec that validates but cannot run (preflight)',
      ['--train-size', '9000', '--test-size', '2000'],
      /cannot run \(checked on seed 1 before starting workers\): .*testSize/,
    ],
    ['a bad seed list', ['--seeds', '3..1'], /--seeds: range 3\.\.1 runs backwards/],
    ['a bad shard', ['--shard', '3/3'], /--shard: i must be in 0\.\.2/],
    ['a bad --keep-curves', ['--keep-curves', 'some'], /--keep-curves: expected rare \| all \| none/],
  ])('rejects %s before any worker starts: exit 2, no output directory', async (_name, args, message) => {
    const out = join(root, 'never');
    const r = await inProcess(['trials', '--seeds', '1..2', ...tiny, ...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --shard auto without an index in the environment, or a bad one, before any output', async () => {
    const out = join(root, 'never');
    const r = await inProcess(['trials', '--seeds', '1..2', ...tiny, '--shard', 'auto', '--out', out], { INFOPLANE_SHARD: '2/2' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--shard auto: INFOPLANE_SHARD i must be in 0\.\.1/);
    expect(existsSync(out)).toBe(false);
  });

  it('records a seed that throws or whose worker dies, and goes on with the rest', async () => {
    const dir = join(root, 'faults');
    const r = await inProcess(['trials', '--seeds', '1..4', '--workers', '2', ...tiny, '--out', dir], { INFOPLANE_TRIALS_FAULT: '2:throw,3:exit' });
    expect(r.status, r.stderr).toBe(0);
    const byseed = Object.fromEntries(
      lines(dir)
        .map((l) => JSON.parse(l))
        .map((l) => [l.seed, l]),
    );
    expect(Object.keys(byseed).sort()).toEqual(['1', '2', '3', '4']);
    expect(byseed[2]).toMatchObject({ status: 'error', error: 'injected fault for seed 2', outcome: { accuracy: 'error' } });
    expect(byseed[3]).toMatchObject({ status: 'error', outcome: { accuracy: 'error' } });
    expect(byseed[3].error).toMatch(/worker exited with code 3 while running seed 3/);
    expect([byseed[1].status, byseed[4].status]).toEqual(['ok', 'ok']);
    expect(JSON.parse(read(dir, 'summary.json')).errors).toBe(2);
  });
});

describe('infoplane sweep', () => {
  const sweep = join(root, 'sweep');
  const grid = ['--grid', 'prune=global-weight', '--grid', 'amount=0.1,0.5,0.97'];

  it('runs grid × seeds as trials per cell, with the trainability curve, the 50% crossing, plots and sweep.html', async () => {
    const r = await inProcess(['sweep', '--seeds', '1..3', '--workers', '2', ...tiny, ...grid, '--out', sweep]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(sweep, 'cells')).sort()).toEqual([
      'prune=global-weight_amount=0.1',
      'prune=global-weight_amount=0.5',
      'prune=global-weight_amount=0.97',
    ]);
    const s = JSON.parse(read(sweep, 'summary.json'));
    expect(s.xKey).toBe('amount');
    expect(s.series).toHaveLength(1);
    expect(s.series[0].points.map((p: { x: number; runs: number }) => [p.x, p.runs])).toEqual([
      [0.1, 3],
      [0.5, 3],
      [0.97, 3],
    ]);
    expect(s.method).toMatch(/linear interpolation/);
    expect(r.stdout).toMatch(/amount where the trained fraction crosses 50% \(linear interpolation between grid points/);
    expect(existsSync(join(sweep, 'plots', 'trainability.svg'))).toBe(true);
    expect(existsSync(join(sweep, 'plots', 'trainability.png'))).toBe(true);
    expect(seedsOf(join(sweep, 'cells', 'prune=global-weight_amount=0.5'))).toEqual([1, 2, 3]);
  });

  it('shards (cell, seed) pairs; the shards merged equal the single sweep', async () => {
    // In this process, one after the other: the process boundary is covered by the trials shard test.
    // --shard auto as a Slurm array --array=1-2 sets it (task ids 1 and 2: the MIN offset).
    for (const i of [0, 1]) {
      const array = {
        SLURM_ARRAY_TASK_ID: String(i + 1),
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_MAX: '2',
        SLURM_ARRAY_TASK_STEP: '1',
        SLURM_ARRAY_TASK_COUNT: '2',
      };
      const r = await inProcess(['sweep', '--seeds', '1..3', '--workers', '2', '--shard', 'auto', ...tiny, ...grid, '--out', join(root, `sweep${i}`)], array);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`shard ${i}/2 from Slurm array (SLURM_ARRAY_TASK_ID=${i + 1}`);
    }
    const alone = await inProcess(['merge', join(root, 'sweep0'), '--out', join(root, 'never')]);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/shard 1\/2 of --seeds 1\.\.3 missing/);
    expect(alone.stderr).toMatch(/4 of 9 runs of --seeds 1\.\.3 are in no input/);
    const merged = join(root, 'sweep-merged');
    const m = await inProcess(['merge', join(root, 'sweep0'), join(root, 'sweep1'), '--out', merged, '--quiet']);
    expect(m.status, m.stderr).toBe(0);
    expect(read(merged, 'summary.json')).toBe(read(sweep, 'summary.json'));
    for (const cell of readdirSync(join(sweep, 'cells'))) expect(sorted(join(merged, 'cells', cell))).toEqual(sorted(join(sweep, 'cells', cell)));
  });

  it('rejects an unknown grid key naming it, before any output', async () => {
    const out = join(root, 'never');
    const r = await inProcess(['sweep', '--seeds', '1', ...tiny, '--grid', 'momentum=0.9', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--grid: unknown key "momentum"/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!haveChromium)('trials.html and sweep.html in headless Chromium', () => {
  it('render every figure and table without console errors', async () => {
    for (const [page, captions] of [
      [
        join(single, 'trials.html'),
        [
          'Outcome frequencies',
          'Outcome combinations (most frequent 20)',
          'Median information plane per outcome (fixed:30)',
          'Median MI per layer vs epoch (fixed:30)',
          'Test accuracy per outcome',
        ],
      ],
      [join(root, 'sweep', 'sweep.html'), ['Trainability vs amount', 'Median information plane of h2 per series at amount 0.5']],
    ] as const) {
      const { errors, seen } = await openInChromium(page, (tab) =>
        tab.evaluate(() => ({
          heading: document.querySelector('h1')?.textContent,
          rows: document.querySelectorAll('table tbody tr').length,
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
        })),
      );
      expect(errors).toEqual([]);
      expect(seen.heading).toMatch(/^infoplane (trials|sweep)$/);
      expect(seen.rows).toBeGreaterThan(2);
      expect(seen.figures.map((f) => f.caption)).toEqual(captions);
      for (const f of seen.figures) {
        expect(f.width).toBeGreaterThan(300);
        expect(f.height).toBeGreaterThan(60);
        expect(f.marks).toBeGreaterThan(3);
        expect(f.text).toMatch(/fraction of runs|median|bits|accuracy/);
      }
    }
  });
});
