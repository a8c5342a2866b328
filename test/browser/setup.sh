#!/usr/bin/env bash
# Finds a Chromium for the browser tests and prints its path. When there is none
# and this runs as root with apt-get (CI: a fresh Debian machine), installs
# Debian's chromium first. Otherwise exits 3 with the reason on stderr, and the
# browser tests are skipped with that reason.
set -uo pipefail
for c in "${BERTH_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser tests: installing Debian's chromium (apt-get install chromium)" >&2
  if apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 && [ -x /usr/bin/chromium ]; then
    echo /usr/bin/chromium
    exit 0
  fi
  echo "apt-get install chromium failed (see above)" >&2
  exit 3
fi
echo "no chromium at /usr/bin/chromium and no way to install it here (needs root and apt-get); install chromium or set BERTH_CHROMIUM=/path/to/chromium" >&2
exit 3
