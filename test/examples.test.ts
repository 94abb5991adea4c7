// The batch-engine recipes the README points at agree with the CLI: each asks
// for --shard auto the way shard-env.ts reads it (the Slurm script itself
// runs in test/slurm/slurm-array.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveShard } from '../src/experiment/trials/shard-env.ts';
import { repoRoot } from './helpers/cli.ts';

const example = (path: string) => readFileSync(join(repoRoot, 'examples', path), 'utf8');

describe('batch-engine examples', () => {
  it('the Kubernetes Indexed Job gives --shard auto/N with N = its completions', () => {
    const job = example('kubernetes/trials-indexed-job.yaml');
    expect(job).toMatch(/completionMode: Indexed/);
    const completions = Number(/completions: (\d+)/.exec(job)![1]);
    const shard = /--shard (auto\/\d+)/.exec(job)![1];
    expect(resolveShard(shard, { JOB_COMPLETION_INDEX: String(completions - 1) }).shard).toEqual({ index: completions - 1, count: completions });
    expect(example('kubernetes/merge-job.yaml')).toMatch(/infoplane merge \/results\/s\/shard-\* --out/);
  });

  it('the GitHub Actions matrix sets INFOPLANE_SHARD from the 0-based job index and total', () => {
    const workflow = example('github-actions/trials-matrix.yml');
    expect(workflow).toContain('INFOPLANE_SHARD: ${{ strategy.job-index }}/${{ strategy.job-total }}');
    expect(workflow).toMatch(/infoplane trials .*--shard auto/);
    expect(resolveShard('auto', { INFOPLANE_SHARD: '3/4' }).shard).toEqual({ index: 3, count: 4 });
  });

  it('the README points at the example files', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const path of ['examples/slurm/trials.sh', 'examples/kubernetes/trials-indexed-job.yaml', 'examples/github-actions/trials-matrix.yml'])
      expect(readme).toContain(`](${path})`);
  });
});
