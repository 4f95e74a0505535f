#!/usr/bin/env bash
# Installs what Outcry needs to build and run on Debian: idempotent, quick when all is present.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite's real servers need)
set -euo pipefail

packages=(libcurl4-openssl-dev libxml2-dev ca-certificates)
if [[ "${1:-}" == "--test" ]]; then
  # Mail polling tests (issue 4): a real Dovecot, started per test by scripts/dovecot.sh.
  packages+=(python3 python3-pip zlib1g-dev dovecot-imapd dovecot-pop3d)
  # The dashboard's browser check (scripts/browser_check.py): Debian's headless-capable Chromium.
  packages+=(chromium)
  # The store's conformance tests on PostgreSQL: a throwaway cluster per test run (scripts/postgres.sh).
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if apt-cache show postgresql-15 >/dev/null 2>&1; then packages+=(postgresql-15); else packages+=(postgresql); fi
  fi
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

# Alerting tests (issue 7): a real SMTP server (Python aiosmtpd, scripts/smtp_sink.py).
if [[ "${1:-}" == "--test" ]] && ! python3 -c "import aiosmtpd" 2>/dev/null; then
  echo "setup: installing aiosmtpd (pip)"
  python3 -m pip install --quiet aiosmtpd 2>/dev/null || python3 -m pip install --quiet --break-system-packages aiosmtpd
fi

if ! command -v swift >/dev/null 2>&1; then
  if [[ -x /opt/swift/usr/bin/swift ]]; then
    echo "setup: add /opt/swift/usr/bin to PATH" >&2
  else
    echo "setup: no Swift toolchain found (need Swift 6.0 or later on PATH)" >&2
    exit 1
  fi
fi
