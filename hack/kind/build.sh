#!/usr/bin/env bash
# Builds, offline (Go module proxy + Debian packages only), what a kind cluster needs on a machine
# without registries, cached under ${BERTH_CACHE_DIR:-$HOME/.cache/berth}/kind:
#   bin/       kind crictl kubeadm etcd imgtool berth-runc (the privileged-container runtime wrapper)
#   rootfs/    node/ (mmdebstrap: systemd, containerd, runc, CNI plugins) and base.tar (iptables for kube-proxy)
#   images/    control-plane images under the names kubeadm expects (registry.k8s.io/...)
#   node-image.tar  the kind node image ($KIND_NODE_IMAGE), with every cluster image preloaded
# The Kubernetes binaries, CoreDNS, local-path, pause, busybox and Traefik come from
# hack/local-cluster/build.sh (run first; it caches them in $BERTH_CACHE_DIR/bin and images/).
#
# Usage: build.sh [STEP...]   (default: all steps; each prints "cached" when its inputs are unchanged)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh" # also the versions, and REPO

GO=$(command -v go || echo /usr/local/go/bin/go)
[ -x "$GO" ] || die "no Go toolchain (looked on PATH and /usr/local/go/bin/go)"
export GOMODCACHE=$CACHE/gomod GOCACHE=$CACHE/gobuild
export CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
# -p 2: CI has 2 cores; nice: other work shares them.
GOBUILD=(nice -n 10 "$GO" build -p 2 -trimpath -ldflags "-s -w")
KIND_MOD=$GOMODCACHE/sigs.k8s.io/kind@$KIND_VERSION
STEPS=(tools rootfs images node)

# Debian packages of the node: what kind's base image installs, with Debian's containerd, runc and CNI plugins.
NODE_PACKAGES=systemd,dbus,containerd,runc,containernetworking-plugins,conntrack,iptables,nftables,iproute2,ethtool
NODE_PACKAGES+=,util-linux,mount,kmod,libseccomp2,pigz,bash,ca-certificates,jq,procps,socat,ipset
# kube-proxy execs iptables/ipset/conntrack; etcd and the others are static Go binaries.
BASE_PACKAGES=iptables,nftables,conntrack,ipset

# --- tools -------------------------------------------------------------------------------------

kubeadm_build() {
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local ld="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
  ld+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  cd "$HERE/kubeadm" && nice -n 10 "$GO" build -p 2 -trimpath -ldflags "$ld" -o "$KBIN/kubeadm" k8s.io/kubernetes/cmd/kubeadm
}

build_tools() {
  run_step kind "$KIND_VERSION" "$KBIN/kind" -- env GOBIN="$KBIN" nice -n 10 "$GO" install -trimpath -ldflags "-s -w" "sigs.k8s.io/kind@$KIND_VERSION"
  run_step crictl "$CRICTL_VERSION" "$KBIN/crictl" -- \
    env GOBIN="$KBIN" nice -n 10 "$GO" install -trimpath -ldflags "-s -w" "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
  run_step kubeadm "$K8S_VERSION $(hash_of kubeadm_build "$HERE/kubeadm")" "$KBIN/kubeadm" -- kubeadm_build
  run_step etcd "$ETCD_VERSION $(hash_of build_tools "$HERE/etcd")" "$KBIN/etcd" -- \
    bash -c 'cd "$1" && shift && "$@"' _ "$HERE/etcd" "${GOBUILD[@]}" -o "$KBIN/etcd" .
  # The image tool from hack/local-cluster, built here so the local cluster's own cache stays untouched.
  local img=$REPO/hack/local-cluster/images/imgtool
  run_step imgtool "$(hash_of build_tools "$img")" "$KBIN/imgtool" -- \
    bash -c 'cd "$1" && shift && "$@"' _ "$img" "${GOBUILD[@]}" -o "$KBIN/imgtool" .
  run_step berth-runc "$(sha256sum "$HERE/berth-runc" | cut -c1-16)" "$KBIN/berth-runc" -- \
    install -m 0755 "$HERE/berth-runc" "$KBIN/berth-runc"
}

# --- root filesystems (mmdebstrap from the host's Debian sources) --------------------------------

debian_sources() { # the host's deb822 sources for the running suite, so no mirror name lives in the repo
  local f=/etc/apt/sources.list.d/debian.sources
  [ -r "$f" ] || die "no $f: mmdebstrap needs the host's Debian sources"
  echo "$f"
}

mmdebstrap_to() { # mmdebstrap_to TARGET PACKAGES
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get install --no-install-recommends mmdebstrap"
  rm -rf "$1" "$1.tmp" "${1%.tar}.tmp.tar"
  local format=directory tmp=$1.tmp
  case $1 in *.tar) format=tar tmp=${1%.tar}.tmp.tar ;; esac
  nice -n 10 mmdebstrap --mode=root --variant=minbase --format="$format" --include="$2" \
    bookworm "$tmp" "$(debian_sources)"
  mv "$tmp" "$1"
}

