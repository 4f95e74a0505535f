#!/usr/bin/env bash
# Installs what is needed, builds Outcry, polls the sample sources in feeds/ once with SQLite,
# shows the escalation queue, then runs the monitor until Ctrl-C (SIGINT) or SIGTERM.
# Usage: scripts/run.sh [--once]   (--once stops after the first pass and the queue)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"

scripts/setup.sh
swift build -c release --product outcry 2>&1 | grep -E "error|warning: |Compiling outcry|Build complete" || true
bin="$(swift build -c release --show-bin-path)/outcry"
[[ -x "$bin" ]] || { echo "run: build failed" >&2; exit 2; }

config="${OUTCRY_CONFIG:-config/outcry.yaml}"
"$bin" config check --config "$config"
set +e
"$bin" poll --once --config "$config"
status=$?
set -e
(( status >= 2 )) && exit "$status"
echo
"$bin" queue --config "$config"
[[ "${1:-}" == "--once" ]] && exit 0
echo
echo "outcry run: polling each source on its interval; Ctrl-C stops it cleanly"
exec "$bin" run --config "$config"
