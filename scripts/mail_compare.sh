#!/usr/bin/env bash
# Builds outcry and compares `outcry parse mail` with Python's `email` package on every file
# of the mail corpus (see scripts/mail_compare.py for the fields and the normalisation).
# Fails on any crash and on any disagreement not listed in scripts/mail_compare_known.txt.
#
# Usage: scripts/mail_compare.sh [CORPUS_DIR]   (default: $OUTCRY_CORPORA/mail, see scripts/corpora.sh)
#        OUTCRY=path/to/outcry skips the build. Without a corpus found by default, the run is skipped (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d /opt/swift/usr/bin ]] && export PATH="/opt/swift/usr/bin:$PATH"
explicit="${1:-${MAIL_CORPUS:-}}"
if [[ -z "$explicit" ]]; then
    source scripts/corpora.sh
    if [[ ! -d "$OUTCRY_CORPORA/mail/cpython" && ! -d "$OUTCRY_CORPORA/mail/flanker" ]]; then
        echo "mail_compare: skipped: no cpython/ or flanker/ under $OUTCRY_CORPORA/mail (set OUTCRY_CORPORA= or give CORPUS_DIR)"
        exit 0
    fi
fi
corpus="${explicit:-$OUTCRY_CORPORA/mail}"
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
