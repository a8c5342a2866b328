#!/usr/bin/env bash
# npm run cluster:down [-- --purge] — stop the local cluster and undo what it did to the host
# (extra nodes first: nodes.sh's node_remove; `-- --keep-nodes N` removes only nodes above N and
# leaves the rest running, e.g. --keep-nodes 1 = every extra node, never node 1):
# processes (ours, by pid file), containers and their shims, mounts under our dirs, the CNI
# bridge and veths, iptables chains of kube-proxy/kubelet/CNI, pod cgroups.
# Keeps the cache (binaries, images) and, without --purge, the state (etcd data, PVC data,
# images in containerd, PKI) so the next cluster:up is fast. Idempotent; never fails on
# "already gone", so it is safe in an always-run CI teardown trap.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=cluster.sh
source "$HERE/cluster.sh"

PURGE=0
KEEP_NODES=""
while (($#)); do
  case $1 in
    --purge) PURGE=1 ;;
    --keep-nodes)
      [[ ${2:-} =~ ^[0-9]+$ && $2 -ge 1 ]] || die "--keep-nodes needs a node count >= 1 (1 = remove every extra node), got '${2:-}'"
      KEEP_NODES=$2; shift ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (use --purge or --keep-nodes N)" ;;
  esac
  shift
done
[[ -z $KEEP_NODES || $PURGE == 0 ]] || die "--keep-nodes keeps the cluster running: it cannot be combined with --purge"
[[ $(id -u) -eq 0 ]] || die "cluster:down must run as root"

# The bridge and the iptables chains are shared by every berth-local on this host: while another one
# runs (another state dir), they stay.
OTHERS=$(other_clusters)
[[ -z $OTHERS ]] || warn "another berth-local cluster runs on this host (containerd $(echo "$OTHERS" | head -1)): leaving bridge $BRIDGE and iptables alone"

mkdir -p "$RUN" "$PIDS" "$LOGS"
exec 9>"$RUN/lock"
flock -w 120 9 || warn "could not take $RUN/lock within 120s; tearing down anyway"

# 0. extra nodes (before the control plane: their Node objects and smoke pods are deleted too).
for n in $(existing_nodes); do
  if [[ -z $KEEP_NODES ]] || ((n > KEEP_NODES)); then
    node_remove "$n"
    remove_node_web "$n"
  fi
done
if [[ -n $KEEP_NODES ]]; then
  log "kept the control plane and nodes 1..$KEEP_NODES"
  exit 0
fi
# A bridge left by an interrupted node_remove.
if ip link show "$NODES_BRIDGE" >/dev/null 2>&1 && [[ -z $(ip -o link show master "$NODES_BRIDGE" 2>/dev/null) ]]; then
  ip link del "$NODES_BRIDGE" 2>/dev/null || true
fi

# 1. kubelet first, so it does not restart what we kill next.
stop_component kubelet 20

# 2. every container of ours, while containerd still answers (shims exit with their task).
# Their ids also name files containerd/CNI leave outside our dirs (see step 6).
CONTAINER_IDS=()
collect_container_ids() {
  local d
  if ready_containerd >/dev/null 2>&1; then
    mapfile -t -O "${#CONTAINER_IDS[@]}" CONTAINER_IDS < <(ctr_k8s containers ls -q 2>/dev/null)
  fi
  for d in "$STATE/containerd/root/io.containerd.grpc.v1.cri/sandboxes" "$STATE/containerd/root/io.containerd.grpc.v1.cri/containers" \
    "$CONTAINERD_STATE/state/io.containerd.runtime.v2.task/k8s.io"; do
    [[ -d $d ]] && mapfile -t -O "${#CONTAINER_IDS[@]}" CONTAINER_IDS < <(ls "$d")
  done
}
kill_containers() {
  ready_containerd >/dev/null 2>&1 || return 0
  local id
  for id in $(ctr_k8s tasks ls -q 2>/dev/null); do
    ctr_k8s tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true
  done
  for id in $(ctr_k8s tasks ls -q 2>/dev/null); do
    ctr_k8s tasks delete -f "$id" >/dev/null 2>&1 || true
  done
  for id in $(ctr_k8s containers ls -q 2>/dev/null); do
    ctr_k8s containers delete "$id" >/dev/null 2>&1 || true
  done
  if [[ -z $(ctr_k8s containers ls -q 2>/dev/null) ]]; then
    ALL_CONTAINERS_GONE=1
    log "removed containers"
  else
    warn "some containers could not be removed: $(ctr_k8s containers ls -q 2>/dev/null | tr '\n' ' ')"
  fi
}
ALL_CONTAINERS_GONE=0
collect_container_ids
kill_containers

# 3. the other processes: control plane together (they do not depend on each other
# for shutdown), then containerd, etcd last.
for c in kube-proxy kube-scheduler kube-controller-manager kube-apiserver; do
  stop_component "$c" 20 &
done
wait
stop_component containerd 20
stop_component etcd 20

