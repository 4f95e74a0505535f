#!/bin/sh
# Scorer throughput on one core: 1,000,000 short posts, full Score (sentiment, complaint,
# urgency, severity, reasons), plus peak memory.
#   sh scripts/bench_score.sh [count]
set -e
cd "$(dirname "$0")/.."
swift build -c release --product outcry-bench-score
/usr/bin/time -v .build/release/outcry-bench-score "${1:-1000000}" 2>&1 | grep -E 'scored|CPU time|checksum|Maximum resident'
