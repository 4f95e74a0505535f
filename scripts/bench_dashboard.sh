#!/usr/bin/env bash
# The dashboard's load check (issue 17): a SQLite store of 500,000 threads (150,000 open) and
# 1,000,000 mentions (scripts/gen_dashboard_store.py, after `outcry migrate`), `outcry run`
# serving the web on 127.0.0.1, and `wrk` with 16 connections on the queue page `/` (logged
# in; 50 threads, then 200 with `?limit=200`, then a random one of its first 1,000 pages, which
# the server has mostly not read a moment before), `GET /api/threads?limit=50` (a personal API
# token) and one thread's page and API.
# Prints requests/s, p50 and p99 for each, and the machine's load (it is shared).
# Usage: scripts/bench_dashboard.sh [SECONDS]   (default 20)
#        OUTCRY_BIN=PATH: that binary instead of building the release one
#        BENCH_THREADS / BENCH_MENTIONS / BENCH_OPEN: another size (defaults 500000 / 1000000 / 150000)
#        BENCH_CONNECTIONS=N: another number of connections (default 16)
#        BENCH_KEEP=DIR: keep (or reuse, when it holds one) the generated store in DIR
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"
SECONDS_EACH="${1:-20}"
PORT="${BENCH_PORT:-18095}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-500000}"; MENTIONS="${BENCH_MENTIONS:-1000000}"; OPEN="${BENCH_OPEN:-150000}"

for tool in wrk sqlite3 curl; do
  command -v "$tool" >/dev/null || {
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk sqlite3 curl >/dev/null
  }
done
if [[ -n "${OUTCRY_BIN:-}" ]]; then
  bin="$(realpath "$OUTCRY_BIN")"
else
  swift build -c release --product outcry >/dev/null
  bin="$(swift build -c release --show-bin-path)/outcry"
fi

work="$(mktemp -d /tmp/outcry-bench-dashboard.XXXXXX)"
data="${BENCH_KEEP:-$work/data}"
server=""
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
brands=""; for i in $(seq 0 19); do brands+="  - {name: Brand$i, keywords: [\"brand$i\"]}"$'\n'; done
cat > "$work/outcry.yaml" <<YAML
data_dir: $data
brands:
$brands
sources: []
web:
  listen: 127.0.0.1:$PORT
dashboard_url: http://127.0.0.1:$PORT
sla:
  - name: p1
    severities: [P1]
    targets: {acknowledge: 15m, first_response: 1h, next_response: 2h, resolution: 1d}
    business_hours: false
  - name: default
    targets: {acknowledge: 2h, first_response: 8h, resolution: 3d}
    business_hours: false
routes:
  receiver: hook
receivers:
  hook: {type: webhook, url: "http://127.0.0.1:9/outcry", secret: "\${BENCH_HOOK_SECRET}"}
YAML
export BENCH_HOOK_SECRET=unused
cfg="$work/outcry.yaml"
if [[ -f "$data/outcry.sqlite" ]] && [[ "$(sqlite3 "$data/outcry.sqlite" 'SELECT COUNT(*) FROM threads')" == "$THREADS" ]]; then
  echo "bench_dashboard: reusing the store in $data"
else
  rm -rf "$data"
  "$bin" migrate --config "$cfg" >/dev/null
  python3 scripts/gen_dashboard_store.py "$data/outcry.sqlite" --threads "$THREADS" --mentions "$MENTIONS" --open "$OPEN"
fi
"$bin" users list --config "$cfg" | grep -q '^bench ' || printf 'bench-password-123\n' | "$bin" users add bench --role admin --config "$cfg" >/dev/null
token="$("$bin" users token bench --config "$cfg" | grep -o 'oc_[0-9a-f]*' | head -n 1)"

"$bin" run --config "$cfg" >"$work/run.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "bench_dashboard: outcry run did not get ready:"; cat "$work/run.log"; exit 1; }

# Log in as a browser does: the login form's CSRF cookie and token, then the session cookie.
jar="$work/cookies"
csrf="$(curl -s -c "$jar" "http://127.0.0.1:$PORT/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "name=bench" \
  --data-urlencode "password=bench-password-123" --data-urlencode "next=/" "http://127.0.0.1:$PORT/login"
session="$(awk '$6 == "outcry_session" {print $7}' "$jar")"
[[ -n "$session" ]] || { echo "bench_dashboard: the login failed"; exit 1; }
thread="$(sqlite3 "$data/outcry.sqlite" "SELECT id FROM threads WHERE status <> 'resolved' ORDER BY severity_rank, opened_at, id LIMIT 1 OFFSET 7")"

# check URL HEADER: the page answers 200 before it is measured.
check() {
  local code; code="$(curl -s -o /dev/null -w '%{http_code}' -H "$2" "$1")"
  [[ "$code" == 200 ]] || { echo "bench_dashboard: $1 answered $code"; exit 1; }
}
printf '%-34s %10s %9s %9s %9s\n' "request ($CONNECTIONS connections, ${SECONDS_EACH}s)" "requests/s" "p50" "p99" "errors"
# A random page of the queue's first 1,000 for each request (wrk's Lua hook).
cat > "$work/random_page.lua" <<'LUA'
init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000) + math.random(1000000)) end
request = function() return wrk.format("GET", "/?offset=" .. (math.random(0, 999) * 50)) end
LUA
bench() {
  local name=$1 url=$2 header=$3 script=${4:-} out
  check "$url" "$header"
  out="$(wrk -t "$(( CONNECTIONS < 2 ? 1 : 2 ))" -c "$CONNECTIONS" -d "${SECONDS_EACH}s" --timeout 10s --latency -H "$header" ${script:+-s "$script"} "$url")"
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")"
  printf '%-34s %10s %9s %9s %9s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}
base="http://127.0.0.1:$PORT"
bench "GET / (queue page, 50 rows)" "$base/" "Cookie: outcry_session=$session"
bench "GET /?limit=200 (200 rows)" "$base/?limit=200" "Cookie: outcry_session=$session"
bench "GET /?offset=random (pages 1-1000)" "$base/" "Cookie: outcry_session=$session" "$work/random_page.lua"
bench "GET /api/threads?limit=50" "$base/api/threads?limit=50" "Authorization: Bearer $token"
bench "GET /threads/$thread (page)" "$base/threads/$thread" "Cookie: outcry_session=$session"
bench "GET /api/threads/$thread" "$base/api/threads/$thread" "Authorization: Bearer $token"
echo "store: $THREADS threads ($OPEN open), $MENTIONS mentions; $(nproc) cores; load: $(uptime | sed 's/.*load average/load average/')"
