#!/usr/bin/env bash
# Starts (start) or stops (stop) berth's own Docker engine for kind on a machine without one, e.g. CI.
# A machine whose `docker info` already answers keeps its engine: `start` then does nothing.
#
# The engine is Debian's docker.io started by hand, with its own data root, and set up so it cannot
# disturb another cluster on the same host (the local test cluster's bridge CNI and kube-proxy rules):
# no iptables rules and no ip_forward change from dockerd (with ip_forward 0 -> 1 it would also set
# the FORWARD policy to DROP), no docker0 bridge; published ports go through docker-proxy.
# Its default runtime is berth-runc (see that file): privileged containers on hosts without CAP_SYS_RESOURCE.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

STATE=${BERTH_KIND_STATE_DIR:-/var/lib/berth-kind}
RUNDIR=${BERTH_KIND_RUN_DIR:-/run/berth-kind}
PIDFILE=$RUNDIR/dockerd.pid
SOCK=unix:///var/run/docker.sock

ours() { # pid of the dockerd we started, if it still runs
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$(command -v dockerd)")" ] && echo "$pid"
}

start() {
  if docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
    log "Docker engine already running ($(docker info --format '{{.ServerVersion}} {{.DefaultRuntime}}'))"
    return 0
  fi
  command -v dockerd >/dev/null || die "dockerd missing: apt-get install --no-install-recommends docker.io"
  [ -x "$KBIN/berth-runc" ] || die "$KBIN/berth-runc missing: run hack/kind/build.sh tools"
  mkdir -p "$STATE/docker" "$RUNDIR"
  cat >"$RUNDIR/daemon.json" <<EOF
{
  "data-root": "$STATE/docker",
  "exec-root": "$RUNDIR/exec",
  "pidfile": "$PIDFILE",
  "iptables": false,
  "ip-forward": false,
  "ip-masq": false,
  "bridge": "none",
  "storage-driver": "overlay2",
  "runtimes": {"berth-runc": {"path": "$KBIN/berth-runc"}},
  "default-runtime": "berth-runc",
  "log-driver": "json-file",
  "log-opts": {"max-size": "10m"}
}
EOF
  local fwd_before
  fwd_before=$(iptables -S FORWARD 2>/dev/null | head -1 || true)
  # 9>&-: the daemon must not inherit a lock the caller may hold.
  setsid dockerd --config-file "$RUNDIR/daemon.json" -H "$SOCK" >>"$STATE/dockerd.log" 2>&1 </dev/null 9>&- &
  local i
  for i in $(seq 60); do
    docker info --format '{{.ServerVersion}}' >/dev/null 2>&1 && break
    [ "$i" = 60 ] && { tail -20 "$STATE/dockerd.log" >&2; die "dockerd did not answer within 60s (log: $STATE/dockerd.log)"; }
    sleep 1
  done
  local fwd_after
  fwd_after=$(iptables -S FORWARD 2>/dev/null | head -1 || true)
  [ "$fwd_before" = "$fwd_after" ] || die "dockerd changed the iptables FORWARD policy ('$fwd_before' -> '$fwd_after')"
  log "started dockerd (pid $(ours), data $STATE/docker, log $STATE/dockerd.log, runtime berth-runc)"
}

stop() {
  local pid i
  pid=$(ours) || { log "no dockerd of ours running"; return 0; }
  kill -TERM "$pid"
  for i in $(seq 300); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
  [ ! -d "/proc/$pid" ] || { kill -KILL "$pid"; log "dockerd ignored SIGTERM for 30s: killed"; }
  rm -f "$PIDFILE"
  log "stopped dockerd (pid $pid)"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) die "usage: dockerd.sh start|stop" ;;
esac