# Components whose pid file was lost: recognised by their binary name AND an argument
# pointing into our state dir (so never another cluster's processes).
for p in /proc/[0-9]*; do
  exe=$(readlink "$p/exe" 2>/dev/null) || continue
  case ${exe##*/} in etcd | containerd | kube-apiserver | kube-controller-manager | kube-scheduler | kubelet | kube-proxy) ;; *) continue ;; esac
  cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
  if [[ $cmd == *" $STATE/"* || $cmd == *"=$STATE/"* ]]; then
    kill -KILL "${p#/proc/}" 2>/dev/null && warn "killed stray ${exe##*/} (pid ${p#/proc/}) that had no pid file"
  fi
done

# Shims that outlived containerd: only those serving OUR containerd socket (unique path).
# Then processes still in pod cgroups (a container whose shim died), and the cgroups themselves.
kill_leftovers "$CONTAINERD_SOCK" "$CGROUP_ROOT"
sleep 0.2
remove_cgroups "$CGROUP_ROOT"

# 4. mounts under our dirs (pod volumes, rootfs overlays, shm, netns), deepest first.
unmount_tree "$STATE"
unmount_tree "$RUN"
remaining=$(awk '{print $5}' /proc/self/mountinfo | grep -cE "^($(readlink -f "$STATE")|$RUN)(/|$)" || true)
[[ $remaining == 0 ]] || warn "$remaining mounts remain under $STATE or $RUN"
# CRI's per-sandbox/container dirs of containers that no longer exist (they would pile up).
if [[ $ALL_CONTAINERS_GONE == 1 ]]; then
  rm -rf --one-file-system "$STATE/containerd/root/io.containerd.grpc.v1.cri/sandboxes/"* "$STATE/containerd/root/io.containerd.grpc.v1.cri/containers/"*
fi

# 5. network: veths on our bridge, the bridge, iptables chains.
if [[ -z $OTHERS ]] && ip link show "$BRIDGE" >/dev/null 2>&1; then
  for veth in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$veth" 2>/dev/null || true
  done
  ip link delete "$BRIDGE" 2>/dev/null && log "deleted bridge $BRIDGE"
fi

if [[ -z $OTHERS && -x $BIN/kube-proxy ]]; then "$BIN/kube-proxy" --cleanup >>"$LOGS/kube-proxy-cleanup.log" 2>&1 || true; fi

# Chains kube-proxy, kubelet (KUBE-*) and the bridge/portmap plugins (CNI-*) made:
# drop the jumps into them from built-in chains, then flush and delete them.
clean_chains() {
  local ipt=$1 table rule chain
  command -v "$ipt" >/dev/null 2>&1 || return 0
  for table in nat filter mangle raw; do
    "$ipt" -w 5 -t "$table" -S >/dev/null 2>&1 || continue
    "$ipt" -w 5 -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j (KUBE|CNI)-' | grep -Ev '^-A (KUBE|CNI)-' |
      while read -r rule; do
        # shellcheck disable=SC2086 # rule is iptables -S output: re-split on purpose
        eval "$ipt -w 5 -t $table ${rule/-A/-D}" 2>/dev/null || true
      done
    # Rules tagged by the bridge plugin's ipMasq for our network name.
    "$ipt" -w 5 -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*name: \\"berth\\"' |
      while read -r rule; do eval "$ipt -w 5 -t $table ${rule/-A/-D}" 2>/dev/null || true; done
    for chain in $("$ipt" -w 5 -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/{print $2}'); do
      "$ipt" -w 5 -t "$table" -F "$chain" 2>/dev/null || true
    done
    for chain in $("$ipt" -w 5 -t "$table" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/{print $2}'); do
      "$ipt" -w 5 -t "$table" -X "$chain" 2>/dev/null || warn "$ipt: could not delete chain $table/$chain"
    done
  done
}
if [[ -z $OTHERS ]]; then
  clean_chains iptables
  clean_chains ip6tables
  log "removed iptables chains (KUBE-*, CNI-*)"
fi

# 6. leftovers that would confuse the next start: IP reservations of pods that no longer
# exist, pid files, kubelet's /var/log/containers links into our state dir.
rm -rf "$CNI_IPAM_DIR"
for id in $(printf '%s\n' "${CONTAINER_IDS[@]}" | sort -u); do
  [[ $id =~ ^[0-9a-f]{64}$ ]] || continue
  # libcni's result cache (fixed at /var/lib/cni) and the shim socket (fixed under /run/containerd/s,
  # named by sha256 of "<containerd address>/<namespace>/<id>").
  rm -f /var/lib/cni/results/berth-"$id"-* /var/lib/cni/results/cni-loopback-"$id"-*
  rm -f "/run/containerd/s/$(printf '%s' "$CONTAINERD_SOCK/k8s.io/$id" | sha256sum | cut -c1-64)"
done
# kubelet's device-plugin socket path is hard-coded (shared with another running cluster's kubelet).
if [[ -z $OTHERS ]]; then
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet 2>/dev/null || true
fi
for l in /var/log/containers/*.log; do
  [[ -L $l && $(readlink "$l") == "$STATE/"* ]] && rm -f "$l"
done
rm -rf "$PIDS"

if [[ $PURGE == 1 ]]; then
  if [[ $(awk '{print $5}' /proc/self/mountinfo | grep -cE "^($(readlink -f "$STATE"))(/|$)" || true) != 0 ]]; then
    die "not purging $STATE: mounts remain under it (see warnings above)"
  fi
  rm -rf --one-file-system "$STATE"
  log "purged state $STATE"
fi
rm -rf --one-file-system "$RUN" 2>/dev/null || true
log "berth-local is down (cache kept: $BERTH_CACHE_DIR)"
exit 0
