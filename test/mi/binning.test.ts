import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { type Binning, binningParams, defaultRange, describeEstimator, formatBinning, parseBinning } from '../../src/mi/binning.ts';

describe('parseBinning', () => {
  it.each([
    ['fixed:30', { scheme: 'fixed', bins: 30 }],
    ['idnns:30', { scheme: 'idnns', bins: 30 }],
    ['width:0.5', { scheme: 'width', width: 0.5 }],
    ['adaptive:30', { scheme: 'adaptive', bins: 30 }],
    ['fixed:10:0:1', { scheme: 'fixed', bins: 10, range: [0, 1] }],
    ['idnns:12:-1:1', { scheme: 'idnns', bins: 12, range: [-1, 1] }],
    ['adaptive:8:-2.5:2.5', { scheme: 'adaptive', bins: 8, range: [-2.5, 2.5] }],
    ['fixed', { scheme: 'fixed', bins: 30 }],
    ['idnns', { scheme: 'idnns', bins: 30 }],
    ['width', { scheme: 'width', width: 0.5 }],
    [' width:1e-1 ', { scheme: 'width', width: 0.1 }],
  ] as [string, Binning][])('%s', (text, expected) => {
    expect(parseBinning(text)).toEqual(expected);
    expect(parseBinning(formatBinning(expected))).toEqual(expected);
  });

  it.each([
    ['equal:30', /unknown binning scheme "equal"/],
    ['fixed:0', /integer number of bins/],
    ['fixed:2.5', /integer number of bins/],
    ['idnns:1', /edges \(np.linspace num, ≥ 2\)/],
    ['fixed:x', /bins must be a number, got "x"/],
    ['fixed:30:1', /expected fixed:M or fixed:M:LO:HI/],
    ['fixed:30:1:-1', /lo < hi/],
    ['fixed:30:0:inf', /hi must be a number/],
    ['width:0', /bin width ≥ 1e-9/],
    ['width:-0.5', /bin width ≥ 1e-9/],
    ['width:0.5:1', /one parameter/],
    ['adaptive:', /bins must be a number/],
  ])('rejects %s', (text, pattern) => {
    expect(() => parseBinning(text, '--binning')).toThrow(InputError);
    expect(() => parseBinning(text, '--binning')).toThrow(pattern);
    expect(() => parseBinning(text, '--binning')).toThrow(/^--binning: /);
  });
});

describe('defaults and descriptions', () => {
  it('default ranges: tanh [−1, 1], softmax/sigmoid [0, 1], relu/linear must be explicit', () => {
    expect(defaultRange('tanh')).toEqual([-1, 1]);
    expect(defaultRange('softmax')).toEqual([0, 1]);
    expect(defaultRange('sigmoid')).toEqual([0, 1]);
    expect(() => defaultRange('relu', 'layers[1].binning')).toThrow(/layers\[1\]\.binning: a relu layer is unbounded/);
    expect(binningParams({ scheme: 'fixed', bins: 30 }, 'softmax')).toEqual({ scheme: 'fixed', bins: 30, lo: 0, hi: 1, binWidth: 0 });
    expect(binningParams({ scheme: 'fixed', bins: 30, range: [0, 4] }, 'relu')).toEqual({ scheme: 'fixed', bins: 30, lo: 0, hi: 4, binWidth: 0 });
    expect(binningParams({ scheme: 'adaptive', bins: 30 }, 'relu')).toEqual({ scheme: 'adaptive', bins: 30, lo: null, hi: null, binWidth: 0 });
    expect(binningParams({ scheme: 'width', width: 0.5 }, 'relu')).toEqual({ scheme: 'width', bins: 0, lo: null, hi: null, binWidth: 0.5 });
  });

  it('names the scheme, its parameters, the levels (m bins vs m edges) and the range source', () => {
    expect(describeEstimator({ scheme: 'idnns', bins: 30 }, { lo: -1, hi: 1 })).toEqual({
      scheme: 'idnns',
      bins: 30,
      levels: 31,
      range: [-1, 1],
      rangeSource: 'default',
    });
    expect(describeEstimator({ scheme: 'fixed', bins: 30, range: [0, 1] }, { lo: 0, hi: 1 })).toEqual({
      scheme: 'fixed',
      bins: 30,
      levels: 30,
      range: [0, 1],
      rangeSource: 'given',
    });
    expect(describeEstimator({ scheme: 'adaptive', bins: 5 }, { lo: -0.5, hi: 0.25 })).toEqual({
      scheme: 'adaptive',
      bins: 5,
      levels: 5,
      range: [-0.5, 0.25],
      rangeSource: 'data',
    });
    expect(describeEstimator({ scheme: 'width', width: 0.5 }, { lo: null, hi: null })).toEqual({ scheme: 'width', width: 0.5 });
  });
});
