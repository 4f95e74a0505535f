#!/usr/bin/env bash
# Contacts benchmark: generate N contacts as CSV, stream-import them (time, peak RSS), then
# import + index + link M synthetic mentions (mentions/s), then the real thing:
# `outcry contacts import` of the file into a fresh SQLite store (time, peak RSS).
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
swift build -c release --product outcry >/dev/null
BIN=.build/release/outcry-bench-contacts

report() { grep -E "^(import|index|link):|Maximum resident|Elapsed" "$1" | sed 's/^\t//'; }

echo "== import only (stream-parse + normalise)"
/usr/bin/time -v "$BIN" import "$CSV" >"$WORK/import.txt" 2>&1
report "$WORK/import.txt"

echo "== import + index + link $M mentions"
/usr/bin/time -v "$BIN" link "$CSV" "$M" >"$WORK/link.txt" 2>&1
report "$WORK/link.txt"

echo "== outcry contacts import into a fresh SQLite store"
STORE="$WORK/store"
rm -rf "$STORE" && mkdir -p "$STORE"
# Exit 1 means some rows were rejected (the generator writes a few bad ones on purpose).
/usr/bin/time -v .build/release/outcry contacts import "$CSV" --region US --data-dir "$STORE" >"$WORK/store.txt" 2>&1 || [ $? -eq 1 ]
grep -E "new, .* rejected|Maximum resident|Elapsed" "$WORK/store.txt" | sed 's/^\t//'
rm -rf "$STORE"