build_rootfs() {
  run_step rootfs-node "bookworm $NODE_PACKAGES" "$KCACHE/rootfs/node/usr/bin/containerd" -- \
    mmdebstrap_to "$KCACHE/rootfs/node" "$NODE_PACKAGES"
  run_step rootfs-base "bookworm $BASE_PACKAGES" "$KCACHE/rootfs/base.tar" -- \
    mmdebstrap_to "$KCACHE/rootfs/base.tar" "$BASE_PACKAGES"
}

# --- control-plane images --------------------------------------------------------------------

k8s_image() { # k8s_image NAME [imgtool args...]: registry.k8s.io/NAME:$K8S_VERSION with the binary in /usr/local/bin
  local name=$1; shift
  [ -x "$BIN/$name" ] || die "$BIN/$name is missing: run hack/local-cluster/build.sh k8s first"
  image "$name" "registry.k8s.io/$name:$K8S_VERSION" "$(cat "$STAMPS/k8s" 2>/dev/null) $(cat "$KSTAMPS/imgtool")" \
    "$@" -file "$BIN/$name:/usr/local/bin/$name:0755" -entrypoint "/usr/local/bin/$name"
}

build_images() {
  k8s_image kube-apiserver
  k8s_image kube-controller-manager
  k8s_image kube-scheduler
  k8s_image kube-proxy -layer-tar "$KCACHE/rootfs/base.tar"
  image etcd "$ETCD_IMAGE" "$(cat "$KSTAMPS/etcd") $(cat "$KSTAMPS/imgtool")" \
    -etc -file "$KBIN/etcd:/usr/local/bin/etcd:0755" -dir /var/lib/etcd:0700 -entrypoint /usr/local/bin/etcd
}

# Images preloaded into the node: kubeadm's control plane, CoreDNS, local-path, the ingress controller,
# and busybox (local-path's helper). The demo's own images are loaded by `berth cluster load-image`.
node_image_list() {
  local n
  for n in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do echo "$KIMAGES/$n-$K8S_VERSION.tar"; done
  echo "$KIMAGES/etcd-${ETCD_IMAGE##*:}.tar"
  for n in "pause-$PAUSE_VERSION" "coredns-${COREDNS_IMAGE##*:}" "local-path-provisioner-${LOCAL_PATH_PROVISIONER_IMAGE##*:}" \
    "busybox-${BUSYBOX_IMAGE##*:}" "traefik-${TRAEFIK_IMAGE##*:}"; do
    echo "$IMAGES/$n.tar"
  done
}

# --- node image ------------------------------------------------------------------------------

build_node() {
  local t key tars
  mapfile -t tars < <(node_image_list)
  for t in "${tars[@]}"; do [ -e "$t" ] || die "$t is missing: run hack/local-cluster/build.sh first"; done
  # Content hashes, not mtimes: hack/local-cluster/build.sh rewrites identical tarballs when its own recipe changes.
  # The manifests the node image embeds count too: an edited addon must not hide behind a cached image.
  key=$({ sha256sum "${tars[@]}" "$BIN/kubelet" "$BIN/kubectl" "$REPO/hack/local-cluster/addons/local-path.yaml" "$REPO/hack/local-cluster/versions.env"
    cat "$KSTAMPS/rootfs-node" "$KSTAMPS/kubeadm" "$KSTAMPS/crictl" "$KSTAMPS/imgtool"
    hash_of "build_node node_image_list" "$HERE/node"; } | sha256sum | cut -c1-16)
  run_step node-image "$KIND_NODE_IMAGE $key" "$KCACHE/node-image.tar" -- \
    env BIN="$BIN" KBIN="$KBIN" KCACHE="$KCACHE" KIND_MOD="$KIND_MOD" K8S_VERSION="$K8S_VERSION" \
    KIND_NODE_IMAGE="$KIND_NODE_IMAGE" REPO="$REPO" bash "$HERE/node/assemble.sh" "${tars[@]}"
}

T0=$(now)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # mmdebstrap mostly waits on the mirror and the disk, the Go builds on the CPU: run them side by side.
  build_rootfs &
  rootfs_pid=$!
  build_tools
  wait $rootfs_pid || die "root filesystem build failed (see $KLOGS/rootfs-*.log)"
  targets=(images node)
fi
for s in "${targets[@]}"; do
  case $s in
    tools) build_tools ;;
    rootfs) build_rootfs ;;
    images) build_images ;;
    node) build_node ;;
    *) die "unknown step '$s' (known: ${STEPS[*]})" ;;
  esac
done
echo "kind build done in $(($(now) - T0))s (cache: $KCACHE)"
