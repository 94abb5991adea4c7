// `trials --until`: the rules parse with errors that name the flag, and stop
// exactly when the outcome is seen k times, when its Wilson upper bound falls
// below the rate, or at --max-seeds.
import { describe, expect, it } from 'vitest';
import { errorRecord, type TrialRecord } from '../../src/experiment/trials/record.ts';
import { parseStopRule, stopState } from '../../src/experiment/trials/stop-rule.ts';
import { wilsonInterval } from '../../src/experiment/trials/wilson.ts';

function run(seed: number, accuracy: 'trained' | 'chance', h4: 'compression' | 'no-compression' = 'no-compression'): TrialRecord {
  return { specHash: 'H', seed, status: 'ok', outcome: { accuracy, planes: { h4, out: 'no-compression' }, combination: '' } };
}

describe('trials --until', () => {
  it('parses LABEL:K and LABEL<RATE for accuracy and plane labels', () => {
    expect(parseStopRule('chance:5', 2000)).toEqual({ text: 'chance:5', label: 'chance', count: 5, maxSeeds: 2000 });
    expect(parseStopRule('h4:compression:3', 10)).toMatchObject({ label: 'h4:compression', count: 3 });
    expect(parseStopRule('chance<0.01', 10)).toMatchObject({ label: 'chance', belowRate: 0.01 });
    expect(() => parseStopRule('lucky:3', 10)).toThrow(/--until: "lucky" .* is not an outcome/);
    expect(() => parseStopRule('chance:0', 10)).toThrow(/--until: expected LABEL:K/);
    expect(() => parseStopRule('chance<2', 10)).toThrow(/rate .* must be a number in \(0, 1\)/);
    expect(() => parseStopRule('chance:2', 0)).toThrow(/--max-seeds/);
  });

  it('stops when the outcome has been seen k times, not before', () => {
    const rule = parseStopRule('chance:2', 100);
    const records = [run(1, 'trained'), run(2, 'chance'), run(3, 'trained')];
    expect(stopState(rule, records).met).toBe(false);
    expect(stopState(rule, [...records, run(4, 'chance')])).toMatchObject({ met: true, seen: 2, runs: 4 });
  });

  it('counts plane labels over the runs that finished', () => {
    const rule = parseStopRule('h4:compression:1', 100);
    expect(stopState(rule, [run(1, 'trained'), errorRecord('H', 2, 'boom')])).toMatchObject({ met: false, runs: 1 });
    expect(stopState(rule, [run(1, 'trained', 'compression')]).met).toBe(true);
  });

  it('stops when the Wilson upper bound falls below the rate: the first n with 0 of n', () => {
    const rule = parseStopRule('chance<0.1', 1000);
    // Upper bound of 0/n is z²/(n + z²) < 0.1 ⇔ n > 9·z² ≈ 34.6: at 35 runs, not at 34.
    const n = (k: number) => Array.from({ length: k }, (_, i) => run(i + 1, 'trained'));
    expect(wilsonInterval(0, 34)[1]).toBeGreaterThan(0.1);
    expect(stopState(rule, n(34)).met).toBe(false);
    expect(stopState(rule, n(35)).met).toBe(true);
  });

  it('stops at --max-seeds whatever the outcome', () => {
    const rule = parseStopRule('chance:5', 3);
    const state = stopState(rule, [run(1, 'trained'), run(2, 'trained'), run(3, 'trained')]);
    expect(state).toMatchObject({ met: true, seen: 0 });
    expect(state.reason).toMatch(/reached --max-seeds 3/);
  });
});
