# shellcheck shell=bash
# The settings below are read by the scripts that source this file.
# shellcheck disable=SC2034
# Shared settings and helpers for up.sh / down.sh of the local test cluster.
# Sourced, not executed. Everything berth starts or creates lives under
# $STATE (persistent) and $RUN (runtime sockets, netns), so teardown can
# find exactly what it made and nothing else.

BERTH_CACHE_DIR="${BERTH_CACHE_DIR:-$HOME/.cache/berth}"
BERTH_STATE_DIR="${BERTH_STATE_DIR:-/var/lib/berth-local}"
BERTH_RUN_DIR="${BERTH_RUN_DIR:-/run/berth-local}"
BERTH_INGRESS_PORT="${BERTH_INGRESS_PORT:-80}"
export BERTH_CACHE_DIR BERTH_STATE_DIR BERTH_RUN_DIR BERTH_INGRESS_PORT

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$BERTH_CACHE_DIR/bin"
IMAGES_DIR="$BERTH_CACHE_DIR/images"
STATE="$BERTH_STATE_DIR"
RUN="$BERTH_RUN_DIR"
LOGS="$STATE/logs"
PIDS="$RUN/pids"
PKI="$STATE/pki"
CONF="$STATE/conf"
KUBECONFIG_ADMIN="$STATE/kubeconfig"

NODE_NAME="berth-local"
API_PORT=6443
SERVICE_CIDR="10.96.0.0/16"
API_SERVICE_IP="10.96.0.1"
DNS_IP="10.96.0.10"
POD_CIDR="10.88.0.0/16"
BRIDGE="berth0"          # CNI bridge; our own name so teardown never touches others'
# CNI network name; it also names libcni's result cache files (/var/lib/cni/results/<name>-<id>-eth0),
# which every node on this host shares, so extra nodes use their own (nodes.sh).
CNI_NETWORK="berth"
CGROUP_ROOT="/berth"     # kubelet puts every pod cgroup under this parent
CONTAINERD_SOCK="$RUN/containerd/containerd.sock"
CONTAINERD_STATE="$RUN/containerd"
CNI_CONF_DIR="$STATE/cni/net.d"
CNI_IPAM_DIR="$STATE/cni/networks"
CNI_BIN_DIR="${BERTH_CNI_BIN_DIR:-/usr/lib/cni}"
ETCD_BIN="${BERTH_ETCD_BIN:-$(command -v etcd || echo /usr/bin/etcd)}"
CONTAINERD_BIN="${BERTH_CONTAINERD_BIN:-$(command -v containerd || echo /usr/bin/containerd)}"

# Order matters: up starts in this order, down stops in reverse.
COMPONENTS=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

log()  { printf '[berth-local %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
warn() { printf '[berth-local %s] WARN: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die()  { printf '[berth-local %s] ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
ctr_k8s() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

# pid of a component we started, if it is still alive (and still the same program).
component_pid() {
  local name=$1 pidfile="$PIDS/$1.pid" pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ -n $pid && -d /proc/$pid ]] || return 1
  # Guard against pid reuse: the process must run the binary we recorded.
  local exe; exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  [[ -f "$PIDS/$name.exe" && "$exe" == "$(<"$PIDS/$name.exe")"* ]] || return 1
  echo "$pid"
}

# start_component NAME BINARY ARGS... — background process, own session, log + pid file.
start_component() {
  local name=$1 bin=$2; shift 2
  mkdir -p "$LOGS" "$PIDS"
  if component_pid "$name" >/dev/null; then
    log "$name already running (pid $(component_pid "$name"))"
    return 0
  fi
  printf '\n===== %s start %s =====\n' "$name" "$(date -u +%FT%TZ)" >>"$LOGS/$name.log"
  # 9>&-: the daemon must not inherit the up/down lock (fd 9), or it would hold it forever.
  setsid "$bin" "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$PIDS/$name.pid"
  readlink -f "$bin" >"$PIDS/$name.exe"
  log "started $name (pid $pid, log $LOGS/$name.log)"
}

