#!/usr/bin/env bash
# `npm run kind:up`: a real kind cluster on a machine without registries (CI), created by
# `berth cluster create --kind` from the offline node image:
#   1. host packages (docker.io, mmdebstrap), the local cluster's cached builds (hack/local-cluster/build.sh)
#      and this directory's (build.sh: kind, kubeadm, crictl, etcd, control-plane images, node image)
#   2. a Docker engine (ours from dockerd.sh unless one answers already), the node image loaded into it
#   3. berth cluster create --kind, with Traefik (the locally built image) as the ingress controller on
#      host ports $KIND_HTTP_PORT/$KIND_HTTPS_PORT
#   4. CoreDNS on berth's offline Corefile, and the demo's images loaded with `berth cluster load-image`
# Kubeconfig: $BERTH_KIND_STATE_DIR/kubeconfig (default /var/lib/berth-kind), context kind-$KIND_CLUSTER_NAME.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh" # also the versions, and REPO

STATE=${BERTH_KIND_STATE_DIR:-/var/lib/berth-kind}
export KUBECONFIG=$STATE/kubeconfig
export PATH=$KBIN:$PATH
CONTEXT=kind-$KIND_CLUSTER_NAME
T0=$(now)
mark() { echo "$(date -u +%FT%TZ) up $1 $(($(now) - T0))s" >>"$KLOGS/times.txt"; log "$1 (${2:-}$(($(now) - T0))s since start)"; }

host_deps() {
  local pkgs=(docker.io mmdebstrap containerd jq gettext-base) missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; run as root or install them with apt-get"
  log "installing ${missing[*]}"
  apt-get update -qq
  # policy-rc.d: Debian's docker.io would otherwise try to start its service; berth starts dockerd itself.
  local prc=/usr/sbin/policy-rc.d added=0
  [ -e $prc ] || { printf '#!/bin/sh\nexit 101\n' >$prc && chmod +x $prc && added=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ $added = 0 ] || rm -f $prc
}

# load_tarball TARBALL REF: `docker load` unless the engine's REF already is that tarball's image
# (image ID = the tarball's config digest). A replaced build is removed unless a container uses it.
load_tarball() {
  local want have
  want=$(tar -xOf "$1" manifest.json | jq -r '.[0].Config' | sed 's/^sha256://; s/^blobs\/sha256\///')
  have=$(docker image inspect -f '{{.Id}}' "$2" 2>/dev/null | sed 's/^sha256://' || true)
  [ "$want" != "$have" ] || return 0
  log "docker load $2"
  docker load -i "$1" >/dev/null
  [ -z "$have" ] || docker rmi "$have" >/dev/null 2>&1 || true
}

bash "$REPO/hack/local-cluster/host-deps.sh"
host_deps
bash "$REPO/hack/local-cluster/build.sh"
bash "$HERE/build.sh"
mark "builds done"

bash "$HERE/dockerd.sh" start
load_tarball "$KCACHE/node-image.tar" "$KIND_NODE_IMAGE"
# Images from hack/local-cluster's tarballs go into the engine, from where berth loads them into kind.
load_tarball "$IMAGES/traefik-${TRAEFIK_IMAGE##*:}.tar" "$TRAEFIK_IMAGE"
mark "engine ready"

mkdir -p "$STATE" /lib/modules # kind bind-mounts /lib/modules; this VM has every module built in
if kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER_NAME"; then
  log "kind cluster $KIND_CLUSTER_NAME exists: deleting it first"
  kind delete cluster --name "$KIND_CLUSTER_NAME"
fi
# kubeadm 1.34 would ask for registry.k8s.io/coredns/coredns:v1.12.1; the node has berth's CoreDNS build.
cat >"$STATE/kubeadm-dns.yaml" <<EOF
kind: ClusterConfiguration
dns:
  imageRepository: ${COREDNS_IMAGE%/*}
  imageTag: "${COREDNS_IMAGE##*:}"
EOF
# The CLI as a user runs it (npx berth): bin/berth.js, straight from the TypeScript sources.
BERTH=("$REPO/node_modules/.bin/node" "$REPO/bin/berth.js")
[ -x "${BERTH[0]}" ] || BERTH=(node "$REPO/bin/berth.js")
"${BERTH[@]}" cluster create --kind --name "$KIND_CLUSTER_NAME" --node-image "$KIND_NODE_IMAGE" \
  --http-port "$KIND_HTTP_PORT" --https-port "$KIND_HTTPS_PORT" --kubeadm-patch "$STATE/kubeadm-dns.yaml" \
  --ingress traefik --ingress-image "$TRAEFIK_IMAGE" --wait 180 --config-out "$STATE/kind.yaml"
mark "cluster created"

# kubeadm's Corefile uses plugins berth's offline CoreDNS build leaves out (loop, prometheus) and forwards
# to a resolver CI cannot reach: use the local cluster's offline Corefile (from its addon manifest).
KC=("$BIN/kubectl" --context "$CONTEXT")
sed -n '/^  Corefile: |$/,/^---$/{/^    /s/^    //p}' "$REPO/hack/local-cluster/addons/coredns.yaml" >"$STATE/Corefile"
grep -q kubernetes "$STATE/Corefile" || die "no Corefile found in hack/local-cluster/addons/coredns.yaml"
"$BIN/kubectl" create configmap coredns -n kube-system --dry-run=client -o yaml \
  --from-file=Corefile="$STATE/Corefile" | "${KC[@]}" replace -f - >/dev/null
"${KC[@]}" -n kube-system rollout restart deployment/coredns >/dev/null
"${KC[@]}" -n kube-system rollout status deployment/coredns --timeout=120s
mark "coredns ready"

# The demo's local images (BERTH_IMAGES=local), loaded the way a kind user would.
load_tarball "$IMAGES/demo-web-${DEMO_WEB_IMAGE##*:}.tar" "$DEMO_WEB_IMAGE"
load_tarball "$IMAGES/ferretdb-${FERRETDB_IMAGE##*:}.tar" "$FERRETDB_IMAGE"
"${BERTH[@]}" cluster load-image --kind --name "$KIND_CLUSTER_NAME" "$DEMO_WEB_IMAGE" "$FERRETDB_IMAGE"
mark "ready" "context $CONTEXT, kubeconfig $KUBECONFIG, ingress http://127.0.0.1:$KIND_HTTP_PORT; "
