#!/usr/bin/env bash
# Measures extra-node times on a running cluster and appends them to bench/results/local-cluster-start-times.md (root):
#   cold join  = node.sh join N on a node that does not exist (netns, PKI, configs, image import, Ready, kube-proxy)
#   warm start = node.sh restore N after node.sh crash N (processes restarted on the kept state)
#   remove     = node.sh remove N
# Usage: measure-nodes.sh [N] (default 2). Leaves node N joined.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
N=${1:-2}
OUT="$HERE/../../bench/results/local-cluster-start-times.md"

timed() { # timed CMD... -> wall seconds with one decimal
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || die "$* failed while measuring"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

bash "$HERE/node.sh" remove "$N" >/dev/null 2>&1 || true
cold=$(timed bash "$HERE/node.sh" join "$N")
bash "$HERE/node.sh" crash "$N" >/dev/null 2>&1
warm=$(timed bash "$HERE/node.sh" restore "$N")
removed=$(timed bash "$HERE/node.sh" remove "$N")
again=$(timed bash "$HERE/node.sh" join "$N")

{
  echo
  echo "## extra node berth-local-$N: $(date -u +%F\ %H:%MZ) on $(hostname) ($(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r))"
  echo
  echo "| step (node.sh, wall) | seconds |"
  echo "|---|---|"
  echo "| cold join (new node: netns, PKI, configs, image import, Ready, kube-proxy) | $cold |"
  echo "| warm start (restore after crash: processes on the kept state, Ready, kube-proxy) | $warm |"
  echo "| remove | $removed |"
  echo "| join again after remove (images imported again) | $again |"
} >>"$OUT"
tail -n 9 "$OUT"
