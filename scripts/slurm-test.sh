#!/usr/bin/env bash
# A real cluster test of sharded studies: brings up a single-node Slurm cluster on this
# machine from the distribution's packages (munge, slurmctld, slurmd), submits a job array
# of 4 tasks that each run one shard of `synm audit` (--shard $SLURM_ARRAY_TASK_ID/4), waits,
# runs `synm merge` and compares the merged --json with the unsharded run (byte for byte).
# Then the same for `synm run`: 4 tasks of one chain each, merged with --output, against
# the unsharded run's --json and CSV files (identical but for the measured times).
# Everything it starts it stops again, by process id, and its files live in one temporary
# directory that it removes.
#
#   sudo scripts/slurm-test.sh              # or as root; SYNM=path/to/synm to choose the binary
#
# Needs: Debian or Ubuntu with apt (it installs slurm-wlm and munge when slurmctld is
# missing), root (the daemons and the munge key), and a built synm (default
# .build/release/synm; built with `swift build -c release` when missing). Not part of
# .ci/run: CI has neither root nor a scheduler.
#
# Tested on Debian 12 (bookworm, slurm-wlm 22.05.8, munge 0.5.15) in a container without
# systemd: the daemons run in the foreground under this script, with process tracking by
# /proc (proctrack/linuxproc) and no task plugin, so no cgroup or systemd is needed. There it
# passes: the 4 array tasks (40 replicates of models/bootstrap_normal.synm) finish in about
# 6 s and the merged JSON equals the unsharded one; the 4 run tasks (one chain each of
# models/eight_schools.synm, 300 + 300 iterations) in about 3 s, and the merged JSON and
# CSV files equal the unsharded run's but for the measured times.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SYNM=${SYNM:-$ROOT/.build/release/synm}
MODEL=${MODEL:-$ROOT/models/bootstrap_normal.synm}
REPS=${REPS:-40}
RUN_MODEL=${RUN_MODEL:-$ROOT/models/eight_schools.synm}
SHARDS=4
SEED=7

