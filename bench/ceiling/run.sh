#!/bin/bash
# The batch ceiling, what the one backend that runs the payment batches could do if it never waited for its
# client (0.66-1.14x pgbench's tpcb-like, median 0.77, at 5 payments a batch, as scenario (a) carries;
# 1.0x only between 5 and 10): each round, pgbench's tpcb-like at 16 clients, then for each batch size N
# one client replaying scenario (a)'s batch of N holds and N settlements (batch.py);
# prints the CPU all of PostgreSQL's processes spent a tpcb-like transaction, and for each N the batches a
# second, the CPU the one backend spent a batch and a payment (from /proc, over each run's middle), what that
# backend could do at 100% of a core (N / CPU a batch), its ratio to pgbench, and the machine's steal.
# usage: bench/ceiling/run.sh DIR PORT ROUNDS SECONDS N...   (after setup.sh DIR PORT)
set -euo pipefail
dir=$(realpath "$1"); port=$2; rounds=$3; seconds=$4; shift 4
here=$(cd "$(dirname "$0")" && pwd)
source "$here/clients.sh"
H="-h $dir -p $port -U postgres"; P="$PSQL $H -q -X -At"
D="-D from_status={INITIATED} -D base=0 -D prev_oids={} -D prev_aids={} -D prev_pids={} -D prev_wallets={}"
tick=$(getconf CLK_TCK)
# The CPU ticks (user + system) of the given processes; one that has exited counts 0
ticks() {
  local s=0 p
  for p in "$@"; do s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$s"
}
# The postmaster and all its children (the backends, the WAL writer, the checkpointer, ...)
cluster_pids() { local pm; pm=$(head -1 "$dir/data/postmaster.pid"); echo "$pm" $(pgrep -P "$pm"); }
# The backend serving the batch's one pgbench client
batch_backend() { $P -d switch -c "select pid from pg_stat_activity where datname = 'switch' and application_name = 'pgbench' limit 1"; }
# Runs a pgbench (the command after OUT and PIDS) in the background, its output to OUT; over the run's middle,
# from 3 s in to 2 s before its end, reads the CPU ticks of the processes that the function PIDS names and
# /proc/stat's first line. Leaves a, b (ticks), sa, sb (/proc/stat) and t0, t1 (clock) for the caller.
window() {
  local out=$1 pids_of=$2 job pids; shift 2
  "$@" > "$out" 2>&1 &
  job=$!
  sleep 3
  pids=$($pids_of)
  a=$(ticks $pids); sa=$(head -1 /proc/stat); t0=$(date +%s.%N)
  sleep $((seconds - 5))
  b=$(ticks $pids); sb=$(head -1 /proc/stat); t1=$(date +%s.%N)
  wait "$job"
}
rate() { grep -oP 'tps = \K[0-9.]+' "$1"; }
for n in "$@"; do python3 "$here/batch.py" "$n" > "$dir/batch-$n.sql"; done
for r in $(seq "$rounds"); do
  $P -d pgbench -c checkpoint
  window "$dir/tpcb.out" cluster_pids $PGBENCH $H -n -b tpcb-like -c 16 -j 2 -T "$seconds" pgbench
  tps=$(rate "$dir/tpcb.out")
  line="round $r: tpcb-like 16 clients $(printf %.0f "$tps") tps, PostgreSQL $(python3 -c "
print('%.3f' % (1000 * ($b - $a) / $tick / (($t1 - $t0) * $tps)))") ms a transaction"
  for n in "$@"; do
    $P -d switch -c checkpoint
    window "$dir/run.out" batch_backend $PGBENCH $H -n -M prepared -c 1 -j 1 -T "$seconds" $D -f "$dir/batch-$n.sql" switch
    bt=$(rate "$dir/run.out")
    line="$line | N=$n: $(python3 -c "
w = $t1 - $t0; cpu = ($b - $a) / $tick
x = list(map(int, '$sa'.split()[1:])); y = list(map(int, '$sb'.split()[1:])); d = [q - p for p, q in zip(x, y)]
ms = 1000 * cpu / (w * $bt); ceiling = $n * 1000 / ms
print('%.0f batches/s, backend %.0f%% of a core, %.3f ms a batch (%.3f a payment), ceiling %.0f payments/s = %.2fx, steal %.1f%%'
      % ($bt, 100 * cpu / w, ms, ms / $n, ceiling, ceiling / $tps, 100 * d[7] / sum(d)))")"
  done
  echo "$line"
done
