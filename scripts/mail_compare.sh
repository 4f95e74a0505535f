#!/usr/bin/env bash
# Builds outcry and compares `outcry parse mail` with Python's `email` package on every file
# of the mail corpus (see scripts/mail_compare.py for the fields and the normalisation).
# Fails on any crash and on any disagreement not listed in scripts/mail_compare_known.txt.
#
# Usage: scripts/mail_compare.sh [CORPUS_DIR]   (default: ../shared/corpora/mail beside the repository)
#        OUTCRY=path/to/outcry skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
default_corpus=../shared/corpora/mail
[[ -d "$default_corpus" ]] || default_corpus=/work/shared/corpora/mail
corpus="${1:-${MAIL_CORPUS:-$default_corpus}}"
if [[ -z "${OUTCRY:-}" ]]; then
    swift build --product outcry >&2
    OUTCRY="$(swift build --show-bin-path)/outcry"
fi
dirs=()
for sub in cpython flanker; do
    [[ -d "$corpus/$sub" ]] && dirs+=("$corpus/$sub")
done
[[ ${#dirs[@]} -gt 0 ]] || { echo "mail_compare: no cpython/ or flanker/ under $corpus" >&2; exit 2; }
exec python3 scripts/mail_compare.py --outcry "$OUTCRY" --base "$corpus" \
    --known scripts/mail_compare_known.txt "${dirs[@]}"
