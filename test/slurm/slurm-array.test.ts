// The README's Slurm recipe on a real Slurm: a single-node cluster
// (test/slurm/cluster.sh) runs examples/slurm/trials.sh — `infoplane trials
// --shard auto` as a job array of 3 one-CPU tasks, the merge as a job that
// depends on it (afterok) — and the merged directory equals a single-process
// run of the same seeds (lines as a set, summary.json and spec.json bytes).
// Needs root and slurm-wlm + munge; skipped with a message where they are
// missing, except under CI=true, where it fails instead.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';
import { inProcess } from '../trials/cli.ts';

const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'runuser'];
const absent = BINARIES.filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
const cannot =
  process.getuid?.() !== 0
    ? `not root (uid ${process.getuid?.()}): slurmd runs as root here`
    : absent.length
      ? `${absent.join(', ')} not installed (apt-get install slurm-wlm munge)`
      : null;
const required = process.env.CI === 'true';
if (cannot && !required) console.warn(`Slurm test skipped: ${cannot}`);

const SEEDS = '1..6';
const tiny = ['--hidden', '16,8', '--epochs', '1', '--train-size', '300', '--test-size', '200'];
// Four short jobs, two at a time on a 2-CPU node; generous, for a suite running beside them.
const WAIT_SECONDS = 300;
const TERMINAL = /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|DEADLINE|BOOT_FAIL|PREEMPTED)/;

const root = mkdtempSync(join(tmpdir(), 'infoplane-slurm-'));
// munged (user munge) must reach its socket and key below it.
chmodSync(root, 0o755);
const cluster = join(root, 'cluster');
const env = { ...process.env, SLURM_CONF: join(cluster, 'slurm.conf') };
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const sortedLines = (dir: string) => read(dir, 'trials.jsonl').split('\n').filter(Boolean).sort();

function sh(command: string, args: string[], extra: Record<string, string> = {}): string {
  const r = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', env: { ...env, ...extra } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const jobState = (id: string) => /JobState=(\S+)/.exec(sh('scontrol', ['show', 'job', id, '-o']))?.[1] ?? 'UNKNOWN';

async function waitForJob(id: string, seconds: number): Promise<string> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const state = jobState(id);
    if (TERMINAL.test(state) || Date.now() > until) return state;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const logs = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .map((f) => `--- ${f}\n${read(dir, f)}`)
        .join('\n')
    : '(no logs)';

describe.skipIf(cannot !== null && !required)('the Slurm recipe on a single-node cluster', () => {
  let started = false;
  beforeAll(() => {
    if (cannot) throw new Error(`CI=true, but Slurm cannot start here: ${cannot}`);
    sh('bash', ['test/slurm/cluster.sh', 'start', cluster]);
    started = true;
  });
  afterAll(() => {
    if (started) sh('bash', ['test/slurm/cluster.sh', 'stop', cluster]);
  });

  it(
    'runs trials --shard auto as a job array of 3, merges after it (afterok), and equals one process',
    async () => {
      const single = join(root, 'single');
      const one = await inProcess(['trials', '--seeds', SEEDS, ...tiny, '--workers', '1', '--quiet', '--out', single]);
      expect(one.status, one.stderr).toBe(0);

      const out = join(root, 'runs');
      const t0 = performance.now();
      const infoplane = `${process.execPath} --import tsx ${join(repoRoot, 'src/cli/bin.ts')}`;
      const [array, merge] = sh('bash', ['examples/slurm/trials.sh', join(single, 'spec.json'), SEEDS, out], { INFOPLANE: infoplane, SHARDS: '3', CPUS: '1' })
        .trim()
        .split(' ');
      const state = await waitForJob(merge, WAIT_SECONDS);
      const seconds = (performance.now() - t0) / 1000;
      console.log(`Slurm: array ${array} (3 tasks) and merge ${merge}: ${state} after ${seconds.toFixed(1)} s`);
      expect(state, logs(join(out, 'logs'))).toBe('COMPLETED');

      for (const i of [0, 1, 2]) expect(JSON.parse(read(join(out, `shard-${i}`), 'shard.json'))).toEqual({ shard: `${i}/3`, seeds: SEEDS });
      const merged = join(out, 'merged');
      expect(sortedLines(merged)).toEqual(sortedLines(single));
      expect(read(merged, 'summary.json')).toBe(read(single, 'summary.json'));
      expect(read(merged, 'spec.json')).toBe(read(single, 'spec.json'));
      expect(
        JSON.parse(read(merged, 'shard.json'))
          .merged.map((m: { shard: string }) => m.shard)
          .sort(),
      ).toEqual(['0/3', '1/3', '2/3']);
    },
    (WAIT_SECONDS + 60) * 1000,
  );
});
