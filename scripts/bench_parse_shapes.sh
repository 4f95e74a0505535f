#!/usr/bin/env bash
# Feed parse throughput on the shapes real generators emit, Outcry beside its Python peers in
# the same run. `outcry-bench-parse shapes` writes one ~5 MB file per generator shape
# (WordPress, Blogger, Ghost, Substack, Medium, Mastodon, GitHub, YouTube, Reddit, Discourse,
# Micro.blog, a podcast host: synthetic text, see Sources/OutcryParse/FastFeed/FeedShapes.swift);
# for each file it prints MB/s of Outcry's poller path (`FeedReader.read`: bytes to mentions,
# `outcry-bench-parse read`, which says whether the fast path took the file), of fastfeedparser
# and of feedparser (PyPI, in a virtual environment this script makes under .build/), each
# parsing the same bytes in memory on one core (`taskset -c 0` where available), and Outcry's
# ratio to the fastest peer.
# Usage: scripts/bench_parse_shapes.sh [--no-build] [--no-feedparser] [bytes-per-file]
#   (env OUTCRY_BENCH_PARSE: another outcry-bench-parse binary, e.g. an older build, with --no-build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=1
FEEDPARSER=1
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --no-feedparser) FEEDPARSER=0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
SIZE="${1:-5000000}"
if ((BUILD)); then swift build -c release --product outcry-bench-parse >&2; fi
BIN="${OUTCRY_BENCH_PARSE:-$(swift build -c release --show-bin-path)/outcry-bench-parse}"
DIR=.build/bench-shapes
"$BIN" shapes "$DIR" "$SIZE"

VENV=.build/bench-venv
if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
if ! "$VENV/bin/python" -c "import fastfeedparser, feedparser" 2>/dev/null; then
  echo "bench_parse_shapes: installing fastfeedparser and feedparser into $VENV" >&2
  "$VENV/bin/pip" install --quiet fastfeedparser feedparser >&2
fi
PIN=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then PIN=(taskset -c 0); fi

"${PIN[@]}" "$VENV/bin/python" - "$BIN" "$DIR" "$FEEDPARSER" <<'EOF'
import os, re, subprocess, sys, time
import fastfeedparser, feedparser
from importlib.metadata import version

binary, folder, with_feedparser = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
shapes = ["wordpress", "blogger", "ghost", "substack", "medium", "mastodon", "github", "youtube",
          "reddit", "discourse", "microblog", "podcast"]

def outcry(path):
    # A short run to size the measured one at about 1.5 s.
    def run(n):
        out = subprocess.run([binary, "read", str(n), path], capture_output=True, text=True, check=True).stdout
        m = re.search(r"read, (fast|general) path: (\d+) runs, (\d+) items, ([\d.]+) MB/s, ([\d.]+) MB/s of CPU", out)
        return m.group(1), int(m.group(3)) // n, float(m.group(4)), float(m.group(5))
    kind, items, wall, cpu = run(2)
    n = max(3, int(1.5 * cpu * 1e6 / os.path.getsize(path)))
    return run(n)

def peer(parse, data, budget):
    # Best of several runs, in CPU time (as Outcry's figure) and wall-clock time.
    best_cpu = best_wall = None
    spent, items = 0.0, 0
    while spent < budget or best_cpu is None:
        c, t = time.process_time(), time.perf_counter()
        result = parse(data)
        dc, dt = time.process_time() - c, time.perf_counter() - t
        spent += dt
        best_cpu = dc if best_cpu is None else min(best_cpu, dc)
        best_wall = dt if best_wall is None else min(best_wall, dt)
        items = len(result["entries"])
    return items, len(data) / 1e6 / best_wall, len(data) / 1e6 / max(best_cpu, 1e-9)

print("fastfeedparser %s, feedparser %s, Python %s; Outcry: %s" % (
    version("fastfeedparser"), version("feedparser"), sys.version.split()[0], binary))
print("MB/s of CPU time (wall-clock MB/s in brackets); ratio = Outcry / fastest peer, CPU time")
head = "%-10s %5s %6s | %-7s %16s | %16s %5s | %16s %5s | %s" % (
    "shape", "MB", "items", "path", "outcry", "fastfeedparser", "items", "feedparser", "items", "ratio")
print(head)
print("-" * len(head))
for shape in shapes:
    path = os.path.join(folder, shape + ".xml")
    data = open(path, "rb").read()
    kind, items, wall, cpu = outcry(path)
    fitems, fwall, fcpu = peer(fastfeedparser.parse, data, 1.0)
    if with_feedparser:
        pitems, pwall, pcpu = peer(feedparser.parse, data, 0.0)
        p = "%7.1f (%6.1f) %5d" % (pcpu, pwall, pitems)
    else:
        pcpu, p = 0.0, "%16s %5s" % ("-", "-")
    print("%-10s %5.1f %6d | %-7s %7.1f (%6.1f) | %7.1f (%6.1f) %5d | %s | %.2fx" % (
        shape, len(data) / 1e6, items, kind, cpu, wall, fcpu, fwall, fitems, p, cpu / max(fcpu, pcpu)))
EOF
