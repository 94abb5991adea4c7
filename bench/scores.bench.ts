// Pruning scores side by side: the time to score and prune the default net
// (784-1024-20-20-20-2) to 99% global sparsity with each score, at its
// default rounds (SynFlow 100 exponential rounds, the others one shot) and
// one score batch of 20 rows (Synaptic-Flow's prune set for 2 classes), on
// the native kernels. Each row prints a digest of the resulting masks, so
// a speed change that alters a mask shows up beside its figure.
//
//   npx tsx bench/scores.bench.ts [--iterations 3]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { Rng } from '../src/core/rng.ts';
import { parseAmount } from '../src/prune/amount.ts';
import type { ScoreBatch, ScoreLayer } from '../src/prune/scores/mlp-pass.ts';
import { defaultRounds } from '../src/prune/scores/scoring-options.ts';
import { scoredStep, type ScoringContext } from '../src/prune/scores/scored-step.ts';
import { SCORE_NAMES, type ScoreName } from '../src/prune/scores/scores.ts';
import { contentionMeter, fillRandom, fx, heading, isMain, secs, table } from './common.ts';

const SIZES = [784, 1024, 20, 20, 20, 2];
const SCORE_ROWS = 20;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

export interface ScoreRow {
  score: ScoreName;
  rounds: number;
  /** tinybench latency, seconds: median and fastest. */
  p50: number;
  min: number;
  kept: number;
  /** sha256 of the concatenated masks, first 12 hex digits. */
  digest: string;
  othersCores: number;
}

function defaultNet(): ScoreLayer[] {
  return SIZES.slice(1).map((out, l) => ({
    in: SIZES[l],
    out,
    weight: fillRandom(new Float32Array(out * SIZES[l]), 10 + l, 1 / Math.sqrt(SIZES[l])),
    bias: fillRandom(new Float32Array(out), 20 + l, 0.1),
  }));
}

function scoreBatch(): ScoreBatch {
  const x = fillRandom(new Float32Array(SCORE_ROWS * SIZES[0]), 30).map((v) => (v + 1) / 2);
  return { x, labels: Int32Array.from({ length: SCORE_ROWS }, (_, r) => r % SIZES[SIZES.length - 1]), rows: SCORE_ROWS };
}

function pruneAt99(layers: readonly ScoreLayer[], score: ScoreName, context: ScoringContext): Uint8Array[] {
  const start = layers.map((l) => new Uint8Array(l.weight.length).fill(1));
  const scoring = { score, rounds: defaultRounds(score), schedule: 'exponential' as const, scoreBatches: 1 };
  return scoredStep(layers, start, [layers.map((_, l) => l)], parseAmount(0.99), scoring, context, 'amount').masks;
}

function digest(masks: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const m of masks) h.update(m);
  return h.digest('hex').slice(0, 12);
}

export async function runScores(iterations: number): Promise<ScoreRow[]> {
  const layers = defaultNet();
  const batch = scoreBatch();
  const context: ScoringContext = {
    kernels: requireNativeAddon(),
    activation: 'tanh',
    batches: (n) => new Array<ScoreBatch>(n).fill(batch),
    random: (stream) => Rng.stream(1, stream),
    redraw: () => {
      throw new Error('no reinit in this bench');
    },
  };
  const rows: ScoreRow[] = [];
  for (const score of SCORE_NAMES) {
    const masks = pruneAt99(layers, score, context);
    const bench = new Bench({ time: 0, iterations, warmupTime: 0, warmupIterations: 1 });
    bench.add(score, () => {
      pruneAt99(layers, score, context);
    });
    const meter = contentionMeter();
    await bench.run();
    const { othersCores } = meter();
    const r = bench.tasks[0].result;
    if (!('latency' in r)) throw new Error(`${score}: ${r.state}`);
    rows.push({
      score,
      rounds: defaultRounds(score),
      p50: r.latency.p50 / 1000,
      min: r.latency.min / 1000,
      kept: masks.reduce((s, m) => s + m.reduce((a, b) => a + b, 0), 0),
      digest: digest(masks),
      othersCores,
    });
  }
  return rows;
}

export function printScores(rows: readonly ScoreRow[]): void {
  heading(`Score and prune ${SIZES.join('-')} to 99% global, native kernels`);
  const fastest = Math.min(...rows.map((r) => r.p50));
  console.log(
    table(
      ['score', 'rounds', 'p50', 'min', '× fastest', 'kept', 'masks sha256', 'other cores'],
      rows.map((r) => [r.score, String(r.rounds), secs(r.p50), secs(r.min), fx(r.p50 / fastest), String(r.kept), r.digest, fx(r.othersCores, 2)]),
    ),
  );
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--iterations');
  const iterations = at > 0 ? Number(process.argv[at + 1]) : 3;
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`--iterations must be a positive integer, got ${process.argv[at + 1]}`);
  const before = loadavg();
  const rows = await runScores(iterations);
  printScores(rows);
  console.log(`load average (1, 5, 15 min) before: ${before}, after: ${loadavg()}`);
}
