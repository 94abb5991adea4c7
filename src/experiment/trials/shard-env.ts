// `--shard auto` (or `auto/N`): the shard index and count from the batch
// engine's environment, so one job script serves every task. Sources, first
// set wins:
//   INFOPLANE_SHARD=i/N   explicit, for engines without index variables (a CI
//                         matrix: GitHub Actions' strategy.job-index and
//                         strategy.job-total are 0-based like ours)
//   Slurm job array       SLURM_ARRAY_TASK_ID, _MIN, _STEP, _MAX, _COUNT:
//                         index (ID − MIN) / STEP, count COUNT; --array=1-10
//                         and --array=0-18:2 work, a list such as 1,5,9 does
//                         not (its indices are not evenly spaced)
//   Kubernetes Indexed Job JOB_COMPLETION_INDEX (0-based); the pod is not told
//                         the Job's completions, so the count comes from
//                         `--shard auto/N` (N = spec.completions)
// With `auto/N` any source's count must equal N.
import { InputError } from '../../core/input-error.ts';
import { parseShard, type Shard } from './shard.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ResolvedShard {
  shard: Shard;
  /** Where `auto` found it, for the log: "Slurm array (SLURM_ARRAY_TASK_ID=4, …)"; absent for an explicit i/N. */
  source?: string;
}

const AUTO = /^\s*auto\s*(?:\/\s*(\S*)\s*)?$/;

function integerVar(env: Environment, name: string, min: number): number {
  const text = env[name];
  if (text === undefined || !/^\s*\d+\s*$/.test(text) || Number(text) < min) {
    throw new InputError(`--shard auto: ${name} must be an integer ≥ ${min}, got ${text === undefined ? '(unset)' : `"${text}"`}`);
  }
  return Number(text);
}

function fromSlurm(env: Environment): Required<ResolvedShard> {
  const id = integerVar(env, 'SLURM_ARRAY_TASK_ID', 0);
  const count = integerVar(env, 'SLURM_ARRAY_TASK_COUNT', 1);
  const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : integerVar(env, 'SLURM_ARRAY_TASK_MIN', 0);
  const step = env.SLURM_ARRAY_TASK_STEP === undefined ? 1 : integerVar(env, 'SLURM_ARRAY_TASK_STEP', 1);
  const max = env.SLURM_ARRAY_TASK_MAX === undefined ? min + (count - 1) * step : integerVar(env, 'SLURM_ARRAY_TASK_MAX', 0);
  const vars = `SLURM_ARRAY_TASK_ID=${id}, _MIN=${min}, _STEP=${step}, _MAX=${max}, _COUNT=${count}`;
  // Slurm reports a list (--array=1,5,9) as MIN 1, MAX 9, STEP 1, COUNT 3: only an evenly spaced range maps onto 0..COUNT−1.
  if (max !== min + (count - 1) * step || id < min || id > max || (id - min) % step !== 0) {
    throw new InputError(`--shard auto: the Slurm array is not an evenly spaced range (${vars}); submit it as --array=0-${count - 1} (or lo-hi[:step])`);
  }
  return { shard: { index: (id - min) / step, count }, source: `Slurm array (${vars})` };
}

function fromKubernetes(env: Environment, count: number | undefined): Required<ResolvedShard> {
  const index = integerVar(env, 'JOB_COMPLETION_INDEX', 0);
  if (count === undefined) {
    throw new InputError(
      `--shard auto: JOB_COMPLETION_INDEX=${index} (a Kubernetes Indexed Job) gives the index, not the count; use --shard auto/N with N = the Job's spec.completions`,
    );
  }
  return { shard: { index, count }, source: `Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${index})` };
}

function fromExplicit(env: Environment): Required<ResolvedShard> {
  const text = env.INFOPLANE_SHARD!;
  try {
    return { shard: parseShard(text), source: `INFOPLANE_SHARD=${text}` };
  } catch (err) {
    throw new InputError(`--shard auto: INFOPLANE_SHARD ${(err as Error).message.replace(/^--shard: /, '')}`);
  }
}

/** `--shard`'s value: i/N as given, or `auto`/`auto/N` resolved from `env`. */
export function resolveShard(text: string, env: Environment): ResolvedShard {
  const auto = AUTO.exec(text);
  if (!auto) return { shard: parseShard(text) };
  let count: number | undefined;
  if (auto[1] !== undefined) {
    if (!/^\d+$/.test(auto[1]) || Number(auto[1]) < 1) throw new InputError(`--shard: expected auto or auto/N with N ≥ 1, got "${text}"`);
    count = Number(auto[1]);
  }
  let resolved: Required<ResolvedShard>;
  if (env.INFOPLANE_SHARD !== undefined) resolved = fromExplicit(env);
  else if (env.SLURM_ARRAY_TASK_ID !== undefined) resolved = fromSlurm(env);
  else if (env.JOB_COMPLETION_INDEX !== undefined) resolved = fromKubernetes(env, count);
  else {
    throw new InputError(
      `--shard ${text.trim()}: no shard index in the environment: set by a Slurm job array (SLURM_ARRAY_TASK_ID), a Kubernetes Indexed Job ` +
        '(JOB_COMPLETION_INDEX, with --shard auto/N), or by hand (INFOPLANE_SHARD=i/N, e.g. from a CI matrix); or give --shard i/N',
    );
  }
  if (count !== undefined && resolved.shard.count !== count) {
    throw new InputError(`--shard ${text.trim()}: the count ${count} disagrees with ${resolved.source}, which makes ${resolved.shard.count} shards`);
  }
  if (resolved.shard.index >= resolved.shard.count) {
    throw new InputError(
      `--shard auto: index ${resolved.shard.index} is not below the count ${resolved.shard.count} (${resolved.source}); indices are 0-based`,
    );
  }
  return resolved;
}
