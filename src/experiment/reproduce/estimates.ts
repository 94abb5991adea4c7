// The figures a verdict rests on, each with a 95% interval, and the rule
// that turns an interval into a verdict.
//
// - A median (of final test accuracy, of bits) gets the distribution-free
//   order-statistic interval [x_(j), x_(n−j+1)]: it covers the population
//   median with probability P(j ≤ B ≤ n−j), B ~ Binomial(n, 1/2), exactly,
//   whatever the distribution. We take the narrowest such interval with
//   coverage ≥ 95%; with fewer than 6 runs none exists, and [min, max] is
//   given with its (lower) coverage stated.
// - A difference of two medians gets [loA − hiB, hiA − loB] from each
//   median's 97.5% interval: by Bonferroni it covers with probability ≥ 95%.
// - A proportion gets the Wilson score interval (src/experiment/trials/wilson.ts).
//
// Verdict of a figure against the claim's region (a closed range of values
// where the claim holds): the whole interval inside → reproduced; the whole
// interval outside → not reproduced; straddling the edge → partly (the data
// cannot tell at this many runs, or the figure sits on the edge).
import { quantile } from '../trials/stats.ts';
import { type Proportion, proportion } from '../trials/wilson.ts';

// untestable: the data exist but the claim's premise never occurs (e.g. "compression only with high accuracy" when no run compresses).
export const VERDICTS = ['reproduced', 'partly', 'not reproduced', 'untestable', 'no data'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Estimate {
  value: number | null;
  interval: [number, number] | null;
  /** Runs behind the figure. */
  n: number;
  /** Probability that the interval covers the true value (exact for medians; a lower bound for differences). */
  coverage: number | null;
  method: string;
}

/** The closed range of a figure where the claim holds; open ends are ±Infinity. */
export interface Region {
  min: number;
  max: number;
  /** How the page writes it, e.g. "≥ 1 bit" or "in [97%, 99%]". */
  text: string;
}

export const LEVEL = 0.95;

/** How a figure is written (report/figure-format.ts): accuracy and fraction as percentages, bits, amounts; `ity` is bits to 3 decimals. */
export type Unit = 'accuracy' | 'fraction' | 'bits' | 'amount' | 'ity';

/** P(B ≤ k) for k = 0..n, B ~ Binomial(n, 1/2), summed in log space (no underflow at large n). */
function binomialHalfCdf(n: number): number[] {
  const cdf: number[] = [];
  let logPmf = -n * Math.LN2;
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logPmf += Math.log((n - k + 1) / k);
    sum += Math.exp(logPmf);
    cdf.push(Math.min(1, sum));
  }
  return cdf;
}

/** The median of the finite values with its order-statistic interval at `level`. */
export function medianEstimate(values: readonly number[], level = LEVEL): Estimate {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = s.length;
  const method = `median of ${n} runs, order-statistic interval`;
  if (n === 0) return { value: null, interval: null, n, coverage: null, method };
  const cdf = binomialHalfCdf(n);
  const coverageOf = (j: number) => 1 - 2 * cdf[j - 1];
  let j = 1;
  for (let k = 2; k <= Math.ceil(n / 2); k++) {
    if (coverageOf(k) >= level) j = k;
    else break;
  }
  return { value: quantile(s, 0.5), interval: [s[j - 1], s[n - j]], n, coverage: Math.max(0, coverageOf(j)), method };
}

/** median(a) − median(b), each median's interval at (1 + level)/2, so the difference's covers with ≥ level. */
export function medianDifference(a: readonly number[], b: readonly number[], level = LEVEL): Estimate {
  const each = 1 - (1 - level) / 2;
  const [ea, eb] = [medianEstimate(a, each), medianEstimate(b, each)];
  const method = `difference of medians (${ea.n} and ${eb.n} runs), Bonferroni interval from each median's ${each * 100}% interval`;
  if (!ea.interval || !eb.interval) return { value: null, interval: null, n: ea.n + eb.n, coverage: null, method };
  return {
    value: ea.value! - eb.value!,
    interval: [ea.interval[0] - eb.interval[1], ea.interval[1] - eb.interval[0]],
    n: ea.n + eb.n,
    coverage: Math.max(0, 1 - (1 - ea.coverage!) - (1 - eb.coverage!)),
    method,
  };
}

/** count/total with its Wilson 95% interval, as an Estimate. */
export function proportionEstimate(count: number, total: number): Estimate & { proportion: Proportion } {
  const p = proportion(count, total);
  return {
    value: p.fraction,
    interval: total ? p.wilson95 : null,
    n: total,
    coverage: total ? LEVEL : null,
    method: `${count} of ${total} runs, Wilson score interval`,
    proportion: p,
  };
}

export function regionVerdict(interval: readonly [number, number] | null, region: Region): Verdict {
  if (!interval) return 'no data';
  const [lo, hi] = interval;
  if (lo >= region.min && hi <= region.max) return 'reproduced';
  if (hi < region.min || lo > region.max) return 'not reproduced';
  return 'partly';
}

/** Parts of a claim together: all reproduced → reproduced, all not → not reproduced, else partly. Parts without data or untestable are left out. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  const known = verdicts.filter((v) => v !== 'no data' && v !== 'untestable');
  if (known.length === 0) return verdicts.includes('untestable') ? 'untestable' : 'no data';
  if (known.every((v) => v === 'reproduced')) return 'reproduced';
  if (known.every((v) => v === 'not reproduced')) return 'not reproduced';
  return 'partly';
}

export const atLeast = (min: number, text: string): Region => ({ min, max: Number.POSITIVE_INFINITY, text });
export const atMost = (max: number, text: string): Region => ({ min: Number.NEGATIVE_INFINITY, max, text });
export const within = (min: number, max: number, text: string): Region => ({ min, max, text });
