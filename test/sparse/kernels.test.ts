// Every sparse kernel of the native addon against the plain-TypeScript
// reference (src/backend/reference/sparse.ts), once per SIMD variant, on
// random masks at 0%, 50%, 99% and 100% sparsity, with empty rows and odd
// sizes that hit the vector tails. Each case is named as a reproducible call,
// e.g. `csrMatmul(B=17,IN=33,OUT=15,sparsity=0.5,avx2)`.
//
// Two oracles per product:
//  - the reference, within the FMA-chain bound (K+1)·u·Σ|terms| (as in
//    test/backend/kernels.test.ts);
//  - the native *dense* kernel on the masked dense matrix, bit for bit: every
//    sparse kernel runs the dense kernel's FMA chain minus its exact-zero links
//    (native/kernels/sparse_kernel_table.h), which is what makes the engine's
//    dense/sparse choice invisible in the results.
// Buffers are guarded (test/helpers/floats.ts): NaN around inputs, a sentinel
// around outputs.
import { beforeEach, describe, expect, it } from 'vitest';
import { referenceKernels } from '../../src/backend/reference/dense.ts';
import { referenceSparseKernels as ref } from '../../src/backend/reference/sparse.ts';
import { type DenseKernels, paddedStride, type SparseKernels, tiledLength } from '../../src/backend/kernels.ts';
import { buildCsr, type KeptByFeature, keptByFeature } from '../../src/train/sparse-structure.ts';
import type { Rng } from '../../src/core/rng.ts';
import { U32, bitDifference, boundViolation, brokenGuard, caseRng, guarded, randomF32 } from '../helpers/floats.ts';
import { VARIANTS, addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';

restoreNativeSettingsAfterEach();

const SENTINEL = 7777;
const SPARSITIES = [0, 0.5, 0.99, 1];
// The last shape reaches the wide paths: input-sparse lockstep blocks of 64 outputs (AVX-512)
// plus a tail, lockstep groups of 4 samples/features plus a remainder, 16-feature tiles plus a tail.
const SHAPES = [
  { B: 1, IN: 3, OUT: 1 },
  { B: 7, IN: 33, OUT: 15 },
  { B: 17, IN: 100, OUT: 3 },
  { B: 130, IN: 15, OUT: 33 },
  { B: 37, IN: 70, OUT: 150 },
];
interface Shape {
  B: number;
  IN: number;
  OUT: number;
}

/** A mask at about `sparsity`, with rows 1 and 4 (where present) empty. */
function randomMask(rng: Rng, OUT: number, IN: number, sparsity: number): Float32Array {
  const mask = Float32Array.from({ length: OUT * IN }, () => (rng.nextFloat() < sparsity ? 0 : 1));
  for (const o of [1, 4]) if (o < OUT && OUT > 2) mask.fill(0, o * IN, (o + 1) * IN);
  return mask;
}

function maskedWeights(rng: Rng, mask: Float32Array): Float32Array {
  const W = randomF32(rng, mask.length);
  for (let i = 0; i < W.length; i++) if (!mask[i]) W[i] = 0;
  return W;
}

const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const chainBound = (K: number, mag: Float64Array) => (i: number) => (K + 1) * U32 * mag[i] + 1.2e-38;

type Optimizer = 'adam' | 'sgd' | 'sgd+momentum';
const momentumOf = (opt: Optimizer) => (opt === 'sgd' ? 0 : 0.9);
interface FusedInputs {
  kept: KeptByFeature | null;
  touched: Int32Array;
  l: { colPtr: Int32Array; rowIdx: Int32Array; colVal: Float32Array };
  dyRows: Float32Array;
  B: number;
  IN: number;
  OUT: number;
  ld: number;
}

/** The fused gradient + step of `k` on Wt and its state St (Adam: lr 1e-3, β 0.9/0.999, ε 1e-8; SGD: lr 0.05). */
function fusedStep(k: SparseKernels, opt: Optimizer, Wt: Float32Array, St: Float32Array[], f: FusedInputs, step: number): void {
  const [keptPtr, keptIdx] = f.kept ? [f.kept.ptr, f.kept.idx] : [null, null];
  const { touched, l, dyRows, B, IN, OUT, ld } = f;
  if (opt === 'adam')
    k.inputSparseAdamStep(Wt, St[0], St[1], keptPtr, keptIdx, touched, l.colPtr, l.rowIdx, l.colVal, dyRows, B, IN, OUT, ld, ld, 1e-3, 0.9, 0.999, 1e-8, step);
  else k.inputSparseSgdStep(Wt, St[0] ?? null, keptPtr, keptIdx, touched, l.colPtr, l.rowIdx, l.colVal, dyRows, B, IN, OUT, ld, ld, 0.05, momentumOf(opt));
}

/** fusedStep's unfused twin: the dense step of `k` on W with its gradient dW and the mask. */
/** [OUT, IN] arrays moved into the fused step's layouts: Wt, and its state (compact over the kept entries, or like Wt). */
function fusedLayouts(k: SparseKernels, OUT: number, IN: number, ld: number, kept: KeptByFeature | null) {
  const toWt = (a: Float32Array) => {
    const t = new Float32Array(IN * ld);
    k.transposeStrided(t, a, OUT, IN, ld);
    return t;
  };
  const toState = (a: Float32Array) => (kept ? Float32Array.from(kept.pos, (at) => a[at]) : toWt(a));
  return { toWt, toState };
}

function unfusedStep(k: DenseKernels, opt: Optimizer, W: Float32Array, dW: Float32Array, S: Float32Array[], mask: Float32Array | null, step: number): void {
  if (opt === 'adam') k.adamStep(W, dW, S[0], S[1], mask, W.length, 1e-3, 0.9, 0.999, 1e-8, step);
  else k.sgdStep(W, dW, S[0] ?? null, mask, W.length, 0.05, momentumOf(opt));
}

describe.each(VARIANTS)('sparse kernels vs reference and vs the dense kernels, variant %s', (variant) => {
  beforeEach(() => addon.setVariant(variant));

  const CASES = SHAPES.flatMap((s) => SPARSITIES.map((sparsity) => ({ ...s, sparsity })));
  const name = (op: string, c: Shape & { sparsity: number }) => `${op}(B=${c.B},IN=${c.IN},OUT=${c.OUT},sparsity=${c.sparsity},${variant})`;

  function problem(key: string, { B, IN, OUT, sparsity }: Shape & { sparsity: number }) {
    const rng = caseRng(key);
    const mask = randomMask(rng, OUT, IN, sparsity);
    const W = maskedWeights(rng, mask);
    const csr = buildCsr(mask, IN, allRows(OUT));
    const val = Float32Array.from(csr.pos, (p) => W[p]);
    const cscVal = Float32Array.from(csr.cscPerm, (k) => val[k]);
    return { mask, W, csr, val, cscVal, b: randomF32(rng, OUT), xT: randomF32(rng, IN * B), dyT: randomF32(rng, OUT * B) };
  }

  it.each(CASES.map((c) => ({ ...c, name: name('csrMatmul', c) })))('$name', (c) => {
    const { B, IN, OUT } = c;
    const { W, csr, val, b, xT } = problem(c.name, c);
    const out = guarded(OUT * B, SENTINEL);
    addon.csrMatmul(out, guarded(xT, NaN), csr.ptr, csr.idx, guarded(val, NaN), guarded(b, NaN), B, OUT, IN);
    const expected = new Float32Array(OUT * B);
    ref.csrMatmul(expected, xT, csr.ptr, csr.idx, val, b, B, OUT, IN);
    const mag = new Float64Array(OUT * B);
    for (let o = 0; o < OUT; o++)
      for (let s = 0; s < B; s++) {
        let m = Math.abs(b[o]);
        for (let i = 0; i < IN; i++) m += Math.abs(W[o * IN + i] * xT[i * B + s]);
        mag[o * B + s] = m;
      }
    expect(boundViolation(out, expected, OUT * B, chainBound(IN, mag))).toBeUndefined();
    expect(brokenGuard(out, OUT * B, SENTINEL)).toBeUndefined();
    const dense = new Float32Array(OUT * B);
    addon.linearForward(dense, xT, W, b, B, IN, OUT);
    expect(bitDifference(out, dense, OUT * B), 'vs linearForward on the masked W').toBeUndefined();
  });

  it.each(CASES.map((c) => ({ ...c, name: name('csrMatmul(CSC: input gradient)', c) })))('$name', (c) => {
    const { B, IN, OUT } = c;
    const { W, csr, cscVal, dyT } = problem(c.name, c);
    const dxT = guarded(IN * B, SENTINEL);
    addon.csrMatmul(dxT, guarded(dyT, NaN), csr.cscPtr, csr.cscIdx, guarded(cscVal, NaN), null, B, IN, OUT);
    const expected = new Float32Array(IN * B);
    ref.csrMatmul(expected, dyT, csr.cscPtr, csr.cscIdx, cscVal, null, B, IN, OUT);
    const mag = new Float64Array(IN * B);
    for (let i = 0; i < IN; i++)
      for (let s = 0; s < B; s++) {
        for (let o = 0; o < OUT; o++) mag[i * B + s] += Math.abs(W[o * IN + i] * dyT[o * B + s]);
      }
    expect(boundViolation(dxT, expected, IN * B, chainBound(OUT, mag))).toBeUndefined();
    expect(brokenGuard(dxT, IN * B, SENTINEL)).toBeUndefined();
    const dense = new Float32Array(IN * B);
    addon.linearBackwardInput(dense, dyT, W, B, IN, OUT);
    expect(bitDifference(dxT, dense, IN * B), 'vs linearBackwardInput on the masked W').toBeUndefined();
  });

  it.each(CASES.map((c) => ({ ...c, name: name('csrWeightGradient', c) })))('$name', (c) => {
    const { B, IN, OUT } = c;
    const { csr, xT, dyT } = problem(c.name, c);
    const g = guarded(csr.nnz, SENTINEL);
    addon.csrWeightGradient(g, guarded(dyT, NaN), guarded(xT, NaN), csr.ptr, csr.idx, B, OUT, IN);
    const expected = new Float32Array(csr.nnz);
    ref.csrWeightGradient(expected, dyT, xT, csr.ptr, csr.idx, B, OUT, IN);
    const mag = new Float64Array(csr.nnz);
    for (let o = 0; o < OUT; o++)
      for (let k = csr.ptr[o]; k < csr.ptr[o + 1]; k++) {
        for (let s = 0; s < B; s++) mag[k] += Math.abs(dyT[o * B + s] * xT[csr.idx[k] * B + s]);
      }
    expect(boundViolation(g, expected, csr.nnz, chainBound(B, mag))).toBeUndefined();
    expect(brokenGuard(g, csr.nnz, SENTINEL)).toBeUndefined();
    // The dense dW at the kept entries.
    const x = new Float32Array(B * IN);
    addon.transpose(x, xT, IN, B);
    const [dW, db] = [new Float32Array(OUT * IN), new Float32Array(OUT)];
    addon.linearBackwardWeight(dW, db, dyT, x, B, IN, OUT);
    expect(
      bitDifference(
        g,
        Float32Array.from(csr.pos, (p) => dW[p]),
        csr.nnz,
      ),
      'vs linearBackwardWeight at kept entries',
    ).toBeUndefined();
    const dbSparse = guarded(OUT, SENTINEL);
    addon.biasGradient(dbSparse, guarded(dyT, NaN), B, OUT);
    expect(bitDifference(dbSparse, db, OUT), 'biasGradient vs linearBackwardWeight db').toBeUndefined();
    expect(brokenGuard(dbSparse, OUT, SENTINEL)).toBeUndefined();
  });

  // Input-sparse: x with an empty row (sample 0), a full row (sample 1 where B > 1) and all-zero columns (0 and 2).
  const INPUT_DENSITIES = [0, 0.2, 1];
  const INPUT_CASES = SHAPES.flatMap((s) => INPUT_DENSITIES.map((density) => ({ ...s, density })));
  const inputName = (op: string, c: Shape & { density: number }) => `${op}(B=${c.B},IN=${c.IN},OUT=${c.OUT},density=${c.density},${variant})`;

  function sparseInput(rng: Rng, { B, IN, density }: Shape & { density: number }): Float32Array {
    const x = Float32Array.from({ length: B * IN }, () => (rng.nextFloat() < density ? 2 * rng.nextFloat() - 1 : 0));
    x.fill(0, 0, IN);
    if (B > 1) for (let i = 0; i < IN; i++) x[IN + i] = 0.5 + rng.nextFloat();
    for (let s = 0; s < B; s++) for (const i of [0, 2]) if (i < IN && IN > 3) x[s * IN + i] = 0;
    return x;
  }

  function lists(x: Float32Array, B: number, IN: number) {
    const cap = B * IN;
    const l = {
      ptr: new Int32Array(B + 1),
      idx: new Int32Array(cap),
      val: new Float32Array(cap),
      colPtr: new Int32Array(IN + 1),
      rowIdx: new Int32Array(cap),
      colVal: new Float32Array(cap),
    };
    const nnz = addon.sparsifyRows(l.ptr, l.idx, l.val, l.colPtr, l.rowIdx, l.colVal, guarded(x, NaN), B, IN);
    return { ...l, nnz };
  }

  /** The addon's lists of x (CSR and CSC) against the reference's, entry for entry; returns the reference's count and row starts. */
  function expectReferenceLists(x: Float32Array, B: number, IN: number): { nnz: number; ptr: Int32Array } {
    const got = lists(x, B, IN);
    const cap = B * IN;
    const e = {
      ptr: new Int32Array(B + 1),
      idx: new Int32Array(cap),
      val: new Float32Array(cap),
      colPtr: new Int32Array(IN + 1),
      rowIdx: new Int32Array(cap),
      colVal: new Float32Array(cap),
    };
    const nnz = ref.sparsifyRows(e.ptr, e.idx, e.val, e.colPtr, e.rowIdx, e.colVal, x, B, IN);
    expect(got.nnz).toBe(nnz);
    expect(Array.from(got.ptr)).toEqual(Array.from(e.ptr));
    expect(Array.from(got.colPtr)).toEqual(Array.from(e.colPtr));
    expect(Array.from(got.idx.subarray(0, nnz))).toEqual(Array.from(e.idx.subarray(0, nnz)));
    expect(Array.from(got.rowIdx.subarray(0, nnz))).toEqual(Array.from(e.rowIdx.subarray(0, nnz)));
    expect(bitDifference(got.val, e.val, nnz)).toBeUndefined();
    expect(bitDifference(got.colVal, e.colVal, nnz)).toBeUndefined();
    return { nnz, ptr: e.ptr };
  }

  it.each(INPUT_CASES.map((c) => ({ ...c, name: inputName('sparsifyRows', c) })))('$name', (c) => {
    const { B, IN } = c;
    const x = sparseInput(caseRng(c.name), c);
    const { nnz, ptr } = expectReferenceLists(x, B, IN);
    // Rows only (evaluation): the same CSR.
    const cap = B * IN;
    const rowsOnly = { ptr: new Int32Array(B + 1), idx: new Int32Array(cap), val: new Float32Array(cap) };
    expect(addon.sparsifyRows(rowsOnly.ptr, rowsOnly.idx, rowsOnly.val, null, null, null, x, B, IN)).toBe(nnz);
    expect(Array.from(rowsOnly.ptr)).toEqual(Array.from(ptr));
  });

  it(`sparsifyRows keeps NaN, ±Inf and subnormals and drops ±0, in 8-lane blocks and their tails (${variant})`, () => {
    // Rows of 19 (two 8-lane blocks and a tail of 3): every block mask from empty to full occurs
    // across the rows, each non-zero drawn from the special values.
    const IN = 19;
    const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, -1e-45, 3.5, -2];
    const B = 256;
    const x = new Float32Array(B * IN);
    for (let m = 0; m < B; m++) {
      for (let i = 0; i < IN; i++) {
        const on = i < 16 ? (m >> (i % 8)) & 1 : (m + i) % 3 === 0;
        x[m * IN + i] = on ? special[(m + i) % special.length] : (m + i) % 2 ? -0 : 0;
      }
    }
    expect(expectReferenceLists(x, B, IN).nnz).toBe(x.reduce((n, v) => n + (v === 0 ? 0 : 1), 0));
  });

  it.each(INPUT_CASES.map((c) => ({ ...c, name: inputName('inputSparseForward', c) })))('$name', (c) => {
    const { B, IN, OUT } = c;
    const rng = caseRng(c.name);
    const x = sparseInput(rng, c);
    const W = randomF32(rng, OUT * IN);
    const b = randomF32(rng, OUT);
    const ld = paddedStride(OUT);
    const Wt = new Float32Array(IN * ld).fill(NaN); // the padding must never be read
    addon.transposeStrided(Wt, W, OUT, IN, ld);
    const l = lists(x, B, IN);
    const out = guarded(B * OUT, SENTINEL);
    addon.inputSparseForward(out, l.ptr, l.idx, l.val, Wt, guarded(b, NaN), B, IN, OUT, ld);
    const expected = new Float32Array(B * OUT);
    ref.inputSparseForward(expected, l.ptr, l.idx, l.val, Wt, b, B, IN, OUT, ld);
    const mag = new Float64Array(B * OUT);
    for (let s = 0; s < B; s++)
      for (let o = 0; o < OUT; o++) {
        let m = Math.abs(b[o]);
        for (let i = 0; i < IN; i++) m += Math.abs(W[o * IN + i] * x[s * IN + i]);
        mag[s * OUT + o] = m;
      }
    expect(boundViolation(out, expected, B * OUT, chainBound(IN, mag))).toBeUndefined();
    expect(brokenGuard(out, B * OUT, SENTINEL)).toBeUndefined();
    const [xT, dense, denseRows] = [new Float32Array(IN * B), new Float32Array(OUT * B), new Float32Array(B * OUT)];
    addon.transpose(xT, x, B, IN);
    addon.linearForward(dense, xT, W, b, B, IN, OUT);
    addon.transpose(denseRows, dense, OUT, B);
    expect(bitDifference(out, denseRows, B * OUT), 'vs linearForward').toBeUndefined();
    // Wt in tiles: the reference's tiles, and the forward's bits.
    const tiles = guarded(tiledLength(IN, OUT), SENTINEL);
    addon.inputSparseTile(tiles, Wt, IN, OUT, ld);
    expect(brokenGuard(tiles, tiledLength(IN, OUT), SENTINEL)).toBeUndefined();
    const expectedTiles = new Float32Array(tiledLength(IN, OUT)).fill(NaN);
    ref.inputSparseTile(expectedTiles, Wt, IN, OUT, ld);
    expect(bitDifference(tiles, expectedTiles), 'inputSparseTile vs reference').toBeUndefined();
    const tiledOut = guarded(B * OUT, SENTINEL);
    addon.inputSparseForwardTiled(tiledOut, l.ptr, l.idx, l.val, guarded(tiles, NaN), guarded(b, NaN), B, IN, OUT);
    expect(bitDifference(tiledOut, out, B * OUT), 'inputSparseForwardTiled vs inputSparseForward').toBeUndefined();
    expect(brokenGuard(tiledOut, B * OUT, SENTINEL)).toBeUndefined();
    const expectedTiled = new Float32Array(B * OUT);
    ref.inputSparseForwardTiled(expectedTiled, l.ptr, l.idx, l.val, expectedTiles, b, B, IN, OUT);
    expect(bitDifference(expectedTiled, expected), 'reference: tiled vs rows').toBeUndefined();
  });

  it.each(INPUT_CASES.map((c) => ({ ...c, name: inputName('inputSparseWeightGradient', c) })))('$name', (c) => {
    const { B, IN, OUT } = c;
    const rng = caseRng(c.name);
    const x = sparseInput(rng, c);
    const dyT = randomF32(rng, OUT * B);
    const ld = paddedStride(OUT);
    const dyRows = new Float32Array(B * ld).fill(NaN);
    addon.transposeStrided(dyRows, dyT, OUT, B, ld);
    const l = lists(x, B, IN);
    const dW = guarded(OUT * IN, SENTINEL);
    addon.inputSparseWeightGradient(dW, l.colPtr, l.rowIdx, l.colVal, dyRows, B, IN, OUT, ld);
    const expected = new Float32Array(OUT * IN);
    ref.inputSparseWeightGradient(expected, l.colPtr, l.rowIdx, l.colVal, dyRows, B, IN, OUT, ld);
    const mag = new Float64Array(OUT * IN);
    for (let o = 0; o < OUT; o++)
      for (let i = 0; i < IN; i++) {
        for (let s = 0; s < B; s++) mag[o * IN + i] += Math.abs(dyT[o * B + s] * x[s * IN + i]);
      }
    expect(boundViolation(dW, expected, OUT * IN, chainBound(B, mag))).toBeUndefined();
    expect(brokenGuard(dW, OUT * IN, SENTINEL)).toBeUndefined();
    const [dense, db] = [new Float32Array(OUT * IN), new Float32Array(OUT)];
    addon.linearBackwardWeight(dense, db, dyT, x, B, IN, OUT);
    expect(bitDifference(dW, dense, OUT * IN), 'vs linearBackwardWeight').toBeUndefined();
    // All-zero input columns get an exact +0 gradient.
    for (const i of [0, 2]) if (i < IN && IN > 3) for (let o = 0; o < OUT; o++) expect(Object.is(dW[o * IN + i], 0)).toBe(true);
  });

  // The fused gradient + step on Wt against the unfused native path on W (inputSparseWeightGradient,
  // then adamStep/sgdStep with the mask), bit for bit, two steps in a row. Pruned: the fused step
  // runs on the kept entries only (kept lists, compact state); the pruned weights hold a sentinel,
  // which the masked step leaves as it is and the kept-only step never reads or writes. Feature 2
  // has only zero inputs: untouched, its row and state must stay exactly as they were; feature 0,
  // also all-zero, is marked touched beforehand with non-zero state, so it must still step (its
  // moments decay).
  const STEP_CASES = INPUT_CASES.filter((c) => c.density > 0).flatMap((c) =>
    (['adam', 'sgd', 'sgd+momentum'] as const).flatMap((opt) => [true, false].map((pruned) => ({ ...c, opt, pruned }))),
  );
  it.each(STEP_CASES.map((c) => ({ ...c, name: `${inputName('inputSparseStep', c)}:${c.opt}:${c.pruned ? 'pruned' : 'unpruned'}` })))('$name', (c) => {
    const { B, IN, OUT, opt, pruned } = c;
    const rng = caseRng(c.name);
    const x = sparseInput(rng, c);
    const l = lists(x, B, IN);
    const ld = paddedStride(OUT);
    const mask = pruned ? randomMask(rng, OUT, IN, 0.5) : null;
    mask?.fill(0, OUT * IN - 1); // pruned even where the random mask keeps everything
    const W = mask ? maskedWeights(rng, mask).map((w, e) => (mask[e] ? w : SENTINEL)) : randomF32(rng, OUT * IN);
    const kept = mask && keptByFeature(mask, IN, allRows(OUT));
    const states = opt === 'sgd' ? 0 : opt === 'adam' ? 2 : 1;
    const S = Array.from({ length: states }, () => new Float32Array(OUT * IN));
    const touched = new Int32Array(IN);
    if (IN > 3) {
      touched[0] = 1;
      for (const s of S) for (let o = 0; o < OUT; o++) if (!mask || mask[o * IN]) s[o * IN] = 0.25 * rng.nextFloat();
    }
    const { toWt, toState } = fusedLayouts(addon, OUT, IN, ld, kept);
    const [Wt, St] = [toWt(W), S.map(toState)];
    const before = { Wt: Wt.slice(), St: St.map((t) => t.slice()) };
    const dW = new Float32Array(OUT * IN);
    for (let step = 1; step <= 2; step++) {
      const dyT = randomF32(rng, OUT * B);
      const dyRows = new Float32Array(B * ld).fill(NaN);
      addon.transposeStrided(dyRows, dyT, OUT, B, ld);
      addon.inputSparseWeightGradient(dW, l.colPtr, l.rowIdx, l.colVal, dyRows, B, IN, OUT, ld);
      unfusedStep(addon, opt, W, dW, S, mask, step);
      fusedStep(addon, opt, Wt, St, { kept, touched, l, dyRows, B, IN, OUT, ld }, step);
    }
    expect(bitDifference(Wt, toWt(W)), 'Wt vs the unfused step on W').toBeUndefined();
    St.forEach((t, k) => expect(bitDifference(t, toState(S[k])), `state ${k} vs the unfused step`).toBeUndefined());
    if (mask)
      S.forEach((s, k) =>
        expect(
          s.every((e, at) => mask[at] || e === 0),
          `unfused state ${k} is 0 where pruned`,
        ).toBe(true),
      );
    for (let i = 0; i < IN; i++) expect(touched[i], `touched[${i}]`).toBe(l.colPtr[i + 1] > l.colPtr[i] || (i === 0 && IN > 3) ? 1 : 0);
    if (IN > 3) {
      const row = (a: Float32Array, i: number) => a.subarray(i * ld, i * ld + OUT);
      expect(bitDifference(row(Wt, 2), row(before.Wt, 2)), 'untouched feature 2 keeps its weights').toBeUndefined();
      const first = (a: Float32Array) => (kept ? a.subarray(kept.ptr[0], kept.ptr[1]) : row(a, 0));
      if (states > 0 && (!mask || mask.some((m, k) => m && k % IN === 0)))
        expect(bitDifference(first(St[0]), first(before.St[0])), 'touched feature 0 steps').toBeDefined();
    }
  });

  // The plain-TypeScript twin of the fused step is the reference composition, row by row (one case
  // per optimizer and layout).
  it.each((['adam', 'sgd+momentum'] as const).flatMap((opt) => [true, false].map((pruned) => ({ opt, pruned }))))(
    `reference inputSparseStep equals reference gradient then step ($opt, pruned $pruned, ${variant})`,
    ({ opt, pruned }) => {
      const [B, IN, OUT] = [9, 12, 5];
      const rng = caseRng(`refInputSparseStep(${opt},${pruned},${variant})`);
      const x = sparseInput(rng, { B, IN, OUT, density: 0.3 });
      const l = lists(x, B, IN);
      const ld = paddedStride(OUT);
      const mask = pruned ? randomMask(rng, OUT, IN, 0.3) : null;
      const W = mask ? maskedWeights(rng, mask) : randomF32(rng, OUT * IN);
      const kept = mask && keptByFeature(mask, IN, allRows(OUT));
      const S = [new Float32Array(OUT * IN), new Float32Array(OUT * IN)];
      const { toWt, toState } = fusedLayouts(ref, OUT, IN, ld, kept);
      const [Wt, St] = [toWt(W), S.map(toState)];
      const dyRows = randomF32(rng, B * ld);
      const dW = new Float32Array(OUT * IN);
      ref.inputSparseWeightGradient(dW, l.colPtr, l.rowIdx, l.colVal, dyRows, B, IN, OUT, ld);
      const touched = new Int32Array(IN);
      unfusedStep(referenceKernels, opt, W, dW, S, mask, 1);
      fusedStep(ref, opt, Wt, St, { kept, touched, l, dyRows, B, IN, OUT, ld }, 1);
      expect(bitDifference(Wt, toWt(W))).toBeUndefined();
      St.forEach((t, k) => expect(bitDifference(t, toState(S[k]))).toBeUndefined());
      expect(Array.from(touched)).toEqual(Array.from({ length: IN }, (_, i) => (l.colPtr[i + 1] > l.colPtr[i] ? 1 : 0)));
    },
  );

  // The native fused step against its plain-TypeScript twin, bit for bit: inputs k/4 and dY j/64
  // make every gradient sum exact in float32 (both sides get the same gradient whatever the order),
  // so any difference is in the step itself: which entries step, with which state.
  it.each((['adam', 'sgd+momentum'] as const).flatMap((opt) => [true, false].map((pruned) => ({ opt, pruned }))))(
    `native inputSparseStep equals the reference on exact gradients ($opt, pruned $pruned, ${variant})`,
    ({ opt, pruned }) => {
      const [B, IN, OUT] = [37, 70, 150];
      const rng = caseRng(`nativeVsRefInputSparseStep(${opt},${pruned},${variant})`);
      const small = (n: number, den: number, p: number) =>
        Float32Array.from({ length: n }, () => (rng.nextFloat() < p ? Math.floor(rng.nextFloat() * 17 - 8) / den : 0));
      const l = lists(small(B * IN, 4, 0.3), B, IN);
      const ld = paddedStride(OUT);
      const mask = pruned ? randomMask(rng, OUT, IN, 0.65) : null;
      const kept = mask && keptByFeature(mask, IN, allRows(OUT));
      const Wt = new Float32Array(IN * ld);
      addon.transposeStrided(Wt, mask ? maskedWeights(rng, mask) : randomF32(rng, OUT * IN), OUT, IN, ld);
      const stateLength = kept ? kept.count : IN * ld;
      const sides = [addon, ref].map(() => ({
        Wt: Wt.slice(),
        S: [new Float32Array(stateLength), new Float32Array(stateLength)],
        touched: new Int32Array(IN),
      }));
      for (let step = 1; step <= 2; step++) {
        const dyRows = small(B * ld, 64, 1);
        [addon, ref].forEach((k, side) =>
          fusedStep(k, opt, sides[side].Wt, sides[side].S, { kept, touched: sides[side].touched, l, dyRows, B, IN, OUT, ld }, step),
        );
      }
      const [native, twin] = sides;
      expect(bitDifference(native.Wt, twin.Wt), 'Wt').toBeUndefined();
      expect(bitDifference(native.Wt, Wt), 'the step moved Wt').toBeDefined();
      native.S.forEach((t, k) => expect(bitDifference(t, twin.S[k]), `state ${k}`).toBeUndefined());
      expect(Array.from(native.touched)).toEqual(Array.from(twin.touched));
    },
  );

  it.each(SHAPES.map((s) => ({ ...s, name: `transposeStrided(rows=${s.OUT},cols=${s.B},${variant})` })))('$name', ({ B, OUT, name }) => {
    const input = randomF32(caseRng(name), OUT * B);
    for (const ld of [OUT, paddedStride(OUT)]) {
      const out = guarded((B - 1) * ld + OUT, SENTINEL);
      addon.transposeStrided(out, guarded(input, NaN), OUT, B, ld);
      const expected = new Float32Array((B - 1) * ld + OUT).fill(SENTINEL);
      ref.transposeStrided(expected, input, OUT, B, ld);
      expect(bitDifference(out, expected, expected.length)).toBeUndefined();
      expect(brokenGuard(out, expected.length, SENTINEL)).toBeUndefined();
    }
  });

  it(`gatherValues and scatterValues (${variant})`, () => {
    const rng = caseRng(`gatherScatter(${variant})`);
    const src = randomF32(rng, 50);
    const idx = Int32Array.from([49, 0, 7, 7, 13]);
    const dst = guarded(5, SENTINEL);
    addon.gatherValues(dst, src, idx, 5);
    expect(Array.from(dst.subarray(0, 5))).toEqual(Array.from(idx, (i) => src[i]));
    expect(brokenGuard(dst, 5, SENTINEL)).toBeUndefined();
    const target = new Float32Array(50);
    addon.scatterValues(target, Int32Array.from([3, 1, 4]), Float32Array.from([1, 2, 3]), 3);
    expect(Array.from(target.subarray(0, 5))).toEqual([0, 2, 0, 1, 3]);
  });
});

