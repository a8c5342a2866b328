#!/usr/bin/env bash
# npm run cluster:up — a real single-node Kubernetes on this machine, no Docker:
# etcd + containerd (Debian), kube-* built from Go modules, CNI bridge,
# kube-proxy (iptables), CoreDNS, local-path-provisioner, Traefik.
#
# Returns 0 only when: the node is Ready, a Service name resolves (and answers)
# from inside a pod, a PVC binds, and an Ingress routes a request by Host.
# Otherwise it says which gate failed and which log to read.
#
# State: $BERTH_STATE_DIR (default /var/lib/berth-local): kubeconfig, pki/, logs/, etcd, images.
# Cache: $BERTH_CACHE_DIR (default ~/.cache/berth): binaries and image tarballs (build.sh).
# Env: BERTH_NODES (default 1): nodes in all; node 2..N each run in their own network namespace
#      (nodes.sh), and a running cluster gets the missing ones. Fewer never removes nodes: that is
#      `npm run cluster:down -- --keep-nodes N`.
#      BERTH_INGRESS_PORT (default 80), BERTH_SKIP_BUILD=1 (use the cache as is).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=cluster.sh
source "$HERE/cluster.sh"

BERTH_NODES=${BERTH_NODES:-1}
if ! [[ $BERTH_NODES =~ ^[0-9]+$ ]] || ((BERTH_NODES < 1 || BERTH_NODES > NODES_MAX)); then
  die "BERTH_NODES must be a number of nodes from 1 to $NODES_MAX, got '$BERTH_NODES'"
fi

[[ $(id -u) -eq 0 ]] || die "cluster:up must run as root (it starts containerd and kubelet and changes iptables)"
mkdir -p "$STATE" "$LOGS" "$CONF" "$RUN" "$PIDS"
# One up/down at a time.
exec 9>"$RUN/lock"
flock -w 600 9 || die "another cluster:up/down holds $RUN/lock"
refuse_other_clusters # before a build that may take minutes

T_START=$SECONDS

# --- 1. host packages and build (cached) ------------------------------------------------------
if [[ -x $HERE/host-deps.sh || -f $HERE/host-deps.sh ]]; then
  bash "$HERE/host-deps.sh" >>"$LOGS/host-deps.log" 2>&1 || fail "installing host packages failed" host-deps
fi
T_BUILD0=$SECONDS
if [[ ${BERTH_SKIP_BUILD:-0} != 1 ]]; then
  log "building binaries and images (cached when up to date; log $LOGS/build.log)"
  # Also on the console: a cold build is long (bench/results/local-cluster-build-2026-11-25.md) and should show its steps as they finish.
  if ! bash "$HERE/build.sh" 2>&1 | tee "$LOGS/build.log"; then
    fail "build.sh failed (it names the component's own build log)" build
  fi
fi
BUILD_SECONDS=$((SECONDS - T_BUILD0))
# shellcheck source=versions.env
source "$HERE/versions.env"
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  [[ -x $BIN/$b ]] || die "missing $BIN/$b: run bash $HERE/build.sh (or unset BERTH_SKIP_BUILD)"
done
[[ -s $IMAGES_DIR/index.txt ]] || die "missing $IMAGES_DIR/index.txt: run bash $HERE/build.sh"
T_UP0=$SECONDS

# --- 2. fast path: already running and healthy -----------------------------------------------
all_running() {
  local c
  for c in "${COMPONENTS[@]}"; do component_pid "$c" >/dev/null || return 1; done
  ready_kube_apiserver
}
if all_running && kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; then
  log "cluster already running; re-checking the readiness gates"
  ALREADY=1
else
  ALREADY=0
fi

HOST_IP=$(host_ip)
if [[ $ALREADY == 0 ]]; then
  # --- 3. host networking prerequisites (checked, not assumed) --------------------------------
  sysctl -qw net.ipv4.ip_forward=1 || fail "cannot enable net.ipv4.ip_forward"
  if [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]]; then
    sysctl -qw net.bridge.bridge-nf-call-iptables=1
  else
    { modprobe br_netfilter 2>/dev/null && sysctl -qw net.bridge.bridge-nf-call-iptables=1; } ||
      warn "br_netfilter not available: Service traffic between pods on the bridge may bypass kube-proxy"
  fi
  for tool in iptables ip mount umount nsenter "$CNI_BIN_DIR/bridge" "$CNI_BIN_DIR/host-local" "$CNI_BIN_DIR/portmap" "$CNI_BIN_DIR/loopback"; do
    command -v "$tool" >/dev/null 2>&1 || fail "required tool $tool not found (see hack/local-cluster/host-deps.sh)"
  done

  # --- 4. PKI, configs ----------------------------------------------------------------------
  pki_all "$HOST_IP"
  write_containerd_config
  write_cni_config
  write_scheduler_config
  write_kubelet_config
  write_kube_proxy_config

  # --- 5. etcd, containerd, images -----------------------------------------------------------
  claim_pod_network
  start_and_wait etcd 30
  start_and_wait containerd 30
  # Before kubelet starts: a pod whose image (pull policy Never) is missing backs off for minutes.
  import_images

  # --- 6. control plane ----------------------------------------------------------------------
  start_and_wait kube-apiserver 90 "$HOST_IP"
  start_and_wait kube-controller-manager 60
  start_and_wait kube-scheduler 60
  ensure_cgroup_root
  start_and_wait kubelet 60 "$HOST_IP"
  start_and_wait kube-proxy 60
fi

if [[ $ALREADY == 1 ]]; then
  import_images # only tarballs that changed: a rebuilt image reaches a running cluster
fi

# --- 7. gates -----------------------------------------------------------------------------------
gate_node_ready
apply_addons
wait_addons
gate_pvc_bound
gate_dns
gate_ingress

# --- 8. extra nodes (after node 1 holds the addons: they are pinned there) and their gates -------
if ((BERTH_NODES >= 2)); then
  T_NODES0=$SECONDS
  for ((n = 2; n <= BERTH_NODES; n++)); do node_join "$n" "$HOST_IP"; done
  NODES_JOIN_SECONDS=$((SECONDS - T_NODES0))
  gate_nodes "$BERTH_NODES"
  log "nodes 2..$BERTH_NODES joined in ${NODES_JOIN_SECONDS}s, cross-node gates passed in $((SECONDS - T_NODES0 - NODES_JOIN_SECONDS))s"
fi
extra=$(existing_nodes | awk -v n="$BERTH_NODES" '$1 > n' | tr '\n' ' ')
[[ -z $extra ]] || warn "nodes beyond BERTH_NODES=$BERTH_NODES still run (numbers: $extra); remove them with npm run cluster:down -- --keep-nodes $BERTH_NODES"

T_END=$SECONDS
if [[ $ALREADY == 1 ]]; then
  log "berth-local was already running and is healthy (gates re-checked in $((T_END - T_UP0))s)"
else
  log "berth-local is up: start $((T_END - T_UP0))s (excluding build ${BUILD_SECONDS}s), total $((T_END - T_START))s"
fi
echo "$(date -u +%FT%TZ) up already=$ALREADY nodes=$BERTH_NODES join=${NODES_JOIN_SECONDS:-0}s build=${BUILD_SECONDS}s start=$((T_END - T_UP0))s total=$((T_END - T_START))s" >>"$LOGS/up-times.log"
echo "export KUBECONFIG=$KUBECONFIG_ADMIN"
