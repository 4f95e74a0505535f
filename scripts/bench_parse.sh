#!/usr/bin/env bash
# Feed parsing throughput on one core: generates ~5 MB RSS 2.0, Atom 1.0 and JSON Feed files
# of short social posts and runs the hidden `outcry parse bench` on each (release build). For
# each file it prints MB/s and items/s of the poller's path (`FeedReader.read`, bytes to
# mentions, fast path when it accepts), of the general path to the same mentions (the poller's
# path before the fast path) and of the full feedparser-shaped parse (`outcry parse feed`'s).
# Usage: scripts/bench_parse.sh [--no-build] [seconds-per-file]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--no-build" ]]; then shift; else swift build -c release --product outcry; fi
BIN="$(swift build -c release --show-bin-path)/outcry"
DIR=.build/bench
python3 scripts/bench_parse.py "$DIR" 5000000
taskset -c 0 "$BIN" parse bench --seconds "${1:-3}" "$DIR/bench-rss.xml" "$DIR/bench-atom.xml" "$DIR/bench-json.json" 2>/dev/null \
    || "$BIN" parse bench --seconds "${1:-3}" "$DIR/bench-rss.xml" "$DIR/bench-atom.xml" "$DIR/bench-json.json"