// Each output element is computed by one thread with a fixed operation order:
// the thread count never changes a bit (the pool is used above ~1e5 MACs).
describe('sparse kernels: thread count does not change results', () => {
  function allOps(threads: number) {
    addon.setThreads(threads);
    const [B, IN, OUT] = [128, 784, 256];
    const rng = caseRng('sparseThreads(B=128,IN=784,OUT=256)');
    const mask = randomMask(rng, OUT, IN, 0.9);
    const W = maskedWeights(rng, mask);
    const csr = buildCsr(mask, IN, allRows(OUT));
    const val = Float32Array.from(csr.pos, (p) => W[p]);
    const cscVal = Float32Array.from(csr.cscPerm, (k) => val[k]);
    const [b, xT, dyT] = [randomF32(rng, OUT), randomF32(rng, IN * B), randomF32(rng, OUT * B)];
    const out = new Float32Array(OUT * B);
    const dxT = new Float32Array(IN * B);
    const g = new Float32Array(csr.nnz);
    addon.csrMatmul(out, xT, csr.ptr, csr.idx, val, b, B, OUT, IN);
    addon.csrMatmul(dxT, dyT, csr.cscPtr, csr.cscIdx, cscVal, null, B, IN, OUT);
    addon.csrWeightGradient(g, dyT, xT, csr.ptr, csr.idx, B, OUT, IN);
    const x = Float32Array.from({ length: B * IN }, () => (rng.nextFloat() < 0.2 ? rng.nextFloat() : 0));
    const cap = B * IN;
    const [ptr, idx, v, colPtr, rowIdx, colVal] = [
      new Int32Array(B + 1),
      new Int32Array(cap),
      new Float32Array(cap),
      new Int32Array(IN + 1),
      new Int32Array(cap),
      new Float32Array(cap),
    ];
    addon.sparsifyRows(ptr, idx, v, colPtr, rowIdx, colVal, x, B, IN);
    const ld = paddedStride(OUT);
    const Wt = new Float32Array(IN * ld);
    addon.transposeStrided(Wt, W, OUT, IN, ld);
    const rows = new Float32Array(B * OUT);
    addon.inputSparseForward(rows, ptr, idx, v, Wt, b, B, IN, OUT, ld);
    const dyRows = new Float32Array(B * ld);
    addon.transposeStrided(dyRows, dyT, OUT, B, ld);
    const dW = new Float32Array(OUT * IN);
    addon.inputSparseWeightGradient(dW, colPtr, rowIdx, colVal, dyRows, B, IN, OUT, ld);
    const kept = keptByFeature(mask, IN, allRows(OUT))!;
    const [stepped, m, second] = [Wt.slice(), new Float32Array(kept.count), new Float32Array(kept.count)];
    const l = { colPtr, rowIdx, colVal };
    fusedStep(addon, 'adam', stepped, [m, second], { kept, touched: new Int32Array(IN), l, dyRows, B, IN, OUT, ld }, 1);
    const [dense, mDense, vDense] = [Wt.slice(), new Float32Array(IN * ld), new Float32Array(IN * ld)];
    fusedStep(addon, 'adam', dense, [mDense, vDense], { kept: null, touched: new Int32Array(IN), l, dyRows, B, IN, OUT, ld }, 1);
    return { out, dxT, g, Wt, rows, dyRows, dW, stepped, m, second, dense, mDense, vDense };
  }

  it.each([2, 3])('threads 1 vs %i: every sparse op on B=128, 784→256, bitwise', (threads) => {
    const one = allOps(1);
    const many = allOps(threads);
    for (const [key, a] of Object.entries(many)) expect(bitDifference(a, one[key as keyof typeof one]), key).toBeUndefined();
  });
});
