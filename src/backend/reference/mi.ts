// The plain, obviously-correct binning MI estimator: the specification of the
// native kernels (native/kernels/mi_histogram.cc) and their test oracle.
// Codes per row, each row's codes joined into a string key of a Map, plug-in
// entropies. Every formula is evaluated in the same order as in the kernel,
// in doubles, so codes and counts agree exactly and entropies to the last
// bits (Math.log2 and C's log2 may differ by an ulp).

import type { BinningParams, HashMode, MiEngine, MiLayerInput, RawLayerMi } from '../mi-kernels.ts';

/** numpy.linspace(lo, hi, num) in float64: step = (hi − lo)/(num − 1); edges[i] = i·step + lo; last = hi. */
export function numpyLinspace(lo: number, hi: number, num: number): Float64Array {
  const edges = new Float64Array(num);
  if (num === 1) {
    edges[0] = lo;
    return edges;
  }
  const step = (hi - lo) / (num - 1);
  for (let i = 0; i < num; i++) edges[i] = i * step + lo;
  edges[num - 1] = hi;
  return edges;
}

/**
 * The edges of `idnns` binning: np.linspace in float64, then cast to float32,
 * as IDNNs and ibsgd hold their bins (the activations are float32 and so are
 * the edges they are compared with). 28 of np.linspace(-1, 1, 30)'s edges
 * change in the cast; a value exactly on a float32 edge belongs to the bin
 * the edge opens, not the one below it.
 */
export function idnnsEdges(lo: number, hi: number, num: number): Float64Array {
  return numpyLinspace(lo, hi, num).map(Math.fround);
}

/** np.digitize(h, edges) with right=False on increasing edges: the number of edges ≤ h. */
export function digitize(h: number, edges: Float64Array): number {
  let k = 0;
  for (const e of edges) if (e <= h) k++;
  return k;
}

/**
 * Plug-in entropy in bits of counts c_k over n samples, summed in the order
 * given: H = log2 n − Σ_k (c_k/n)·log2 c_k. (Exactly log2 n when every c_k is
 * 1, exactly 0 when one c_k is n.)
 */
export function pluginEntropy(counts: Iterable<number>, n: number): number {
  let s = 0;
  for (const c of counts) if (c > 0) s += (c / n) * Math.log2(c);
  return Math.log2(n) - s;
}

// Argument checks with the native binding's messages (native/binding/mi_binding.cc),
// so that both engines reject the same inputs the same way.
function fail(fn: string, kind: 'type' | 'range', what: string): never {
  throw kind === 'type' ? new TypeError(`${fn}: ${what}`) : new RangeError(`${fn}: ${what}`);
}

function checkNumber(fn: string, v: unknown, name: string): asserts v is number {
  if (typeof v !== 'number') fail(fn, 'type', `${name} must be a number`);
  if (!Number.isFinite(v)) fail(fn, 'range', `${name} must be finite, got ${v}`);
}

function checkDim(fn: string, v: unknown, name: string, min = 1, max = 2 ** 28): asserts v is number {
  checkNumber(fn, v, name);
  if (!Number.isInteger(v) || v < min || v > max) fail(fn, 'range', `${name} must be an integer in [${min}, ${max}], got ${v}`);
}

function checkActivations(fn: string, t: unknown, name: string, n: number, width: number): asserts t is Float32Array {
  if (!(t instanceof Float32Array)) fail(fn, 'type', `${name} must be a Float32Array`);
  if (t.length !== n * width) fail(fn, 'range', `${name} has ${t.length} elements, expected ${n * width}`);
  for (let k = 0; k < t.length; k++) {
    if (!Number.isFinite(t[k])) {
      fail(fn, 'range', `${name}[${k}] (row ${Math.floor(k / width)}, unit ${k % width}) is ${t[k]}; activations must be finite to be binned`);
    }
  }
}

