// The kept weights by feature (the first layer's optimizer walks them) against a hand-worked mask
// and against the CSC half of buildCsr, which lists the same entries in the same order.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { buildCsr, keptByFeature } from '../../src/train/sparse-structure.ts';

describe('keptByFeature', () => {
  it('lists a hand-worked mask by feature, rows ascending, with public positions', () => {
    // W[3, 2]: row 0 keeps both, row 1 keeps feature 1, row 2 keeps feature 0.
    const mask = Float32Array.from([1, 1, 0, 1, 1, 0]);
    const all = Int32Array.from([0, 1, 2]);
    expect(keptByFeature(mask, 2, all)).toEqual({
      count: 4,
      ptr: Int32Array.from([0, 2, 4]),
      idx: Int32Array.from([0, 2, 0, 1]),
      pos: Int32Array.from([0, 4, 1, 3]),
    });
    // Rows 1 and 2 only (compacted to 0 and 1): compact row numbers, public positions.
    expect(keptByFeature(mask, 2, Int32Array.from([1, 2]))).toEqual({
      count: 2,
      ptr: Int32Array.from([0, 1, 2]),
      idx: Int32Array.from([1, 0]),
      pos: Int32Array.from([4, 3]),
    });
    expect(keptByFeature(Float32Array.from([1, 1, 0, 1]), 2, Int32Array.from([0]))).toBeNull();
  });

  it.each([0, 0.35, 0.9])('equals buildCsr by feature on a random 60 × 50 mask keeping %s', (keep) => {
    const rng = new Rng(7);
    const [OUT, IN] = [60, 50];
    const mask = Float32Array.from({ length: OUT * IN }, () => (rng.nextFloat() < keep ? 1 : 0));
    const rows = Int32Array.from({ length: OUT }, (_, o) => o).filter((o) => o % 7 !== 3);
    const s = buildCsr(mask, IN, rows);
    expect(keptByFeature(mask, IN, rows)).toEqual({
      count: s.nnz,
      ptr: s.cscPtr,
      idx: s.cscIdx,
      pos: Int32Array.from(s.cscPerm, (e) => s.pos[e]),
    });
  });
});
