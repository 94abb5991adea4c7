// Merge coverage: inputs cut from one seed list must be one complete split
// (one N, every index) whose journals hold every seed of their shares; each
// way to fall short is named. Records are built by hand, so each case is
// exactly the situation it names.
import { describe, expect, it } from 'vitest';
import { checkCoverage, type CoverageInput, settleCoverage } from '../../src/experiment/trials/shard-record.ts';
import { parseSeeds } from '../../src/experiment/trials/seeds.ts';
import { parseShard, shardItems } from '../../src/experiment/trials/shard.ts';

const input = (dir: string, shard: string, seeds: string): CoverageInput => ({ dir, record: { shard, seeds }, runs: parseSeeds(seeds).map(String) });
/** The seeds a finished shard journals: its share of the list. */
const share = (shard: string, seeds: string) => shardItems(parseSeeds(seeds), parseShard(shard)).map(String);
const present = (...shares: string[][]) => new Set(shares.flat());

describe('merge coverage', () => {
  it('accepts one complete split, in any order and with an input given twice, and records the shards it holds', () => {
    const inputs = [input('s2', '2/3', '1..6'), input('s0', '0/3', '1..6'), input('s1', '1/3', '1..6'), input('s0', '0/3', '1..6')];
    const c = checkCoverage(inputs, present(share('0/3', '1..6'), share('1/3', '1..6'), share('2/3', '1..6')), 'seed');
    expect(c.problems).toEqual([]);
    expect([c.missingRuns, c.expectedRuns]).toEqual([0, 6]);
    expect(c.record).toMatchObject({ shard: '0/1', seeds: '1..6', complete: true });
    expect(c.record.merged!.map((m) => `${m.dir} ${m.shard}`)).toEqual(['s2 2/3', 's0 0/3', 's1 1/3', 's0 0/3']);
  });

  it('refuses shards of different N: 0/2 with 1/3 of 40 seeds holds 27 of them', () => {
    const held = present(share('0/2', '1..40'), share('1/3', '1..40'));
    expect(held.size).toBe(27);
    const c = checkCoverage([input('a', '0/2', '1..40'), input('b', '1/3', '1..40')], held, 'seed');
    expect(c.problems[0]).toMatch(/^shards of different N mixed for --seeds 1\.\.40: a \(0\/2\), b \(1\/3\)/);
    expect(c.problems[1]).toMatch(/^13 of 40 seeds of --seeds 1\.\.40 are in no input \(seed 4, 6, 10, /);
    expect([c.missingRuns, c.expectedRuns]).toEqual([13, 40]);
    expect(c.record.complete).toBe(false);
  });

  it('names a missing shard', () => {
    const c = checkCoverage([input('a', '0/3', '1..6'), input('c', '2/3', '1..6')], present(share('0/3', '1..6'), share('2/3', '1..6')), 'seed');
    expect(c.problems).toEqual(['shard 1/3 of --seeds 1..6 missing (given: a (0/3), c (2/3))', '2 of 6 seeds of --seeds 1..6 are in no input (seed 2, 5)']);
  });

  it('names a shard that stopped before its share was done', () => {
    const c = checkCoverage([input('a', '0/2', '1..6'), input('b', '1/2', '1..6')], present(share('0/2', '1..6'), ['2']), 'seed');
    expect(c.problems).toEqual([
      '2 of 6 seeds of --seeds 1..6 are in no input (seed 4, 6)',
      'b (shard 1/2) lacks 2 seeds of its share: resume it with its command',
    ]);
  });

  it('refuses an input without shard.json', () => {
    const c = checkCoverage([{ dir: 'old', record: null, runs: null }], present(['1']), 'seed');
    expect(c.problems).toEqual(['old has no shard.json (made by an older infoplane?): cannot tell which shard of which seeds it holds']);
  });

  it('joins whole runs of different lists, each complete (seeds 1..3 and 4..6)', () => {
    const c = checkCoverage([input('a', '0/1', '1..3'), input('b', '0/1', '4..6')], present(['1', '2', '3', '4', '5', '6']), 'seed');
    expect(c.problems).toEqual([]);
    expect(c.record.seeds).toBe('1..3,4..6');
    expect(parseSeeds(c.record.seeds)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses by default, and with --allow-incomplete warns and returns the summary marker', () => {
    const c = checkCoverage([input('a', '0/2', '1..4')], present(share('0/2', '1..4')), 'seed');
    expect(() => settleCoverage(c, false, 'merge', 'summary.json', () => {})).toThrow(
      /merge: the inputs do not cover their seeds:\n {2}shard 1\/2 of --seeds 1\.\.4 missing .*\n.*--allow-incomplete/s,
    );
    const warnings: string[] = [];
    expect(settleCoverage(c, true, 'merge', 'summary.json', (w) => warnings.push(w))).toEqual({ missingRuns: 2, expectedRuns: 4, problems: c.problems });
    expect(warnings.join('')).toMatch(/WARNING: merging an INCOMPLETE set \(--allow-incomplete\); 2 of 4 seeds missing; marked incomplete in summary\.json:/);
    const complete = checkCoverage([input('a', '0/1', '1..4')], present(['1', '2', '3', '4']), 'seed');
    expect(settleCoverage(complete, false, 'merge', 'summary.json', () => {})).toBeUndefined();
  });
});
