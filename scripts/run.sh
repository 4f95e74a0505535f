#!/usr/bin/env bash
# Installs what is needed, builds Outcry, polls the sample sources in feeds/ once with SQLite,
# shows the escalation queue, then runs the monitor until Ctrl-C (SIGINT) or SIGTERM.
# Usage: scripts/run.sh [--once]   (--once stops after the first pass and the queue)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"

scripts/setup.sh
echo "run: building outcry (release); the first build compiles every dependency and takes several minutes"
# Progress: one line rewritten in place on a terminal, a line every 10% otherwise; errors in full.
swift build -c release --product outcry 2>&1 | {
  last=-1
  while IFS= read -r line; do
    if [[ "$line" =~ ^\[([0-9]+)/([0-9]+)\]\ (.*)$ ]]; then
      pct=$(( BASH_REMATCH[1] * 100 / BASH_REMATCH[2] ))
      if [[ -t 1 ]]; then
        printf '\r\033[Krun: build %3d%% [%s/%s] %.60s' "$pct" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
      elif (( pct / 10 != last / 10 )); then
        echo "run: build $pct% [${BASH_REMATCH[1]}/${BASH_REMATCH[2]}]"
      fi
      last=$pct
    elif [[ "$line" =~ error|warning:\ |Build\ complete|Compiling\ outcry ]]; then
      [[ -t 1 ]] && printf '\r\033[K'
      echo "$line"
    fi
  done
  [[ -t 1 ]] && printf '\r\033[K'
  true
}
bin="$(swift build -c release --show-bin-path)/outcry"
[[ -x "$bin" ]] || { echo "run: build failed" >&2; exit 2; }

config="${OUTCRY_CONFIG:-config/outcry.yaml}"
"$bin" config check --config "$config"
set +e
"$bin" poll --config "$config"
status=$?
set -e
(( status >= 2 )) && exit "$status"
echo
"$bin" queue --config "$config"
[[ "${1:-}" == "--once" ]] && exit 0
echo
# The dashboard: its address (web.listen in the configuration) and how to log in.
listen="$(sed -n '/^web:/,/^[^ #]/s/^ *listen: *\([^ #]*\).*/\1/p' "$config" | head -n 1)"
if [[ -n "$listen" ]]; then
  echo "dashboard: http://$listen/  (behind a TLS proxy: your alerting.dashboard_url)"
  if "$bin" users list --config "$config" | grep -q '^No users yet'; then
    echo "dashboard: no users yet; make one, then log in with its name and password:"
    echo "  $bin users add admin --role admin --config $config"
  else
    echo "dashboard: log in with a user of \`$bin users list --config $config\` (roles: viewer, responder, admin)"
  fi
else
  echo "dashboard: off; add \`web: {listen: 127.0.0.1:8080}\` to $config to serve it (docs/dashboard.md)"
fi
echo "outcry run: polling each source on its interval; Ctrl-C stops it cleanly"
exec "$bin" run --config "$config"
