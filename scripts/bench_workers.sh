#!/usr/bin/env bash
# Scale-out benchmark: mentions ingested per second by 1, 2 and 4 `outcry run --role poller`
# workers sharing one database, over N sources (default 2,000, ten posts each) served by nginx
# on 127.0.0.1. Each run starts from an empty database and stops when every post is stored; then
# every source is made due again and the workers poll them all once more (all unchanged: 304),
# which gives polls per second in the steady state.
# SQLite always; PostgreSQL too when `database:` support and scripts/postgres.sh are there.
# Usage: scripts/bench_workers.sh [N] [WORKER_COUNTS...]   (default: 2000 1 2 4)
#        OUTCRY_BIN=PATH: that binary instead of building the release one
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"
N="${1:-2000}"; shift || true
COUNTS=("${@:-1 2 4}"); COUNTS=(${COUNTS[@]})
PORT="${BENCH_PORT:-18090}"
PGPORT="${BENCH_PGPORT:-18091}"

dpkg-query -W -f='${Status}' nginx 2>/dev/null | grep -q "install ok installed" || {
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
}
scripts/setup.sh --test >/dev/null  # PostgreSQL too
if [[ -n "${OUTCRY_BIN:-}" ]]; then
  bin="$(realpath "$OUTCRY_BIN")"
else
  swift build -c release --product outcry >/dev/null
  bin="$(swift build -c release --show-bin-path)/outcry"
fi

work="$(mktemp -d /tmp/outcry-bench-workers.XXXXXX)"
cleanup() {
  pkill -P $$ -f "$bin run" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  [[ -d "$work/pg" ]] && scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/www" "$work/logs"
chmod 755 "$work"
python3 - "$work" "$N" "$PORT" <<'PY'
import sys, os
work, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(os.path.join(work, "sources.yaml"), "w") as cfg:
    for i in range(n):
        items = "".join(
            f"<item><title>Post {i}-{j}</title><guid>g-{i}-{j}</guid><link>http://example.org/{i}/{j}</link>"
            f"<description>Still waiting for my refund from Kestrel, order {i}{j}, day {j}.</description>"
            f"<pubDate>Mon, 23 Nov 2026 10:{j:02d}:00 GMT</pubDate></item>" for j in range(10))
        with open(os.path.join(work, "www", f"feed{i}.xml"), "w") as f:
            f.write(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {i}</title>{items}</channel></rss>')
        cfg.write(f"  - name: feed{i}\n    url: http://127.0.0.1:{port}/feed{i}.xml\n    interval: 15m\n")
PY
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  server { listen 127.0.0.1:$PORT; root $work/www; etag on; types { application/rss+xml xml; } }
}
NGINX
chmod -R a+rX "$work/www"
nginx -c "$work/nginx.conf"
sleep 0.3
want=$((N * 10))

# count_sqlite DATA_DIR / count_pg URL: how many mentions are stored.
count_sqlite() { python3 -c "import sqlite3,sys; print(sqlite3.connect('file:'+sys.argv[1]+'/outcry.sqlite?mode=ro', uri=True).execute('select count(*) from mentions').fetchone()[0])" "$1" 2>/dev/null || echo 0; }
count_pg() { psql "$1?sslmode=disable" -Atc "select count(*) from mentions" 2>/dev/null || echo 0; }

sqlite3_checkpoint() { python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]+'/outcry.sqlite').execute('PRAGMA wal_checkpoint(TRUNCATE)')" "$1" 2>/dev/null || true; }

# cpu_seconds PID...: user + system CPU seconds the processes have used so far.
cpu_seconds() {
  python3 - "$@" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK"); total = 0
for pid in sys.argv[1:]:
    try: fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError: continue
    total += int(fields[11]) + int(fields[12])
print(total / tick)
PY
}

