#!/usr/bin/env bash
# Contacts benchmark: generate N contacts as CSV, stream-import them (time, peak RSS), then
# import + index + link M synthetic mentions (mentions/s).
#
# usage: scripts/bench_contacts.sh [N=1000000] [M=1000000] [WORKDIR=/tmp/outcry-bench-contacts]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
M=${2:-1000000}
WORK=${3:-/tmp/outcry-bench-contacts}
mkdir -p "$WORK"
CSV="$WORK/contacts-$N.csv"

[ -f "$CSV" ] || python3 scripts/gen_contacts.py "$N" "$CSV"
echo "input: $CSV ($(du -hL "$CSV" | cut -f1))"

swift build -c release --product outcry-bench-contacts >/dev/null
BIN=.build/release/outcry-bench-contacts

report() { grep -E "^(import|index|link):|Maximum resident|Elapsed" "$1" | sed 's/^\t//'; }

echo "== import only (stream-parse + normalise)"
/usr/bin/time -v "$BIN" import "$CSV" >"$WORK/import.txt" 2>&1
report "$WORK/import.txt"

echo "== import + index + link $M mentions"
/usr/bin/time -v "$BIN" link "$CSV" "$M" >"$WORK/link.txt" 2>&1
report "$WORK/link.txt"
