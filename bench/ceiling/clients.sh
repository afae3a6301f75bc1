# Sourced by setup.sh and run.sh: the PostgreSQL client programs they drive, Debian's newest unless PSQL and
# PGBENCH say otherwise.
PSQL=${PSQL:-$(ls /usr/lib/postgresql/*/bin/psql | tail -1)}
PGBENCH=${PGBENCH:-$(ls /usr/lib/postgresql/*/bin/pgbench | tail -1)}
