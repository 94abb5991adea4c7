#!/usr/bin/env bash
# The seeds of one spec as a Slurm job array, one shard per task, then their
# merge as a job that starts only when every task succeeded (afterok):
#
#   examples/slurm/trials.sh SPEC SEEDS OUT
#   SHARDS=10 CPUS=4 examples/slurm/trials.sh s.json 1..500 runs/s
#
# writes OUT/shard-<i>/ (one trials directory per task), OUT/merged/ (the
# merge: summary, plots, trials.html) and OUT/logs/, and prints the two job
# ids. Each task runs `infoplane trials --shard auto`, which reads its shard
# from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT; the merge refuses an
# incomplete set. A failed task can be resubmitted as it was: it resumes its
# shard's journal.
#
# SHARDS (default 3) array tasks of CPUS (default 1) CPUs each, one worker per
# CPU; INFOPLANE is the command (default: npx infoplane). sbatch reads its own
# SBATCH_* variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...).
set -euo pipefail
[ $# = 3 ] || { echo "usage: $0 SPEC SEEDS OUT" >&2; exit 2; }
spec=$1 seeds=$2 out=$3
shards=${SHARDS:-3}
cpus=${CPUS:-1}
infoplane=${INFOPLANE:-npx infoplane}
q() { printf '%q' "$1"; }
mkdir -p "$out/logs"

# The job scripts, given to sbatch on stdin; \$ is expanded when the job runs.
shard_job() {
  cat <<JOB
#!/bin/bash
exec $infoplane trials --spec $(q "$spec") --seeds $(q "$seeds") --shard auto \\
  --workers "\$SLURM_CPUS_PER_TASK" --out $(q "$out")/shard-"\$SLURM_ARRAY_TASK_ID" --quiet
JOB
}
merge_job() {
  cat <<JOB
#!/bin/bash
exec $infoplane merge $(q "$out")/shard-* --out $(q "$out")/merged
JOB
}

array=$(shard_job | sbatch --parsable --job-name=infoplane-trials --array="0-$((shards - 1))" \
  --cpus-per-task="$cpus" --output="$out/logs/shard-%a.log")
array=${array%%;*}
# --kill-on-invalid-dep: when a task fails, the merge is cancelled instead of pending forever.
merge=$(merge_job | sbatch --parsable --job-name=infoplane-merge --dependency="afterok:$array" \
  --kill-on-invalid-dep=yes --output="$out/logs/merge.log")
echo "$array ${merge%%;*}"
