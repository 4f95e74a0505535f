#!/usr/bin/env bash
# Fuzzes the feed, mail and JSON API parsers with libFuzzer for a bounded time (default 60 s),
# seeded with feedparser's test documents, the mail corpus, small benchmark-shaped feeds and
# the documents with internal subsets in Tests/fuzz-seeds (entities, billion laughs, parameter
# entities, HTML that tries to run script), plus one generated entity blow-up just under the
# input size limit. Mutations use the XML/DTD dictionary Tests/fuzz-seeds/xml-dtd.dict.
# A crash, a run over 10 s, a single allocation of 64 MB or more (-malloc_limit_mb: an input
# of at most 64 KB needs a few MB, entity expansion being capped at 1 MiB; an entity blow-up
# asks for hundreds), more than 2 GB resident, the feed fast path disagreeing with the general
# path, or sanitised HTML holding something executable fails the script and leaves the input
# in .build-fuzz/crashes/.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"
seconds="${1:-${FUZZ_SECONDS:-60}}"
source scripts/corpora.sh # seeds from the corpora when they are there (OUTCRY_CORPORA)
shared="$OUTCRY_CORPORA"

# SwiftPM owns the executable's main, so link libFuzzer's driver without its main and
# instrument with the coverage libFuzzer reads (inline 8-bit counters, PC table, comparisons).
fuzzer_lib=$(ls "$(dirname "$(dirname "$(command -v swift)")")"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -1)
swift build --scratch-path .build-fuzz --product outcry-fuzz -Xswiftc -DFUZZING \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xlinker "$fuzzer_lib" -Xlinker -lstdc++ 2>&1 | grep -E "error:" && exit 2 || true
bin="$(swift build --scratch-path .build-fuzz --show-bin-path)/outcry-fuzz"

seeds=.build-fuzz/seeds
mkdir -p "$seeds" .build-fuzz/crashes .build-fuzz/corpus
if [[ -z "$(ls -A "$seeds")" && -d "$shared" ]]; then
  # A sample of real documents: small enough to load quickly, varied enough to matter.
  find "$shared/feedparser-tests" -type f -size -16k | head -600 | while read -r f; do cp "$f" "$seeds/$(echo "$f" | md5sum | cut -c1-16)"; done || true
  find "$shared/mail" -type f -size -32k | head -100 | while read -r f; do cp "$f" "$seeds/$(echo "$f" | md5sum | cut -c1-16)"; done || true
  find "$shared/jsonfeed" -type f | while read -r f; do cp "$f" "$seeds/$(echo "$f" | md5sum | cut -c1-16)"; done || true
fi
# Documents with internal subsets (committed), and an entity blow-up: a 30,000-byte entity
# referenced 11,000 times in 64 KB, 330 MB expanded — refused by the expansion limit.
cp Tests/fuzz-seeds/*.xml "$seeds/"
python3 - "$seeds/entity-blowup.xml" <<'PY'
import sys
doc = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "' + 'A' * 30000 + '">]>'
       '<rss version="2.0"><channel><title>t</title><item><description>' + '&e;' * 11000
       + '</description></item></channel></rss>')
open(sys.argv[1], 'w').write(doc)
PY
if [[ ! -e "$seeds/bench-rss.xml" ]]; then
  # Documents of the benchmark's shape, small: the feed fast path's home ground.
  python3 scripts/bench_parse.py "$seeds" 6000 >/dev/null || true
fi
echo "fuzz: $seconds s over $(ls "$seeds" | wc -l) seeds"
"$bin" .build-fuzz/corpus "$seeds" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -malloc_limit_mb="${FUZZ_MALLOC_LIMIT_MB:-64}" -dict=Tests/fuzz-seeds/xml-dtd.dict \
  -artifact_prefix=.build-fuzz/crashes/ -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ *DONE|INFO: Running|==[0-9]+==|SUMMARY|stat::number_of_executed_units|Done|Dictionary:)" || true
if compgen -G ".build-fuzz/crashes/*" >/dev/null; then
  echo "fuzz: crash inputs in .build-fuzz/crashes/" >&2
  exit 1
fi
echo "fuzz: no crash"