function checkIds(fn: string, ids: unknown, name: string, n: number, limit: number, limitName: string): asserts ids is Int32Array {
  if (!(ids instanceof Int32Array)) fail(fn, 'type', `${name} must be an Int32Array`);
  if (ids.length !== n) fail(fn, 'range', `${name} has ${ids.length} elements, expected ${n}`);
  for (let r = 0; r < n; r++) if (ids[r] < 0 || ids[r] >= limit) fail(fn, 'range', `${name}[${r}] = ${ids[r]} is outside [0, ${limitName})`);
}

function checkHashMode(fn: string, mode: unknown): void {
  if (typeof mode !== 'string') fail(fn, 'type', 'hashMode must be a string');
  if (mode !== 'normal' && mode !== 'collide-all') fail(fn, 'range', `hashMode must be normal or collide-all, got "${mode}"`);
}

function checkOptional(fn: string, v: unknown, name: string): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v !== 'number') fail(fn, 'type', `${name} must be a number or null`);
  checkNumber(fn, v, name);
  return true;
}

function checkParams(fn: string, p: BinningParams): void {
  if (typeof p.scheme !== 'string') fail(fn, 'type', 'scheme must be a string');
  if (!['fixed', 'idnns', 'width', 'adaptive'].includes(p.scheme)) fail(fn, 'range', `scheme must be fixed, idnns, width or adaptive, got "${p.scheme}"`);
  checkNumber(fn, p.bins, 'bins');
  checkNumber(fn, p.binWidth, 'binWidth');
  const hasLo = checkOptional(fn, p.lo, 'lo');
  const hasHi = checkOptional(fn, p.hi, 'hi');
  if (p.scheme === 'width') {
    if (!(p.binWidth > 0)) fail(fn, 'range', `binWidth must be > 0, got ${p.binWidth}`);
    if (hasLo || hasHi) fail(fn, 'range', 'lo and hi must be null for width binning (it is unbounded)');
    return;
  }
  const [min, max] = p.scheme === 'idnns' ? [2, 2 ** 24] : [1, 2 ** 30];
  if (!Number.isInteger(p.bins) || p.bins < min || p.bins > max) {
    fail(
      fn,
      'range',
      `bins must be an integer in [${min}, ${max}] for ${p.scheme} binning${p.scheme === 'idnns' ? ' (np.linspace edges)' : ''}, got ${p.bins}`,
    );
  }
  if (hasLo !== hasHi) fail(fn, 'range', 'lo and hi must both be numbers or both be null');
  if (!hasLo) {
    if (p.scheme !== 'adaptive') fail(fn, 'type', `lo and hi must be numbers for ${p.scheme} binning`);
    return;
  }
  const lo = p.lo as number;
  const hi = p.hi as number;
  if (!(lo < hi)) fail(fn, 'range', `lo must be < hi, got lo = ${lo}, hi = ${hi}`);
  if (!Number.isFinite(hi - lo)) fail(fn, 'range', `hi − lo must be finite, got lo = ${lo}, hi = ${hi}`);
}

/** The range a layer is binned with: adaptive without one takes the layer's min and max. */
function resolveRange(p: BinningParams, t: Float32Array): { lo: number | null; hi: number | null } {
  if (p.scheme !== 'adaptive' || p.lo !== null) return { lo: p.lo, hi: p.hi };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of t) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? { lo, hi } : { lo: 0, hi: 0 };
}

/** A function h → code for one layer (DESIGN.md's formulas, see binning.ts). */
function binner(p: BinningParams, lo: number | null, hi: number | null): (h: number) => number {
  switch (p.scheme) {
    case 'width': {
      const w = p.binWidth;
      return (h) => Math.floor(h / w);
    }
    case 'idnns': {
      const edges = idnnsEdges(lo as number, hi as number, p.bins);
      return (h) => digitize(h, edges);
    }
    default: {
      const l = lo as number;
      const span = (hi as number) - l;
      const m = p.bins;
      if (!(span > 0)) return () => 0; // a constant layer under adaptive binning
      return (h) => Math.min(Math.max(Math.floor(((h - l) / span) * m), 0), m - 1);
    }
  }
}

