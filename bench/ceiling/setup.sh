#!/bin/bash
# Creates a scratch PostgreSQL cluster for the batch ceiling (what the one backend that runs the payment
# batches could do if it never waited for its client: 0.66-1.14x pgbench's tpcb-like, median 0.77, at 5
# payments a batch, passing 1.0x only between 5 and 10): the benchmark's durable settings, BillSwitch's
# schema from its Flyway migrations, 100 partners with funded wallets, and pgbench's tables at scale 64
# beside it.
# usage: bench/ceiling/setup.sh DIR [PORT]   (PGBIN: PostgreSQL 17 binaries; by default the zonky ones the
#        server unpacked under /tmp/embedded-pg; PSQL and PGBENCH: Debian's client programs)
set -euo pipefail
dir=$(realpath -m "$1"); port=${2:-55433}
repo=$(cd "$(dirname "$0")/../.." && pwd)
PGBIN=${PGBIN:-$(ls -d /tmp/embedded-pg/PG-*/bin 2>/dev/null | head -1)}
source "$(dirname "$0")/clients.sh"
[ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL binaries: set PGBIN (run the server once to unpack zonky's)"; exit 1; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
as "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 > "$dir/initdb.log"
cat >> "$dir/data/postgresql.conf" <<CONF
port=$port
unix_socket_directories='$dir'
listen_addresses=''
fsync=on
synchronous_commit=on
shared_buffers=512MB
max_connections=300
max_wal_size=8GB
min_wal_size=8GB
checkpoint_timeout=15min
shared_preload_libraries='pg_stat_statements'
pg_stat_statements.track_planning=on
plan_cache_mode=force_generic_plan
CONF
as "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start > /dev/null
P="$PSQL -h $dir -p $port -U postgres -q -X -v ON_ERROR_STOP=1"
$P -c 'create database switch' -c 'create database pgbench'
for f in "$repo"/src/main/resources/db/migration/V*.sql; do $P -d switch -f "$f"; done
$P -d switch <<'SQL'
create extension pg_stat_statements;
insert into partners (id, name, status) select 'p' || lpad(g::text, 3, '0'), 'Partner ' || g, 'ACTIVE' from generate_series(0, 99) g;
-- wallets 67-166 (after the 66 platform accounts of V1), funded; batch.py counts on these ids
insert into accounts (kind, partner_id, currency, shard, must_not_overdraw, credits_posted)
select 'WALLET', 'p' || lpad(g::text, 3, '0'), 'INR', 0, true, 1000000000000000 from generate_series(0, 99) g order by g;
SQL
[ "$($P -At -d switch -c "select min(id) || '-' || max(id) from accounts where kind = 'WALLET'")" = 67-166 ] \
    || { echo "the wallets did not get ids 67-166; batch.py needs them"; exit 1; }
$PGBENCH -h "$dir" -p "$port" -U postgres -i -q -s 64 pgbench 2>&1 | tail -1
echo "ready: bench/ceiling/run.sh $dir $port ROUNDS SECONDS N..."
