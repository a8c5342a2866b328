# shellcheck shell=bash
# Longer than the other libraries on purpose: an extra node's whole lifecycle (network, configs, processes,
# crash, restore, removal) in one place, so down.sh and node.sh cannot disagree about what a node made.
# Extra nodes (berth-local-2 ... berth-local-N) of the local cluster. Sourced after lib.sh,
# pki.sh, configs.sh and components.sh; node.sh and up.sh/down.sh call node_join / node_remove.
#
# Node N runs its own containerd, kubelet and kube-proxy inside network namespace berth-nN.
# Processes join ONLY the network namespace (`nsenter --net`): `ip netns exec` would also give them
# a private mount namespace with a fresh /sys, which hides the cgroup hierarchies from kubelet
# and the kubelet's volume mounts from containerd.
#
#   netns berth-nN, veth bnN-h (host, on bridge berth-nb) <-> bnN-n (netns, 10.250.0.N/24)
#   pod CIDR 10.244.N.0/24 (host route via 10.250.0.N), cgroup root /berth/nN
#   state $STATE/nodes/nN, runtime $RUN/nodes/nN (inside node 1's dirs, so a full down.sh's
#   sweeps of processes, mounts and cgroups also catch a node whose own teardown was skipped)

NODES_BRIDGE="berth-nb"
NODES_BRIDGE_IP="10.250.0.1"
NODES_MAX=250

# node_env N — set the NODE_* variables for node N (2..NODES_MAX).
node_env() {
  local n=$1
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 2 || n > NODES_MAX)); then
    die "node number must be 2..$NODES_MAX (node 1 is the control-plane node), got '$n'"
  fi
  NODE_NAME_N="berth-local-$n"
  NODE_NETNS="berth-n$n"
  NODE_VETH_HOST="bn$n-h"
  NODE_VETH_NODE="bn$n-n"
  NODE_IP="10.250.0.$n"
  NODE_POD_CIDR="10.244.$n.0/24"
  NODE_STATE="$STATE/nodes/n$n"
  NODE_RUN="$RUN/nodes/n$n"
  NODE_CONF="$NODE_STATE/conf"
  NODE_LOGS="$NODE_STATE/logs"
  NODE_PIDS="$NODE_RUN/pids"
  NODE_SOCK="$NODE_RUN/containerd/containerd.sock"
  NODE_CGROUP_ROOT="$CGROUP_ROOT/n$n"
  NODE_CNI_NETWORK="berth-n$n"
}

# Run a command inside node N's network namespace (host mount namespace, cgroups and /proc).
in_node() { nsenter --net="/run/netns/$NODE_NETNS" "$@"; }
node_ctr() { ctr --address "$NODE_SOCK" --namespace k8s.io "$@"; }

# Extra nodes that exist on this host (by state dir), ascending.
existing_nodes() {
  local d
  for d in "$STATE"/nodes/n*; do
    if [[ -d $d ]]; then echo "${d##*/n}"; fi
  done | sort -n
}

# --- processes ------------------------------------------------------------------------------

# node_pid NAME — pid of node N's component if it is alive and still runs the recorded binary.
node_pid() { local PIDS=$NODE_PIDS; component_pid "$1"; }

# node_start NAME BINARY ARGS... — like start_component, but inside the node's network namespace.
node_start() {
  local name=$1 bin=$2 pid; shift 2
  mkdir -p "$NODE_LOGS" "$NODE_PIDS"
  if pid=$(node_pid "$name"); then
    log "$NODE_NAME_N: $name already running (pid $pid)"
    return 0
  fi
  printf '\n===== %s start %s =====\n' "$name" "$(date -u +%FT%TZ)" >>"$NODE_LOGS/$name.log"
  # nsenter and setsid exec the binary in place, so $! is the component's own pid. 9>&-: not the lock.
  setsid nsenter --net="/run/netns/$NODE_NETNS" "$bin" "$@" >>"$NODE_LOGS/$name.log" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$NODE_PIDS/$name.pid"
  readlink -f "$bin" >"$NODE_PIDS/$name.exe"
  log "$NODE_NAME_N: started $name (pid $pid, log $NODE_LOGS/$name.log)"
}

