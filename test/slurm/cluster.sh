#!/usr/bin/env bash
# A single-node Slurm cluster for the batch-engine test, as root:
#   test/slurm/cluster.sh start DIR   munged (as user munge, its own socket and
#                                     key), slurmctld and slurmd with DIR/slurm.conf;
#                                     returns when the node is idle
#   test/slurm/cluster.sh stop DIR    stops the daemons it started, by the PIDs
#                                     in DIR, and waits for them to exit
# Clients need SLURM_CONF=DIR/slurm.conf. Nothing outside DIR is written, so a
# system Slurm or munge on the host is left alone (ports: SLURM_TEST_PORT and
# the next one, default 6817 and 6818, Slurm's own).
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop DIR}
dir=${2:?usage: cluster.sh start|stop DIR}

stop() {
  for name in slurmd slurmctld munged; do
    pidfile="$dir/$name.pid"
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # Only the daemon itself: a stale file's PID may belong to another process by now.
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$pidfile"
  done
}

start() {
  [ "$(id -u)" = 0 ] || { echo "cluster.sh: needs root (slurmd and SlurmUser=root), running as $(id -un)" >&2; exit 3; }
  for bin in munged slurmctld slurmd sbatch scontrol; do
    command -v "$bin" >/dev/null || { echo "cluster.sh: $bin not found (apt-get install slurm-wlm munge)" >&2; exit 3; }
  done
  getent passwd munge >/dev/null || { echo "cluster.sh: no user munge (apt-get install munge)" >&2; exit 3; }
  # A daemon that fails to start takes down those started before it.
  trap 'echo "cluster.sh: start failed; stopping what it started (logs in $dir/log, $dir/munge)" >&2; stop' ERR
  mkdir -p "$dir"/{munge,state,spool,log}
  # munged refuses keys and sockets in directories others can write, and a socket directory others cannot enter.
  chmod 755 "$dir"
  chown munge:munge "$dir/munge"
  chmod 755 "$dir/munge"
  runuser -u munge -- test -x "$dir/munge" || { echo "cluster.sh: user munge cannot enter $dir/munge: every directory above it must be searchable by others (chmod o+x)" >&2; exit 3; }
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chown munge:munge "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  runuser -u munge -- munged --socket="$dir/munge/socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/seed"
  cp "$dir/munge/munged.pid" "$dir/munged.pid"

  local host port
  host=$(hostname -s)
  port=${SLURM_TEST_PORT:-6817}
  cat >"$dir/slurm.conf" <<CONF
ClusterName=infoplane-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -i
  slurmd
  for _ in $(seq 100); do
    state=$(scontrol show node "$host" -o 2>/dev/null | sed -n 's/.*State=\([A-Z+_]*\).*/\1/p')
    [ "$state" = IDLE ] && { echo "cluster.sh: node $host idle ($(nproc) CPUs)"; return 0; }
    sleep 0.1
  done
  echo "cluster.sh: node $host not idle after 10 s (state: ${state:-none}); logs in $dir/log" >&2
  tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  stop
  exit 1
}

case $cmd in
  start) start ;;
  stop) stop ;;
  *) echo "usage: cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
