// The units of the numbers in every table and JSON file, stated once and
// written into each JSON file's top-level `units` object. Entropies and
// mutual informations are in bits (log base 2); KDE entropies are
// differential entropies of T plus Gaussian noise, so they can be negative
// or exceed log2 N (Kolchinsky & Tracey 2017 bound I(X;T), not H(T)).
export const UNITS = {
  ixt: 'bits',
  ity: 'bits',
  ht: 'bits',
  htGivenY: 'bits',
  ceilingX: 'bits (log2 N when every sample is its own x)',
  ceilingY: 'bits (H(Y))',
  ixtUpper: 'bits',
  ixtLower: 'bits',
  ityFromUpper: 'bits',
  ityFromLower: 'bits',
  htUpper: 'bits, differential entropy of T + noise (not bounded by log2 N)',
  htLower: 'bits, differential entropy',
  htGivenX: 'bits, differential entropy of the noise',
  noiseVariance: 'activation units squared',
  range: 'activation units (the layer output)',
  rangeLo: 'activation units',
  rangeHi: 'activation units',
  trainAcc: 'fraction in [0, 1]',
  testAcc: 'fraction in [0, 1]',
  trainLoss: 'nats per sample (mean cross-entropy)',
  testLoss: 'nats per sample (mean cross-entropy)',
  testMajorityRate: 'fraction in [0, 1]',
  density: 'fraction of weights kept',
  fraction: 'fraction of runs in [0, 1]',
  wilson95: 'fraction of runs, 95% score interval',
  epoch: 'epochs trained (0 = at initialization)',
} as const;

/** A JSON document with `units` as its first key. */
export function jsonWithUnits(doc: object): string {
  return JSON.stringify({ units: UNITS, ...doc }, null, 2) + '\n';
}
