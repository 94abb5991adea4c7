// The data-processing check flags exactly the rises beyond tolerance, and the
// Miller–Madow plane's plug-in values are the engines' own plug-in values.
import { describe, expect, it } from 'vitest';
import { dataProcessingRecords } from '../../src/experiment/dpi-check.ts';
import type { KsgRecord, MiRecord } from '../../src/experiment/mi-measure.ts';
import { millerMadowPlane } from '../../src/mi/bias-correction.ts';
import { parseBinning } from '../../src/mi/binning.ts';
import { dataProcessingViolations } from '../../src/mi/data-processing.ts';
import { informationPlane } from '../../src/mi/information-plane.ts';
import { engines, randomLabels, randomTanh } from './engines.ts';

describe('dataProcessingViolations', () => {
  const layers = [
    { layer: 'h1', ixt: 5, ity: 0.9 },
    { layer: 'h2', ixt: 5.05, ity: 0.95 }, // rises by 0.05: within a 0.1 tolerance
    { layer: 'h3', ixt: 5.3, ity: 0.7 }, // I(X;T) rises by 0.25 over h2: flagged
    { layer: 'out', ixt: null, ity: 0.71 },
  ];
  it('flags a rise over the previous layer beyond the tolerance, quantity by quantity', () => {
    expect(dataProcessingViolations(layers, 0.1)).toEqual([
      { layer: 'h3', previous: 'h2', quantity: 'ixt', value: 5.3, previousValue: 5.05, excess: 5.3 - 5.05 - 0.1, tolerance: 0.1 },
    ]);
  });
  it('with zero tolerance every rise counts (h2 in both, h3 in I(X;T), out in I(T;Y)); null skips', () => {
    expect(dataProcessingViolations(layers, 0).map((v) => `${v.layer}:${v.quantity}`)).toEqual(['h2:ixt', 'h2:ity', 'h3:ixt', 'out:ity']);
  });
  it('a run checks each estimator and epoch on its own, in layer order', () => {
    const mi = (epoch: number, layer: string, ixt: number): MiRecord => ({
      epoch,
      layer,
      estimator: 'fixed:30',
      ixt,
      ity: 0,
      ht: ixt,
      htGivenY: ixt,
      distinct: 1,
      ceilingX: 13,
      ceilingY: 1,
      saturated: false,
      xMode: 'each-sample-distinct',
      range: [-1, 1],
      outOfRange: 0,
    });
    const ksg = (epoch: number, layer: string, ity: number): KsgRecord => ({ epoch, layer, ixt: null, ity, k: 3, samples: 1000 });
    const records = dataProcessingRecords(
      [mi(0, 'h1', 3), mi(0, 'h2', 4), mi(1, 'h1', 4), mi(1, 'h2', 3)],
      [],
      [ksg(0, 'h1', 0.5), ksg(0, 'h2', 0.55), ksg(1, 'h1', 0.5), ksg(1, 'h2', 0.8)],
    );
    expect(records.map((r) => `${r.estimator}@${r.epoch}:${r.layer}:${r.quantity}`)).toEqual(['fixed:30@0:h2:ixt', 'ksg:3@1:h2:ity']);
  });
});

describe.each(engines)('millerMadowPlane (%s)', (_, engine) => {
  it('plug-in values equal the information plane; the correction adds (m − 1)/(2N ln 2) per entropy', () => {
    const n = 300;
    const layers = [
      { activations: randomTanh(1, n, 3), width: 3 },
      { activations: randomTanh(2, n, 1), width: 1 },
    ];
    const labels = randomLabels(3, n, 2);
    const binning = parseBinning('fixed:8');
    const plane = informationPlane(layers, labels, { binning, engine });
    const mm = millerMadowPlane(layers, labels, binning, engine);
    plane.forEach((p, i) => {
      expect(mm[i].ixt.plugin).toBeCloseTo(p.ixt, 12);
      expect(mm[i].ity.plugin).toBeCloseTo(p.ity, 12);
      expect(mm[i].ixt.millerMadow - mm[i].ixt.plugin).toBeCloseTo((p.distinct - 1) / (2 * n * Math.LN2), 12);
    });
  });
});
