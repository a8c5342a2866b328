#!/usr/bin/env bash
# `npm run kind:down`: deletes the kind cluster of kind:up and stops the Docker engine kind:up started
# (an engine that was already running stays). Keeps the caches and the engine's data root, so the next
# kind:up reuses the loaded node image. BERTH_KIND_KEEP_ENGINE=1 leaves our engine running too.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
STATE=${BERTH_KIND_STATE_DIR:-/var/lib/berth-kind}
export KUBECONFIG=$STATE/kubeconfig PATH=$KBIN:$PATH

if [ -x "$KBIN/kind" ] && docker info >/dev/null 2>&1; then
  if kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER_NAME"; then
    kind delete cluster --name "$KIND_CLUSTER_NAME"
  else
    log "no kind cluster $KIND_CLUSTER_NAME"
  fi
fi
[ "${BERTH_KIND_KEEP_ENGINE:-0}" = 1 ] || bash "$HERE/dockerd.sh" stop
