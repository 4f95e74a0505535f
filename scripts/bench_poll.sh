#!/usr/bin/env bash
# Polling benchmark: one `outcry poll --once` pass over N sources (default 2,000) served by
# nginx on 127.0.0.1 — first pass all 200s, second pass (forced) mostly 304s, with a few
# feeds changed in between. Prints wall time, CPU and peak memory of each pass, and the same
# passes of newsboat (Debian's, 64 reload threads, its own SQLite cache) over the same feeds in
# the same run as the peer (BENCH_PEER=0 skips it).
# Usage: scripts/bench_poll.sh [N]          (BENCH_DATABASE=postgres: the same on a throwaway
#        PostgreSQL 15 cluster from scripts/postgres.sh instead of SQLite in data_dir;
#        OUTCRY_BIN=PATH: that binary instead of building the release one;
#        BENCH_ITEMS=K: K posts a feed, default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"
N="${1:-2000}"
PORT="${BENCH_PORT:-18089}"

PEER="${BENCH_PEER:-1}"
needed=(nginx); [[ "$PEER" == 1 ]] && needed+=(newsboat)
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || {
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$package" >/dev/null
  }
done
scripts/setup.sh
if [[ -n "${OUTCRY_BIN:-}" ]]; then
  bin="$(realpath "$OUTCRY_BIN")"   # a binary already built (say, a debug one, for a quick comparison)
else
  swift build -c release --product outcry >/dev/null
  bin="$(swift build -c release --show-bin-path)/outcry"
fi

work="$(mktemp -d /tmp/outcry-bench-poll.XXXXXX)"
trap '[[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/www" "$work/config" "$work/logs"
chmod 755 "$work"  # nginx workers run as an unprivileged user
database=""
if [[ "${BENCH_DATABASE:-sqlite}" == "postgres" ]]; then
  database="$(scripts/postgres.sh start "$work/pg" "${BENCH_PG_PORT:-18090}")"
  echo "== database: $database"
fi
python3 - "$work" "$N" "$PORT" "$database" "${BENCH_ITEMS:-10}" <<'PY'
import sys, os
work, n, port, database, per_feed = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
with open(os.path.join(work, "config", "outcry.yaml"), "w") as cfg:
    cfg.write("data_dir: ../data\n")
    if database:
        cfg.write(f"database: {database}?sslmode=disable\n")
    cfg.write("polling:\n  max_concurrent: 64\n  max_per_host: 64\nsources:\n")
    for i in range(n):
        items = "".join(
            f"<item><title>Post {i}-{j}</title><guid>g-{i}-{j}</guid><link>http://example.org/{i}/{j}</link>"
            f"<description>Still waiting for my refund from Kestrel, order {i}{j}, day {j}.</description>"
            f"<pubDate>Mon, 23 Nov 2026 10:{j % 60:02d}:00 GMT</pubDate></item>" for j in range(per_feed))
        with open(os.path.join(work, "www", f"feed{i}.xml"), "w") as f:
            f.write(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {i}</title>{items}</channel></rss>')
        cfg.write(f"  - name: feed{i}\n    url: http://127.0.0.1:{port}/feed{i}.xml\n    interval: 15m\n")
with open(os.path.join(work, "newsboat-urls"), "w") as urls:
    urls.writelines(f"http://127.0.0.1:{port}/feed{i}.xml\n" for i in range(n))
with open(os.path.join(work, "newsboat-config"), "w") as nb:
    nb.write("reload-threads 64\nshow-read-feeds yes\n")
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

echo "== pass 1: $N sources, all 200"
/usr/bin/time -f "wall %e s, CPU %U s user + %S s system, peak RSS %M KiB" "$bin" poll --once --config "$work/config/outcry.yaml" | awk 'NR<=2{print} {last=$0} END{print last}'
newsboat_pass() {
  [[ "$PEER" == 1 ]] || return 0
  echo "-- newsboat $(newsboat -v 2>/dev/null | head -1 | awk '{print $2}'), same feeds, 64 reload threads"
  HOME="$work" /usr/bin/time -f "wall %e s, CPU %U s user + %S s system, peak RSS %M KiB" \
    newsboat -C "$work/newsboat-config" -u "$work/newsboat-urls" -c "$work/newsboat-cache.db" -x reload 2>&1 >/dev/null | tail -1
  python3 -c 'import sqlite3, sys; print("newsboat holds", sqlite3.connect(sys.argv[1]).execute("select count(*) from rss_item").fetchone()[0], "posts")' "$work/newsboat-cache.db"
}
newsboat_pass
# Change 1% of the feeds, then the forced second pass: the rest answer 304.
for i in $(seq 0 $((N / 100 - 1))); do sed -i "s/day 1\./day 1, updated./" "$work/www/feed$i.xml"; done
echo "== pass 2: $N sources, ~99% 304"
/usr/bin/time -f "wall %e s, CPU %U s user + %S s system, peak RSS %M KiB" "$bin" poll --once --force --config "$work/config/outcry.yaml" | awk 'NR<=2{print} {last=$0} END{print last}'
newsboat_pass
