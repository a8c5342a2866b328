#!/usr/bin/env bash
# Runs shellcheck over every shell script in the repository (part of npm test's lint).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v shellcheck >/dev/null 2>&1; then
  echo "lint-shell: shellcheck is not installed, shell scripts NOT checked (apt-get install shellcheck, or brew install shellcheck)" >&2
  exit 0
fi
mapfile -t scripts < <(git ls-files '*.sh' '.ci/run')
shellcheck -S warning "${scripts[@]}"
echo "lint-shell: ${#scripts[@]} scripts clean"
