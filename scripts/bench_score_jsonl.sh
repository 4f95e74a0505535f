#!/bin/sh
# `outcry score` whole process, JSON lines in and out, on real tweets, beside vaderSentiment.
#
#   sh scripts/bench_score_jsonl.sh [REPEAT] [RUNS]
#
# Input: VADER's 4,200 human-rated tweets (../shared/corpora/vader-groundtruth, or
# $OUTCRY_CORPORA) REPEAT times (default 28: 117,600 lines of {"id","text"}). Outcry: the release
# `outcry score` reading the file on stdin and writing to a file, whole process (start-up,
# reading, scoring, writing), RUNS times each (default 3), with the learned model (the default)
# and with --rules-only; the best run's texts per wall-clock second and per CPU second (user +
# system: the figure to trust when other work shares the 2 cores) are printed. Peer:
# vaderSentiment 3.3.2 from PyPI in a virtualenv this script makes (.build/bench-venv), timed
# in-process (texts already in memory, polarity_scores only) on the same texts in the same run.
set -e
cd "$(dirname "$0")/.."
REPEAT=${1:-28}
RUNS=${2:-3}
export PATH=/opt/swift/usr/bin:$PATH
if [ -z "$OUTCRY" ]; then  # OUTCRY=path/to/outcry measures that binary instead of building one
  swift build -c release --product outcry >/dev/null
  OUTCRY=$(swift build -c release --show-bin-path)/outcry
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 scripts/bench_score_jsonl.py corpus "$WORK/in.jsonl" "$REPEAT"
LINES=$(wc -l < "$WORK/in.jsonl")

VENV=.build/bench-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import vaderSentiment' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet vaderSentiment==3.3.2
fi

run() {  # run VAR LABEL ARGS...: RUNS timed runs of outcry score; prints the best, sets VAR to its texts/s
  var=$1; label=$2; shift 2
  best=0; bestcpu=0
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$OUTCRY" score "$@" < "$WORK/in.jsonl" > "$WORK/out.jsonl"
    out=$(wc -l < "$WORK/out.jsonl")
    [ "$out" -eq "$LINES" ] || { echo "outcry score wrote $out lines for $LINES" >&2; exit 1; }
    read -r wall user sys rss < "$WORK/time"
    rate=$(python3 scripts/bench_score_jsonl.py rate "$LINES" 0 "$wall")
    cpurate=$(python3 scripts/bench_score_jsonl.py rate "$LINES" 0 "$(python3 -c "print($user + $sys)")")
    [ "$rate" -gt "$best" ] && { best=$rate; bestwall="$wall s wall, $user s user, $sys s sys, ${rss} KB peak RSS"; }
    [ "$cpurate" -gt "$bestcpu" ] && bestcpu=$cpurate
  done
  printf '%-32s %8s texts/s (%s); %8s texts per CPU second (best of %s)\n' "$label" "$best" "$bestwall" "$bestcpu" "$RUNS"
  eval "$var=$best"
}

echo "$LINES lines ($(wc -c < "$WORK/in.jsonl") bytes); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
run MODEL "outcry score (learned model)"
run RULES "outcry score --rules-only" --rules-only
set -- $("$VENV/bin/python" scripts/bench_score_jsonl.py vader "$WORK/in.jsonl")
VADER=$(python3 scripts/bench_score_jsonl.py rate "$1" 0 "$2")
VADERCPU=$(python3 scripts/bench_score_jsonl.py rate "$1" 0 "$3")
printf '%-32s %8s texts/s in-process (polarity_scores only, %s s); %8s texts per CPU second\n' "vaderSentiment 3.3.2" "$VADER" "$2" "$VADERCPU"
echo "learned model vs VADER: $(python3 scripts/bench_score_jsonl.py ratio "$MODEL" "$VADER") (wall clock); rules only: $(python3 scripts/bench_score_jsonl.py ratio "$RULES" "$VADER")"
