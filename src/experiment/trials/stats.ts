// Median and quartiles of a sample: linear interpolation between order
// statistics (numpy's default, Hyndman & Fan type 7).

export interface Band {
  /** How many runs the band is over. */
  n: number;
  median: number;
  q1: number;
  q3: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function band(values: readonly number[]): Band {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75) };
}

/** How far a figure varies from seed to seed: quartiles, extremes and the sample standard deviation. */
export interface Spread extends Band {
  min: number;
  max: number;
  sd: number;
}

export function spread(values: readonly number[]): Spread {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const sd = s.length > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1)) : Number.NaN;
  return { ...band(s), min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN, sd };
}