say() { printf 'slurm-test: %s\n' "$*"; }
die() { printf 'slurm-test: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (it starts munged, slurmctld and slurmd); run it with sudo"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || die "slurmctld and munged are missing and there is no apt-get to install them"
    say "installing slurm-wlm and munge"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge
fi
if [ ! -x "$SYNM" ]; then
    say "building synm (release)"
    (cd "$ROOT" && swift build -c release)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/synm-slurm.XXXXXX")
chmod 0755 "$WORK"  # munged needs its socket directory searchable
PIDS=()
cleanup() {
    local status=$?
    set +e
    if [ -n "${JOB:-}" ]; then scancel "$JOB" 2>/dev/null; fi
    # Stop what this script started, by process id, newest first.
    for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do
        kill "${PIDS[k]}" 2>/dev/null
        wait "${PIDS[k]}" 2>/dev/null
    done
    if [ "$status" != 0 ] && [ -d "$WORK/log" ]; then
        for f in "$WORK"/log/*; do echo "--- $f"; tail -n 20 "$f"; done >&2
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT INT TERM

HOST=$(hostname -s)
CPUS=$(nproc)
mkdir -p "$WORK"/{state,spool,log,shards,out,munge}

# munge: a key of our own and a socket in $WORK, so that a munged already running is left alone.
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$WORK/munge/munge.key"
SOCKET=$WORK/munge/munge.socket
munged --foreground --force --key-file="$WORK/munge/munge.key" --socket="$SOCKET" \
       --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/seed" &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || die "munged did not start (see $WORK/log/munged.log)"

cat > "$WORK/slurm.conf" <<EOF
ClusterName=synmtest
SlurmctldHost=$HOST
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MailProg=/bin/true
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$WORK/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" > "$WORK/log/slurmctld.out" 2>&1 &
PIDS+=($!)
sleep 1
slurmd -D -f "$SLURM_CONF" > "$WORK/log/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do
    state=$(timeout 5 sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 1
done
[ "${state:-}" = idle ] || die "the node did not come up (state '${state:-none}')"
say "cluster up: node $HOST, $CPUS CPUs"

cat > "$WORK/audit.sbatch" <<EOF
#!/bin/bash
#SBATCH --job-name=synm-audit
#SBATCH --array=1-$SHARDS
#SBATCH --cpus-per-task=1
#SBATCH --output=$WORK/out/%A_%a.out
exec "$SYNM" audit "$MODEL" --reps $REPS --seed $SEED --threads 1 \\
     --shard \$SLURM_ARRAY_TASK_ID/$SHARDS --shard-output "$WORK/shards/shard-\$SLURM_ARRAY_TASK_ID.json"
EOF
# Submits a job array script and waits until every task has left the queue.
run_array() {
    local start
    start=$(date +%s)
    JOB=$(sbatch --parsable "$1")
    say "submitted job array $JOB (tasks 1-$SHARDS): $(basename "$1")"
    for _ in $(seq 600); do
        [ -z "$(timeout 5 squeue -h -j "$JOB" 2>/dev/null)" ] && break
        sleep 1
    done
    [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] || die "job $JOB still queued or running after 10 minutes"
    say "array finished in $(( $(date +%s) - start )) s"
    JOB=
}
run_array "$WORK/audit.sbatch"
cat "$WORK"/out/*.out

"$SYNM" merge "$WORK"/shards/shard-*.json --json > "$WORK/merged.json"
"$SYNM" audit "$MODEL" --reps $REPS --seed $SEED --json > "$WORK/whole.json"
if cmp -s "$WORK/merged.json" "$WORK/whole.json"; then
    say "OK: the merged result of $SHARDS shards equals the unsharded audit byte for byte"
else
    diff "$WORK/whole.json" "$WORK/merged.json" | head -20 >&2
    die "the merged result differs from the unsharded audit"
fi

# Run shards: one chain a task (every task still runs each chain's first 75 warmup
# iterations, for the restart decisions), merged into the run's CSV files.
cat > "$WORK/run.sbatch" <<EOF
#!/bin/bash
#SBATCH --job-name=synm-run
#SBATCH --array=1-$SHARDS
#SBATCH --cpus-per-task=1
#SBATCH --output=$WORK/out/run-%A_%a.out
exec "$SYNM" run "$RUN_MODEL" --chains $SHARDS --warmup 300 --draws 300 --seed $SEED --threads 1 \\
     --shard \$SLURM_ARRAY_TASK_ID/$SHARDS --shard-output "$WORK/shards/run-\$SLURM_ARRAY_TASK_ID.json"
EOF
run_array "$WORK/run.sbatch"
cat "$WORK"/out/run-*.out
# The same --output path for both, so the CSV files' recorded output names agree; the
# unsharded run's files are moved aside before the merge writes its own.
mkdir -p "$WORK/draws" "$WORK/whole-draws"
"$SYNM" run "$RUN_MODEL" --chains $SHARDS --warmup 300 --draws 300 --seed $SEED --json \
    --output "$WORK/draws/d.csv" > "$WORK/run-whole.json"
mv "$WORK"/draws/* "$WORK/whole-draws/"
"$SYNM" merge "$WORK"/shards/run-*.json --json --output "$WORK/draws/d.csv" > "$WORK/run-merged.json"
# Wall-clock times are measured, not computed: the time_s block and the Elapsed Time lines.
untimed_json() { sed '/"time_s": {/,/}/d' "$1"; }
untimed_csv() { grep -v '^#.*seconds' "$1"; }
if ! cmp -s <(untimed_json "$WORK/run-whole.json") <(untimed_json "$WORK/run-merged.json"); then
    diff <(untimed_json "$WORK/run-whole.json") <(untimed_json "$WORK/run-merged.json") | head -20 >&2
    die "the merged run differs from the unsharded run"
fi
for f in "$WORK"/whole-draws/*; do
    cmp -s <(untimed_csv "$f") <(untimed_csv "$WORK/draws/$(basename "$f")") ||
        die "$(basename "$f") of the merged run differs from the unsharded run's"
done
say "OK: the merged run of $SHARDS shards equals the unsharded run (JSON and $(ls "$WORK/whole-draws" | wc -l) CSV files, times aside)"