export function binCodesReference(codes: Int32Array, t: Float32Array, n: number, width: number, p: BinningParams): { lo: number | null; hi: number | null } {
  const fn = 'miBinCodes';
  checkDim(fn, n, 'n');
  checkDim(fn, width, 'width');
  checkParams(fn, p);
  if (!(codes instanceof Int32Array)) fail(fn, 'type', 'codes must be an Int32Array');
  if (codes.length !== n * width) fail(fn, 'range', `codes has ${codes.length} elements, expected ${n * width}`);
  checkActivations(fn, t, 'activations', n, width);
  return binAll(fn, 'activations', codes, t, p);
}

/** codes = bin(t) with the resolved range; width codes must fit int32 like the kernel's. */
function binAll(fn: string, name: string, codes: Int32Array, t: Float32Array, p: BinningParams): { lo: number | null; hi: number | null } {
  const range = resolveRange(p, t);
  const bin = binner(p, range.lo, range.hi);
  for (let k = 0; k < t.length; k++) {
    const code = bin(t[k]);
    if (code < -(2 ** 31) || code > 2 ** 31 - 1)
      fail(fn, 'range', `${name}[${k}] = ${t[k]}: with binWidth ${p.binWidth} the codes floor(h / binWidth) overflow int32`);
    codes[k] = code;
  }
  return range;
}

/** How many values lie outside [lo, hi]: h < lo or h > hi (none without a range). */
export function countOutside(values: Float32Array, lo: number | null, hi: number | null): number {
  if (lo === null || hi === null) return 0;
  let outside = 0;
  for (let i = 0; i < values.length; i++) if (values[i] < lo || values[i] > hi) outside++;
  return outside;
}

/** Rows of codes as string keys of a Map, numbered in order of first appearance. */
function symbolsOf(codes: Int32Array, n: number, width: number): { ids: Int32Array; counts: number[] } {
  const index = new Map<string, number>();
  const ids = new Int32Array(n);
  const counts: number[] = [];
  for (let r = 0; r < n; r++) {
    const key = codes.subarray(r * width, (r + 1) * width).join(',');
    let id = index.get(key);
    if (id === undefined) {
      id = counts.length;
      index.set(key, id);
      counts.push(0);
    }
    counts[id]++;
    ids[r] = id;
  }
  return { ids, counts };
}

/** H(T|S) = Σ_s (n_s/n)·(log2 n_s − Σ_t (c_ts/n_s)·log2 c_ts), cells in the order given, s ascending. */
function conditionalEntropy(cells: Iterable<[s: number, c: number]>, sizes: number[], n: number): number {
  const sums = new Array<number>(sizes.length).fill(0);
  for (const [s, c] of cells) if (c > 0) sums[s] += (c / sizes[s]) * Math.log2(c);
  let h = 0;
  for (let s = 0; s < sizes.length; s++) if (sizes[s] > 0) h += (sizes[s] / n) * (Math.log2(sizes[s]) - sums[s]);
  return h;
}

function classSizes(ids: Int32Array, classes: number): number[] {
  const sizes = new Array<number>(classes).fill(0);
  for (const y of ids) sizes[y]++;
  return sizes;
}

