#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server: a fresh cluster in a temp folder
# (Debian's postgresql package), listening on 127.0.0.1 only, on a free port, stopped and
# deleted when the command ends. The command sees its address in GATEHOUSE_TEST_POSTGRES
# (a superuser URL: the tests create one database per test from it).
#
# The cluster uses the C locale, as Gatehouse asks of any PostgreSQL database: names sort
# and compare byte by byte, exactly as in the SQLite file (README, "PostgreSQL").
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "with-postgres: PostgreSQL is missing: sudo apt-get install postgresql" >&2; exit 1; }
dir=$(mktemp -d)
# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as=(runuser -u postgres --); fi
cleanup() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
# A free port: one nothing answers on (pg_ctl below fails if another takes it meanwhile).
while :; do
  port=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
"${as[@]}" "$bin/initdb" -D "$dir/data" -U gatehouse --auth=trust --locale=C -E UTF8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# No fsync: a throwaway cluster need not survive the machine losing power, and creating a
# database per test is much faster without it. A commit still waits for PostgreSQL's own
# write (synchronous_commit stays on), so a killed or restarted server loses nothing.
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=400 -c shared_buffers=64MB -c fsync=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
export GATEHOUSE_TEST_POSTGRES="postgres://gatehouse@127.0.0.1:$port/postgres?sslmode=disable"
export GATEHOUSE_TEST_POSTGRES_DATA="$dir/data" GATEHOUSE_TEST_POSTGRES_BIN="$bin"
"$@"