node_stop() {
  # shellcheck disable=SC2034 # read by stop_component (dynamic scope)
  local PIDS=$NODE_PIDS
  stop_component "$1" "${2:-15}"
}

# --- network --------------------------------------------------------------------------------

node_network_up() {
  if ! ip link show "$NODES_BRIDGE" >/dev/null 2>&1; then
    ip link add "$NODES_BRIDGE" type bridge
    ip addr add "$NODES_BRIDGE_IP/24" dev "$NODES_BRIDGE"
  fi
  ip link set "$NODES_BRIDGE" up
  [[ -e /run/netns/$NODE_NETNS ]] || ip netns add "$NODE_NETNS"
  if ! ip link show "$NODE_VETH_HOST" >/dev/null 2>&1; then
    ip link add "$NODE_VETH_HOST" type veth peer name "$NODE_VETH_NODE"
    ip link set "$NODE_VETH_NODE" netns "$NODE_NETNS"
  fi
  ip link set "$NODE_VETH_HOST" master "$NODES_BRIDGE"
  ip link set "$NODE_VETH_HOST" up
  in_node ip link set lo up
  in_node ip addr replace "$NODE_IP/24" dev "$NODE_VETH_NODE"
  in_node ip link set "$NODE_VETH_NODE" up
  in_node ip route replace default via "$NODES_BRIDGE_IP"
  # A new network namespace starts with forwarding off; bridged pod traffic must pass iptables (Services).
  in_node sysctl -qw net.ipv4.ip_forward=1
  in_node sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  # Other nodes' pod CIDRs need no route inside the netns: the default route goes through the host.
  ip route replace "$NODE_POD_CIDR" via "$NODE_IP" dev "$NODES_BRIDGE"
}

node_network_down() {
  ip route del "$NODE_POD_CIDR" 2>/dev/null || true
  ip link del "$NODE_VETH_HOST" 2>/dev/null || true
  ip netns del "$NODE_NETNS" 2>/dev/null || true
  if ip link show "$NODES_BRIDGE" >/dev/null 2>&1 && [[ -z $(ip -o link show master "$NODES_BRIDGE" 2>/dev/null) ]]; then
    ip link del "$NODES_BRIDGE" 2>/dev/null && log "deleted bridge $NODES_BRIDGE (no nodes left on it)"
  fi
}

# --- configuration (node 1's writers with this node's paths: bash's dynamic scope) ----------

node_configs() {
  local host_ip=$1
  mkdir -p "$NODE_CONF" "$NODE_LOGS"
  # Written to a scratch dir and moved in only when changed: kube-proxy exits when its config file
  # is rewritten ("content of the proxy server's configuration file was updated"), even unchanged.
  local fresh="$NODE_CONF.new" f
  rm -rf "$fresh" && mkdir -p "$fresh"
  # shellcheck disable=SC2034 # read by the write_* functions of configs.sh (dynamic scope)
  local STATE=$NODE_STATE CONF=$fresh CONTAINERD_STATE="$NODE_RUN/containerd" CONTAINERD_SOCK=$NODE_SOCK \
    CNI_CONF_DIR="$NODE_STATE/cni/net.d" CNI_IPAM_DIR="$NODE_STATE/cni/networks" CNI_NETWORK=$NODE_CNI_NETWORK \
    POD_CIDR=$NODE_POD_CIDR CGROUP_ROOT=$NODE_CGROUP_ROOT NODE_NAME=$NODE_NAME_N
  write_containerd_config
  write_cni_config
  write_kubelet_config
  write_kube_proxy_config
  # Certificates signed by the cluster CA; the kubelet's identity names this node (Node authorizer).
  pki_cert "kubelet-$NODE_NAME" "/O=system:nodes/CN=system:node:$NODE_NAME" client
  # 127.0.0.1 inside the netns is the netns's own loopback: reach the apiserver at the host IP (in its SANs).
  kubeconfig_write "$CONF/kubelet.kubeconfig" "system:node:$NODE_NAME" "kubelet-$NODE_NAME" "https://$host_ip:$API_PORT"
  kubeconfig_write "$CONF/kube-proxy.kubeconfig" system:kube-proxy kube-proxy "https://$host_ip:$API_PORT"
  for f in "$fresh"/*; do
    sed -i "s#$fresh/#$NODE_CONF/#g" "$f" # paths inside (kube-proxy.yaml names its kubeconfig)
    cmp -s "$f" "$NODE_CONF/${f##*/}" || mv -f "$f" "$NODE_CONF/"
  done
  rm -rf "$fresh"
}