# stop_component NAME [TIMEOUT_S] — SIGTERM, then SIGKILL after the timeout.
stop_component() {
  local name=$1 timeout=${2:-15} pid i
  pid=$(component_pid "$name") || { rm -f "$PIDS/$name.pid" "$PIDS/$name.exe"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    [[ -d /proc/$pid ]] || break
    sleep 0.1
  done
  if [[ -d /proc/$pid ]]; then
    warn "$name (pid $pid) ignored SIGTERM for ${timeout}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$PIDS/$name.pid" "$PIDS/$name.exe"
  log "stopped $name"
}

# wait_until TIMEOUT_S DESCRIPTION CMD... — poll CMD every 0.5 s until it succeeds.
wait_until() {
  local timeout=$1; shift 2 # $2 names the wait for the reader of the call site
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# other_clusters: the containerd processes of berth-local clusters with another state dir, one per
# line ("PID CONFIG"). Ours (node 1 and extra nodes) read their config under $STATE.
other_clusters() {
  local p cmd config ours
  ours=$(readlink -m "$STATE")
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    [[ $cmd =~ containerd\ --config\ ([^ ]*/conf/containerd\.toml) ]] || continue
    config=${BASH_REMATCH[1]}
    [[ $(readlink -m "$config") == "$ours/"* ]] || echo "${p#/proc/} $config"
  done
}

# refuse_other_clusters: two berth-local clusters cannot share this host: one bridge, one pod
# network, the same ports. Says which one runs and how to stop it.
refuse_other_clusters() {
  local others config state run
  others=$(other_clusters)
  [[ -n $others ]] || return 0
  config=$(echo "$others" | head -1 | cut -d' ' -f2)
  state=${config%/conf/containerd.toml}
  run=$(sed -n 's|^state = "\(.*\)/containerd/state"$|\1|p' "$config" 2>/dev/null | head -1)
  die "another berth-local cluster runs on this host (state $state): its pods would share bridge $BRIDGE and pod IPs with this one. Stop it first: BERTH_STATE_DIR=$state BERTH_RUN_DIR=${run:-<its run dir>} npm run cluster:down"
}

# claim_pod_network: make sure no pod of an earlier cluster sits on our bridge before ours start.
# Such a pod keeps its IP while our IPAM (fresh state) hands the same IP to a new pod, and probes
# and Services then reach the wrong one: a killed run's pods did this to the next run.
claim_pod_network() {
  local links
  refuse_other_clusters
  # A shim of our own containerd still alive: our own pods from before a restart, with IPs our IPAM holds.
  if pgrep -f -- "containerd-shim.* -address $CONTAINERD_SOCK " >/dev/null; then return 0; fi
  ip link show "$BRIDGE" >/dev/null 2>&1 || return 0
  links=$(ip -o link show master "$BRIDGE" | awk -F': ' '{print $2}' | sed 's/@.*//')
  [[ -n $links ]] || return 0
  warn "removing $(echo "$links" | wc -l) stale pod interface(s) from bridge $BRIDGE (pods of a cluster that is gone)"
  echo "$links" | while read -r l; do ip link del "$l" 2>/dev/null || true; done
}

# kill_leftovers SOCK CGROUP_ROOT: SIGKILL the containerd shims of the containerd at SOCK, then every
# process still in a pod cgroup under CGROUP_ROOT (a container whose shim died).
kill_leftovers() {
  local sock=$1 root=$2 p cmd ss dir
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    if [[ $cmd == *containerd-shim* && $cmd == *"-address $sock "* ]]; then
      kill -KILL "${p#/proc/}" 2>/dev/null && log "killed leftover shim ${p#/proc/}"
    fi
  done
  for ss in /sys/fs/cgroup/*/; do
    dir="${ss%/}$root"
    [[ -d $dir ]] || continue
    find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r pid; do
      kill -KILL "$pid" 2>/dev/null || true
    done
  done
}

# remove_cgroups CGROUP_ROOT: the (empty) pod cgroups under CGROUP_ROOT in every hierarchy, deepest first.
remove_cgroups() {
  local ss dir
  for ss in /sys/fs/cgroup/*/; do
    dir="${ss%/}$1"
    [[ -d $dir ]] || continue
    find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    if [[ -d $dir ]]; then warn "could not remove cgroup $dir (processes still inside?)"; fi
  done
}

# unmount_tree DIR: every mount at or under DIR (pod volumes, rootfs overlays, shm, netns), deepest first.
unmount_tree() {
  local root=$1 mp
  [[ -d $root ]] || return 0
  root=$(readlink -f "$root")
  awk '{print $5}' /proc/self/mountinfo | sed 's/\\040/ /g' |
    awk -v r="$root" 'index($0, r "/") == 1 || $0 == r' | sort -r |
    while read -r mp; do
      umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || warn "could not unmount $mp"
    done
}

# The host's primary IPv4 address (node InternalIP / apiserver advertise address).
host_ip() {
  local ip
  ip=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -1)
  [[ -n $ip ]] || ip=$(ip -4 -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -1)
  echo "${ip:-127.0.0.1}"
}

# fail MESSAGE [COMPONENT] — clear error naming the log to read, with its last lines.
fail() {
  local msg=$1 comp=${2:-}
  printf '\n[berth-local] FAILED: %s\n' "$msg" >&2
  if [[ -n $comp && -f $LOGS/$comp.log ]]; then
    printf '[berth-local] read %s (last lines below)\n' "$LOGS/$comp.log" >&2
    tail -n 8 "$LOGS/$comp.log" | cut -c1-300 | sed 's/^/    /' >&2
  fi
  printf '[berth-local] all logs: %s/ ; stop with: npm run cluster:down\n' "$LOGS" >&2
  exit 1
}

# kubelet needs its --cgroup-root to exist in every v1 hierarchy it uses.
ensure_cgroup_root() {
  local ss dir
  for ss in /sys/fs/cgroup/*/; do
    ss=${ss%/}
    [[ $ss == */unified ]] && continue
    mountpoint -q "$ss" || continue
    dir="$ss$CGROUP_ROOT"
    mkdir -p "$dir"
    # A new v1 cpuset is empty: give it the parent's CPUs and memory nodes.
    if [[ -f $dir/cpuset.cpus && ! -s $dir/cpuset.cpus ]]; then
      cat "$ss/cpuset.cpus" >"$dir/cpuset.cpus"
      cat "$ss/cpuset.mems" >"$dir/cpuset.mems"
    fi
  done
}

# Before starting NAME: its TCP ports must be free (or held by our own running NAME).
# Another Kubernetes, etcd or web server on the host would otherwise make a confusing failure.
check_ports_free() {
  local name=$1 port holder; shift
  component_pid "$name" >/dev/null && return 0
  command -v ss >/dev/null 2>&1 || return 0
  for port in "$@"; do
    holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | head -1)
    [[ -z $holder ]] || fail "cannot start $name: TCP port $port is already in use ($holder). Stop that process (or run npm run cluster:down) and retry."
  done
}
