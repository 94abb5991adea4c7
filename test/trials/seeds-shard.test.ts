import { describe, expect, it } from 'vitest';
import { formatSeeds, parseSeeds } from '../../src/experiment/trials/seeds.ts';
import { parseShard, shardItems } from '../../src/experiment/trials/shard.ts';

describe('seed lists', () => {
  it('reads ranges, lists and both, keeping first occurrences in order', () => {
    expect(parseSeeds('1..500')).toHaveLength(500);
    expect(parseSeeds('1..500').slice(0, 3)).toEqual([1, 2, 3]);
    expect(parseSeeds('1..500').at(-1)).toBe(500);
    expect(parseSeeds('1,5,9')).toEqual([1, 5, 9]);
    expect(parseSeeds(' 3..5, 1 ,4,10..11')).toEqual([3, 4, 5, 1, 10, 11]);
    expect(parseSeeds('0')).toEqual([0]);
    expect(parseSeeds('7..7')).toEqual([7]);
    expect(formatSeeds([5, 1, 2, 3, 9, 10, 12])).toBe('1..3,5,9,10,12');
  });

  it.each([
    ['', /empty seed list/],
    ['abc', /"abc" is not a non-negative integer/],
    ['1.5', /"1.5" is not a non-negative integer/],
    ['-3', /"-3" is not a non-negative integer/],
    ['1..', /"" is not a non-negative integer/],
    ['5..1', /range 5\.\.1 runs backwards/],
    ['1,,2', /"" is not a non-negative integer/],
    ['1..2000000', /more than 1000000 seeds/],
    ['4294967296', /above the largest seed/],
  ])('rejects %j', (text, message) => {
    expect(() => parseSeeds(text)).toThrow(message);
  });
});

describe('shards', () => {
  it('reads i/N (0-based) and rejects the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(() => parseShard('4/4')).toThrow(/0\.\.3 \(0-based\)/);
    expect(() => parseShard('1/0')).toThrow(/at least 1/);
    expect(() => parseShard('a/3')).toThrow(/expected i\/N/);
    expect(() => parseShard('1')).toThrow(/expected i\/N/);
  });

  it('assigns every item to exactly one shard, by position mod N', () => {
    const seeds = parseSeeds('1..10,50,60');
    const parts = [0, 1, 2].map((index) => shardItems(seeds, { index, count: 3 }));
    expect(parts[0]).toEqual([1, 4, 7, 10]);
    expect(parts.flat().sort((a, b) => a - b)).toEqual([...seeds].sort((a, b) => a - b));
    expect(new Set(parts.flat()).size).toBe(seeds.length);
  });
});