function layerMi(
  t: Float32Array,
  n: number,
  width: number,
  labels: Int32Array,
  classes: number,
  xIds: Int32Array | null,
  p: BinningParams,
  name: string,
): RawLayerMi {
  const codes = new Int32Array(n * width);
  const range = binAll('miInformationPlane', name, codes, t, p);
  const { ids, counts } = symbolsOf(codes, n, width);
  const ht = pluginEntropy(counts, n);

  const labelCounts = new Int32Array(counts.length * classes); // [distinct, classes]
  for (let r = 0; r < n; r++) labelCounts[ids[r] * classes + labels[r]]++;
  const ySizes = classSizes(labels, classes);
  const hy = pluginEntropy(ySizes, n);
  const yCells = function* (): Iterable<[number, number]> {
    for (let id = 0; id < counts.length; id++) for (let y = 0; y < classes; y++) yield [y, labelCounts[id * classes + y]];
  };
  const htGivenY = conditionalEntropy(yCells(), ySizes, n);
  const outside = countOutside(t, range.lo, range.hi);
  const base = { ht, htGivenY, hy, ity: ht - htGivenY, distinct: counts.length, outside, lo: range.lo, hi: range.hi };
  if (!xIds) return { ...base, ixt: ht, hx: Math.log2(n), htGivenX: 0, distinctX: n };

  let xClasses = 0;
  for (const x of xIds) xClasses = Math.max(xClasses, x + 1);
  const xSizes = classSizes(xIds, xClasses);
  const pairs = new Map<string, { x: number; c: number }>(); // (x, t) in order of first appearance
  for (let r = 0; r < n; r++) {
    const key = `${xIds[r]},${ids[r]}`;
    const cell = pairs.get(key);
    if (cell) cell.c++;
    else pairs.set(key, { x: xIds[r], c: 1 });
  }
  const htGivenX = conditionalEntropy(
    [...pairs.values()].map(({ x, c }) => [x, c] as [number, number]),
    xSizes,
    n,
  );
  return { ...base, ixt: ht - htGivenX, hx: pluginEntropy(xSizes, n), htGivenX, distinctX: xSizes.filter((s) => s > 0).length };
}

export const referenceMiEngine: MiEngine = {
  name: 'reference',

  binCodes: binCodesReference,

  rowSymbols(ids: Int32Array, t: Float32Array, n: number, width: number, p: BinningParams, hashMode: HashMode = 'normal') {
    const fn = 'miRowSymbols';
    checkDim(fn, n, 'n');
    checkDim(fn, width, 'width');
    checkParams(fn, p);
    checkHashMode(fn, hashMode);
    if (!(ids instanceof Int32Array)) fail(fn, 'type', 'ids must be an Int32Array');
    if (ids.length !== n) fail(fn, 'range', `ids has ${ids.length} elements, expected ${n}`);
    checkActivations(fn, t, 'activations', n, width);
    const codes = new Int32Array(n * width);
    const range = binCodesReference(codes, t, n, width, p);
    const sym = symbolsOf(codes, n, width);
    ids.set(sym.ids);
    return { distinct: sym.counts.length, ...range };
  },

  informationPlane(
    layers: readonly MiLayerInput[],
    labels: Int32Array,
    n: number,
    classes: number,
    p: BinningParams,
    xSymbols: Int32Array | null,
    hashMode: HashMode = 'normal',
  ) {
    const fn = 'miInformationPlane';
    checkDim(fn, n, 'n');
    checkDim(fn, classes, 'classes', 1, 1 << 16);
    if (n * classes > 2 ** 26) fail(fn, 'range', `n × classes = ${n * classes} exceeds ${2 ** 26} label counts`);
    checkParams(fn, p);
    checkHashMode(fn, hashMode);
    checkIds(fn, labels, 'labels', n, classes, `${classes}`);
    if (xSymbols !== null && xSymbols !== undefined) checkIds(fn, xSymbols, 'xSymbols', n, n, `n = ${n}`);
    if (!Array.isArray(layers)) fail(fn, 'type', 'layers must be an array of {activations, width}');
    if (layers.length === 0) fail(fn, 'range', 'layers must hold at least one layer');
    layers.forEach((l, i) => {
      if (typeof l !== 'object' || l === null || ArrayBuffer.isView(l) || Array.isArray(l)) fail(fn, 'type', `layers[${i}] must be {activations, width}`);
      if (typeof l.width !== 'number') fail(fn, 'type', `layers[${i}].width must be a number`);
      if (!(l.width >= 1 && l.width <= 2 ** 24 && Number.isInteger(l.width)))
        fail(fn, 'range', `layers[${i}].width must be an integer in [1, 16777216], got ${l.width}`);
      checkActivations(fn, l.activations, `layers[${i}].activations`, n, l.width);
    });
    return layers.map((l, i) => layerMi(l.activations, n, l.width, labels, classes, xSymbols ?? null, p, `layers[${i}].activations`));
  },
};
