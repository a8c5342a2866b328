#!/usr/bin/env bash
# Measures cluster:up start times on this machine and appends them to bench/results/local-cluster-start-times.md:
#   cold  = after `down --purge` (no state: new PKI, etcd, image import, addons) — builds cached
#   warm  = after `down` (state kept: processes restart, pods re-created)
#   again = while already running (gates re-checked only)
# Each up.sh run logs "build=Xs start=Ys total=Zs" to $STATE/logs/up-times.log; "start"
# excludes the (cached) build.sh run. Leaves the cluster running.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib.sh"
OUT="$HERE/../../bench/results/local-cluster-start-times.md"

last_times() { tail -n 1 "$LOGS/up-times.log"; }
ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT
run_up() {
  local t0=$SECONDS
  bash "$HERE/up.sh" >/dev/null 2>"$ERR" || { cat "$ERR" >&2; die "up.sh failed while measuring"; }
  echo "$((SECONDS - t0))s wall; $(last_times | cut -d' ' -f2-)"
}

bash "$HERE/down.sh" --purge >/dev/null 2>&1
cold=$(run_up)
bash "$HERE/down.sh" >/dev/null 2>&1
warm=$(run_up)
again=$(run_up)

{
  echo
  echo "## $(date -u +%F\ %H:%MZ) on $(hostname) ($(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r))"
  echo
  echo "| start | measured |"
  echo "|---|---|"
  echo "| cold (after down --purge; builds cached) | $cold |"
  echo "| warm (after down) | $warm |"
  echo "| already running | $again |"
} >>"$OUT"
tail -n 8 "$OUT"
