#!/usr/bin/env bash
# Extra nodes of the local cluster, one at a time (root):
#   node.sh join N...     create (or restart) node berth-local-N and wait until it is Ready
#   node.sh remove N...   stop it and remove everything it made (netns, veth, route, mounts, Node object)
#   node.sh crash N       kill all its processes at once and cut its link (verify's node-failure check)
#   node.sh restore N     link up, processes started again on the kept state, wait until Ready
#   node.sh list          extra nodes on this host
# N is a number (2..250) or a node name berth-local-N. Node 1 (berth-local) is never touched here:
# it is the control-plane host (up.sh/down.sh). See nodes.sh for the layout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=cluster.sh
source "$HERE/cluster.sh"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
number_of() {
  case $1 in
    berth-local) die "berth-local is node 1 (control plane): node.sh only handles extra nodes" ;;
    berth-local-*) echo "${1#berth-local-}" ;;
    *) echo "$1" ;;
  esac
}

[[ $# -ge 1 ]] || usage
cmd=$1; shift
[[ $(id -u) -eq 0 ]] || die "node.sh must run as root (network namespaces, containerd, kubelet)"
case $cmd in
  list) existing_nodes | sed 's/^/berth-local-/'; exit 0 ;;
  join | remove | crash | restore) [[ $# -ge 1 ]] || usage ;;
  *) usage ;;
esac

mkdir -p "$RUN"
# crash must be immediate (it is a failure, not an operation), so it does not queue behind a lock.
if [[ $cmd != crash ]]; then
  exec 9>"$RUN/lock"
  flock -w 600 9 || die "another cluster:up/down or node.sh holds $RUN/lock"
fi

for arg in "$@"; do
  n=$(number_of "$arg")
  case $cmd in
    join)
      ready_kube_apiserver >/dev/null 2>&1 || die "the control plane is not running: npm run cluster:up first"
      node_join "$n" "$(host_ip)" ;;
    remove) node_remove "$n" ;;
    crash) node_crash "$n" ;;
    restore) node_restore "$n" "$(host_ip)" ;;
  esac
done
