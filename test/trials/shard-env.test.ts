// `--shard auto`: the shard from a batch engine's variables, as Slurm (22.05,
// checked on a real array: --array=0-2, 1,5,9 and 2-6:2), Kubernetes Indexed
// Jobs and a hand-set INFOPLANE_SHARD give them; every refusal names the
// variable and its value.
import { describe, expect, it } from 'vitest';
import { resolveShard } from '../../src/experiment/trials/shard-env.ts';

const slurm = (id: number, min: number, max: number, step: number, count: number) => ({
  SLURM_ARRAY_JOB_ID: '17',
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  SLURM_ARRAY_TASK_STEP: String(step),
  SLURM_ARRAY_TASK_COUNT: String(count),
});

describe('--shard auto', () => {
  it.each([
    ['Slurm --array=0-2, task 0', 'auto', slurm(0, 0, 2, 1, 3), '0/3', /Slurm array/],
    ['Slurm --array=0-2, task 2', 'auto', slurm(2, 0, 2, 1, 3), '2/3', /SLURM_ARRAY_TASK_ID=2/],
    ['Slurm --array=1-3 (MIN offset), task 1', 'auto', slurm(1, 1, 3, 1, 3), '0/3', /_MIN=1/],
    ['Slurm --array=1-3 (MIN offset), task 3', 'auto', slurm(3, 1, 3, 1, 3), '2/3', /_MIN=1/],
    ['Slurm --array=2-6:2 (step), task 4', 'auto', slurm(4, 2, 6, 2, 3), '1/3', /_STEP=2/],
    ['Slurm with the count confirmed', 'auto/3', slurm(1, 0, 2, 1, 3), '1/3', /Slurm array/],
    ['Slurm without MIN/MAX/STEP (older releases)', 'auto', { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '5' }, '4/5', /Slurm array/],
    ['Kubernetes Indexed Job with the count', 'auto/4', { JOB_COMPLETION_INDEX: '3' }, '3/4', /JOB_COMPLETION_INDEX=3/],
    ['Kubernetes, spaces around the slash', ' auto / 4 ', { JOB_COMPLETION_INDEX: '0' }, '0/4', /Kubernetes/],
    ['INFOPLANE_SHARD (a CI matrix)', 'auto', { INFOPLANE_SHARD: '1/4' }, '1/4', /INFOPLANE_SHARD=1\/4/],
    ['INFOPLANE_SHARD wins over an engine', 'auto', { INFOPLANE_SHARD: '0/2', ...slurm(2, 0, 2, 1, 3), JOB_COMPLETION_INDEX: '1' }, '0/2', /INFOPLANE_SHARD/],
    ['Slurm wins over Kubernetes', 'auto', { ...slurm(2, 0, 2, 1, 3), JOB_COMPLETION_INDEX: '1' }, '2/3', /Slurm/],
  ])('%s', (_name, text, env, want, source) => {
    const r = resolveShard(text, env);
    expect(`${r.shard.index}/${r.shard.count}`).toBe(want);
    expect(r.source).toMatch(source);
  });

  it('leaves an explicit i/N alone, whatever the environment says', () => {
    expect(resolveShard('1/2', slurm(0, 0, 2, 1, 3))).toEqual({ shard: { index: 1, count: 2 } });
  });

  it.each([
    ['no engine variable', 'auto', {}, /--shard auto: no shard index in the environment: .*SLURM_ARRAY_TASK_ID.*JOB_COMPLETION_INDEX.*INFOPLANE_SHARD=i\/N/],
    ['a plain Slurm job (not an array)', 'auto', { SLURM_JOB_ID: '5', SLURM_CPUS_PER_TASK: '1' }, /no shard index in the environment/],
    ['Kubernetes without the count', 'auto', { JOB_COMPLETION_INDEX: '2' }, /JOB_COMPLETION_INDEX=2 .* gives the index, not the count; use --shard auto\/N/],
    ['Kubernetes index beyond the count', 'auto/2', { JOB_COMPLETION_INDEX: '2' }, /index 2 is not below the count 2/],
    ['a Slurm list of indices (--array=1,5,9)', 'auto', slurm(5, 1, 9, 1, 3), /not an evenly spaced range .*_MIN=1, _STEP=1, _MAX=9, _COUNT=3.*--array=0-2/],
    ['a Slurm count that disagrees with auto/N', 'auto/4', slurm(0, 0, 2, 1, 3), /--shard auto\/4: the count 4 disagrees with Slurm array .* 3 shards/],
    ['a non-numeric task id', 'auto', { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '3' }, /SLURM_ARRAY_TASK_ID must be an integer ≥ 0, got "x"/],
    ['an array without its count', 'auto', { SLURM_ARRAY_TASK_ID: '1' }, /SLURM_ARRAY_TASK_COUNT must be an integer ≥ 1, got \(unset\)/],
    ['a zero count', 'auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '0' }, /SLURM_ARRAY_TASK_COUNT must be an integer ≥ 1, got "0"/],
    ['a bad INFOPLANE_SHARD', 'auto', { INFOPLANE_SHARD: '2/2' }, /--shard auto: INFOPLANE_SHARD i must be in 0\.\.1 \(0-based\), got "2\/2"/],
    ['INFOPLANE_SHARD that is not i/N', 'auto', { INFOPLANE_SHARD: '3' }, /INFOPLANE_SHARD expected i\/N/],
    ['auto/0', 'auto/0', { JOB_COMPLETION_INDEX: '0' }, /expected auto or auto\/N with N ≥ 1, got "auto\/0"/],
    ['auto/x', 'auto/x', { JOB_COMPLETION_INDEX: '0' }, /expected auto or auto\/N/],
    ['neither i/N nor auto', 'automatic', { JOB_COMPLETION_INDEX: '0' }, /--shard: expected i\/N/],
  ])('refuses %s', (_name, text, env, message) => {
    expect(() => resolveShard(text, env)).toThrow(message);
  });
});