# Import every image of images/index.txt the node does not hold yet (pods may land on any node).
node_import_images() {
  local stamp="$NODE_STATE/images.imported" tar ref key present
  touch "$stamp"
  present=$(node_ctr images ls -q 2>/dev/null || true)
  while read -r tar ref; do
    [[ -n ${tar:-} && -n ${ref:-} && -f $tar ]] || continue
    key="$ref $(stat -c '%s %Y' "$tar")"
    if grep -qxF "$key" "$stamp" && grep -qxF "$ref" <<<"$present"; then continue; fi
    node_ctr images import "$tar" >>"$NODE_LOGS/images.log" 2>&1 || fail "$NODE_NAME_N: importing $tar failed (log $NODE_LOGS/images.log)"
    { grep -vF "$ref " "$stamp" || true; echo "$key"; } >"$stamp.tmp"
    mv "$stamp.tmp" "$stamp"
  done <"$IMAGES_DIR/index.txt"
}

# --- readiness --------------------------------------------------------------------------------

node_ready_containerd() { [[ -S $NODE_SOCK ]] && timeout 3 ctr --address "$NODE_SOCK" version; }
node_ready_kubelet() { in_node curl -fsS --max-time 2 http://127.0.0.1:10248/healthz | grep -qx ok; }
node_ready_kube_proxy() { in_node curl -fsS --max-time 2 http://127.0.0.1:10256/healthz >/dev/null; }
node_registered_ready() {
  kc get node "$NODE_NAME_N" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True
}

node_fail() {
  local msg=$1 comp=${2:-}
  if [[ -n $comp && -f $NODE_LOGS/$comp.log ]]; then
    printf '[berth-local] read %s (last lines below)\n' "$NODE_LOGS/$comp.log" >&2
    tail -n 8 "$NODE_LOGS/$comp.log" | cut -c1-300 | sed 's/^/    /' >&2
  fi
  fail "$NODE_NAME_N: $msg"
}

# Start containerd, kubelet and kube-proxy of node N (network and configs must exist); idempotent.
node_start_processes() {
  local host_ip=$1 attempt
  node_start containerd "$CONTAINERD_BIN" --config "$NODE_CONF/containerd.toml"
  wait_until 30 containerd node_ready_containerd || node_fail "containerd did not answer on $NODE_SOCK within 30s" containerd
  node_import_images
  local CGROUP_ROOT=$NODE_CGROUP_ROOT
  ensure_cgroup_root
  # kubelet 1.34.4 sometimes dies at start-up ("concurrent map iteration and map write" in the
  # container manager, an upstream race): start it again, up to 3 times.
  for attempt in 1 2 3; do
    node_start kubelet "$BIN/kubelet" --config="$NODE_CONF/kubelet.yaml" \
      --kubeconfig="$NODE_CONF/kubelet.kubeconfig" --root-dir="$NODE_STATE/kubelet" --cert-dir="$NODE_STATE/kubelet/pki" \
      --hostname-override="$NODE_NAME_N" --node-ip="$NODE_IP" --v=1
    if wait_until 60 "node Ready" node_registered_ready; then break; fi
    node_pid kubelet >/dev/null && node_fail "node not Ready 60s after kubelet started" kubelet
    ((attempt < 3)) || node_fail "kubelet exited during start-up 3 times" kubelet
    warn "$NODE_NAME_N: kubelet exited during start-up (attempt $attempt); starting it again"
  done
  # After the node exists: kube-proxy started earlier waits 10 s for it.
  node_start kube-proxy "$BIN/kube-proxy" --config="$NODE_CONF/kube-proxy.yaml" --v=1
  wait_until 60 kube-proxy node_ready_kube_proxy || node_fail "kube-proxy healthz did not answer within 60s" kube-proxy
}

# node_join N HOST_IP — create or restart node N until it is Ready and kube-proxy answers.
node_join() {
  node_env "$1"
  local host_ip=$2 t0=$SECONDS
  node_network_up
  node_configs "$host_ip"
  node_start_processes "$host_ip"
  log "$NODE_NAME_N is Ready (node IP $NODE_IP, pods $NODE_POD_CIDR) in $((SECONDS - t0))s"
}

# --- stopping -----------------------------------------------------------------------------------

# Kill every process of node N at once (SIGKILL): components, shims, containers.
node_kill_all() {
  local name pid
  for name in kubelet kube-proxy containerd; do
    if pid=$(node_pid "$name"); then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  kill_leftovers "$NODE_SOCK" "$NODE_CGROUP_ROOT"
  for name in kubelet kube-proxy containerd; do
    rm -f "$NODE_PIDS/$name.pid" "$NODE_PIDS/$name.exe"
  done
}

# node_crash N — an abrupt failure: every process of the node killed and its link cut (the node's
# addresses stop answering, as for a machine that lost power). State stays; node_restore brings it back.
node_crash() {
  node_env "$1"
  [[ -d $NODE_STATE ]] || die "$NODE_NAME_N does not exist on this host"
  node_kill_all
  ip link set "$NODE_VETH_HOST" down 2>/dev/null || true
  log "$NODE_NAME_N crashed: processes killed, link $NODE_VETH_HOST down"
}

# node_restore N HOST_IP — link up and processes started again on the kept state.
node_restore() {
  node_env "$1"
  [[ -d $NODE_STATE ]] || die "$NODE_NAME_N does not exist on this host"
  local host_ip=$2 t0=$SECONDS
  node_network_up
  node_start_processes "$host_ip"
  log "$NODE_NAME_N restored and Ready in $((SECONDS - t0))s"
}

# node_remove N — stop node N and remove everything it made: processes, containers, mounts, cgroups,
# CNI caches, shim sockets, netns, veth, route, its Node object and its dirs (and the bridge once unused).
node_remove() {
  node_env "$1"
  local ids=() id
  node_stop kubelet 20
  if node_ready_containerd >/dev/null 2>&1; then
    mapfile -t ids < <(node_ctr containers ls -q 2>/dev/null)
    for id in $(node_ctr tasks ls -q 2>/dev/null); do node_ctr tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    for id in $(node_ctr tasks ls -q 2>/dev/null); do node_ctr tasks delete -f "$id" >/dev/null 2>&1 || true; done
    for id in "${ids[@]}"; do node_ctr containers delete "$id" >/dev/null 2>&1 || true; done
  fi
  for d in "$NODE_STATE/containerd/root/io.containerd.grpc.v1.cri/sandboxes" "$NODE_STATE/containerd/root/io.containerd.grpc.v1.cri/containers"; do
    [[ -d $d ]] && mapfile -t -O "${#ids[@]}" ids < <(ls "$d")
  done
  node_stop kube-proxy 20
  node_stop containerd 20
  node_kill_all
  sleep 0.2
  remove_cgroups "$NODE_CGROUP_ROOT"
  unmount_tree "$NODE_STATE"
  unmount_tree "$NODE_RUN"
  rm -f /var/lib/cni/results/"$NODE_CNI_NETWORK"-*
  for id in $(printf '%s\n' "${ids[@]}" | sort -u); do
    [[ $id =~ ^[0-9a-f]{64}$ ]] || continue
    rm -f "/run/containerd/s/$(printf '%s' "$NODE_SOCK/k8s.io/$id" | sha256sum | cut -c1-64)"
  done
  for l in /var/log/containers/*.log; do
    [[ -L $l && $(readlink "$l") == "$NODE_STATE/"* ]] && rm -f "$l"
  done
  node_network_down
  if [[ -f $KUBECONFIG_ADMIN ]] && ready_kube_apiserver >/dev/null 2>&1; then
    kc delete node "$NODE_NAME_N" --ignore-not-found --wait=false >/dev/null 2>&1 || warn "could not delete Node $NODE_NAME_N"
  fi
  rm -f "$PKI/kubelet-$NODE_NAME_N".{crt,key,ext}
  rm -rf --one-file-system "$NODE_STATE" "$NODE_RUN"
  log "removed $NODE_NAME_N"
}
