#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster (127.0.0.1 only, trust authentication) for tests and trials.
#
#   scripts/postgres.sh start DIR PORT    # prints the address: postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/postgres.sh stop DIR
#
# `start` creates a cluster in DIR/data (unless one is there), its socket in DIR and its log in
# DIR/log, and starts it; as root the cluster belongs to the `postgres` user (initdb refuses
# root), so DIR is made theirs. Tests run in parallel with five connections per store, hence
# max_connections 400 ($PG_MAX_CONNECTIONS). Trust authentication: anyone on this machine may connect as any
# user, which is only fit for a test. `stop` stops it and leaves DIR alone.
set -euo pipefail

# A daemon started from here must not inherit the caller's other descriptors: a test process's
# pipes, held open for ever by a PostgreSQL or Dovecot started beside a command's test, kept that
# test waiting for its output's end. Bash's own descriptor for this script is kept.
self_script="$(readlink -f "$0")"
for fd_path in /proc/$$/fd/*; do
  fd="${fd_path##*/}"
  [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )) || continue
  [[ "$(readlink -f "$fd_path" 2>/dev/null)" == "$self_script" ]] && continue
  eval "exec $fd>&-" 2>/dev/null || true
done

usage() { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }
[[ $# -ge 2 ]] || usage

bin=""
for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then bin=$candidate; break; fi
done
if [[ -z "$bin" ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bin=$(dirname "$(command -v pg_ctl)")
fi
[[ -n "$bin" ]] || { echo "postgres: initdb and pg_ctl not found (scripts/setup.sh --test installs postgresql-15)" >&2; exit 3; }

action=$1
dir=$(realpath -m "$2")

# As root, run PostgreSQL's programs as the `postgres` user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
stop)
  [[ -f "$dir/data/postmaster.pid" ]] || exit 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  exit 0
  ;;
start) ;;
*) usage ;;
esac

[[ $# -ge 3 ]] || usage
port=$3

mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || { echo "postgres: no 'postgres' user to run the cluster as (install postgresql)" >&2; exit 3; }
  chown postgres: "$dir"
  # The postgres user must be able to reach DIR: a folder under /root is not reachable.
  runuser -u postgres -- test -w "$dir" || { echo "postgres: $dir is not reachable by the postgres user" >&2; exit 1; }
fi
if [[ ! -f "$dir/data/PG_VERSION" ]]; then
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
fi
if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=${PG_MAX_CONNECTIONS:-400}" start >/dev/null; then
  tail -20 "$dir/log" >&2 || true
  exit 1
fi
echo "postgres://postgres@127.0.0.1:$port/postgres"