# run BACKEND WORKERS: prints one result line.
run() {
  local backend=$1 workers=$2 dir="$work/run-$1-$2" database=""
  mkdir -p "$dir"
  if [[ $backend == postgres ]]; then
    psql "$PGURL_ADMIN" -qc "DROP DATABASE IF EXISTS bench_$workers" -c "CREATE DATABASE bench_$workers" >/dev/null
    database="database: ${PGURL_BASE}/bench_$workers?sslmode=disable"
  fi
  { echo "data_dir: data"; echo "$database"; printf 'polling:\n  max_concurrent: 64\n  max_per_host: 64\nworkers:\n  lease: 30s\nsources:\n'; cat "$work/sources.yaml"; } > "$dir/outcry.yaml"
  "$bin" sources --config "$dir/outcry.yaml" >/dev/null  # the schema, before the clock starts
  local start=$(date +%s.%N) pids=()
  for _ in $(seq 1 "$workers"); do
    "$bin" run --role poller --config "$dir/outcry.yaml" --log-level error >/dev/null 2>>"$dir/err.log" & pids+=($!)
  done
  local n=0
  while (( n < want )); do
    sleep 0.2
    if [[ $backend == postgres ]]; then n=$(count_pg "${PGURL_BASE}/bench_$workers"); else n=$(count_sqlite "$dir/data"); fi
  done
  local end=$(date +%s.%N) cpu
  cpu=$(cpu_seconds "${pids[@]}")
  kill -TERM "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true
  # Steady state: every source due again, nothing new (nginx answers 304 to the validators):
  # how many polls a second the workers get through, the figure that sizes a deployment.
  local sql="UPDATE sources SET next_poll_at = 0" since
  if [[ $backend == postgres ]]; then psql "${PGURL_BASE}/bench_$workers?sslmode=disable" -qc "$sql" >/dev/null
  else python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]+'/outcry.sqlite'); c.execute(sys.argv[2]); c.commit()" "$dir/data" "$sql"; fi
  local start2=$(date +%s.%N) polled=0; since=$(date +%s); pids=()
  for _ in $(seq 1 "$workers"); do
    "$bin" run --role poller --config "$dir/outcry.yaml" --log-level error >/dev/null 2>>"$dir/err.log" & pids+=($!)
  done
  local check="select count(*) from sources where last_success_at >= $since"
  while (( polled < N )); do
    sleep 0.2
    if [[ $backend == postgres ]]; then polled=$(psql "${PGURL_BASE}/bench_$workers?sslmode=disable" -Atc "$check" 2>/dev/null || echo 0)
    else polled=$(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:'+sys.argv[1]+'/outcry.sqlite?mode=ro', uri=True).execute(sys.argv[2]).fetchone()[0])" "$dir/data" "$check" 2>/dev/null || echo 0); fi
  done
  local end2=$(date +%s.%N) cpu2
  cpu2=$(cpu_seconds "${pids[@]}")
  kill -TERM "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); t=float(sys.argv[7])-float(sys.argv[6]); print(f'{sys.argv[3]:9} {sys.argv[4]} worker(s): {int(sys.argv[5])} mentions in {s:.1f} s = {int(sys.argv[5])/s:,.0f} mentions/s (workers {float(sys.argv[9]):.1f} CPU-s); then {sys.argv[8]} polls of unchanged feeds in {t:.1f} s = {int(sys.argv[8])/t:,.0f} polls/s (workers {float(sys.argv[10]):.1f} CPU-s)')" \
    "$start" "$end" "$backend" "$workers" "$want" "$start2" "$end2" "$N" "$cpu" "$cpu2"
  # What a stored mention costs on disk (rows, indexes, threads, events; the database's own size).
  local bytes
  if [[ $backend == postgres ]]; then bytes=$(psql "${PGURL_BASE}/bench_$workers?sslmode=disable" -Atc "select pg_database_size(current_database())")
  else sqlite3_checkpoint "$dir/data"; bytes=$(stat -c %s "$dir/data/outcry.sqlite"); fi
  echo "  database: $((bytes / 1048576)) MiB, $((bytes / want)) bytes per stored mention"
  [[ -s "$dir/err.log" ]] && { echo "  (errors: $(wc -l < "$dir/err.log") lines; first: $(head -c 300 "$dir/err.log"))"; } || true
}

echo "== $N sources, $want posts, on $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for w in "${COUNTS[@]}"; do run sqlite "$w"; done
if [[ "${BENCH_POSTGRES:-1}" == 1 ]]; then
  scripts/postgres.sh start "$work/pg" "$PGPORT" >/dev/null
  PGURL_BASE="postgres://postgres@127.0.0.1:$PGPORT"; PGURL_ADMIN="$PGURL_BASE/postgres?sslmode=disable"
  for w in "${COUNTS[@]}"; do run postgres "$w"; done
fi
