#!/usr/bin/env bash
# Runs feedparser's own test expectations against `outcry parse feed` (release build) and
# fails when the pass rate drops below the targets: 97% of the core tests, 85% of all.
# Usage: scripts/conformance.sh [--no-build]   (env: CORPUS, TOOL, CORE_TARGET, ALL_TARGET)
# The corpus comes from scripts/corpora.sh (OUTCRY_CORPORA); the harness, fp_conformance.py, from
# ../shared/tools beside the repository (OUTCRY_TOOLS). Without either, the run is skipped (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"
source scripts/corpora.sh
CORPUS="${CORPUS:-$OUTCRY_CORPORA/feedparser-tests}"
TOOL="${TOOL:-${OUTCRY_TOOLS:-../shared/tools}/fp_conformance.py}"
if [[ ! -f "$TOOL" ]]; then
    echo "conformance: skipped: the harness fp_conformance.py is not at $TOOL (set TOOL= or OUTCRY_TOOLS=)"
    exit 0
fi
if [[ ! -d "$CORPUS/wellformed" ]]; then
    echo "conformance: skipped: no feedparser test documents at $CORPUS (set CORPUS= or OUTCRY_CORPORA=)"
    exit 0
fi
CORE_TARGET="${CORE_TARGET:-97}"
ALL_TARGET="${ALL_TARGET:-85}"
if [[ "${1:-}" != "--no-build" ]]; then
    swift build -c release --product outcry
fi
BIN="$(swift build -c release --show-bin-path)/outcry"
OUT="${OUT:-.build/conformance}"
mkdir -p "$OUT"

run() { # name, extra args
    local name="$1"; shift
    python3 "$TOOL" --tests "$CORPUS" --cmd "$BIN parse feed {}" --report "$OUT/$name.json" "$@" > "$OUT/$name.txt"
    python3 - "$OUT/$name.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
p, f = s.get("pass", 0), s.get("fail", 0)
print(f"{p / max(p + f, 1) * 100:.2f} {p} {p + f}")
PY
}

read -r core_pct core_pass core_total < <(run core --core)
read -r all_pct all_pass all_total < <(run all)
echo "core: $core_pass/$core_total = $core_pct% (target $CORE_TARGET%)"
echo "all:  $all_pass/$all_total = $all_pct% (target $ALL_TARGET%)"
echo "reports: $OUT/core.json $OUT/all.json"
python3 -c "import sys; sys.exit(0 if float('$core_pct') >= $CORE_TARGET and float('$all_pct') >= $ALL_TARGET else 1)" \
    || { echo "conformance below target" >&2; exit 1; }
