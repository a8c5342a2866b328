#!/usr/bin/env bash
# Assembles the kind node image from the cached Debian root filesystem, the way kind's own base and
# node images are laid out (images/base/Dockerfile and pkg/build/nodeimage in the kind module), but
# from local parts only. Called by hack/kind/build.sh with the image tarballs to preload as arguments;
# BIN KBIN KCACHE KIND_MOD K8S_VERSION KIND_NODE_IMAGE REPO come from the environment.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=$KCACHE/work/node
R=$W/rootfs
FILES=$KIND_MOD/images/base/files
[ -d "$FILES" ] || { echo "kind module files missing at $FILES (run build.sh tools)" >&2; exit 1; }

echo "== copy the Debian root filesystem"
rm -rf "$W" && mkdir -p "$W"
cp -a "$KCACHE/rootfs/node" "$R"

echo "== kind's entrypoint, helper scripts and configuration (from the kind module $KIND_MOD)"
install -m 0755 "$FILES/usr/local/bin/entrypoint" "$R/usr/local/bin/entrypoint"
mkdir -p "$R/kind/bin" "$R/etc/containerd" "$R/etc/systemd/system/kubelet.service.d" "$R/etc/kubernetes/manifests"
install -m 0755 "$FILES"/kind/bin/* "$R/kind/bin/"
install -m 0644 "$FILES/etc/crictl.yaml" "$R/etc/crictl.yaml"
install -m 0644 "$FILES/etc/default/kubelet" "$R/etc/default/kubelet"
install -m 0644 "$FILES"/etc/sysctl.d/* "$R/etc/sysctl.d/"
install -m 0644 "$FILES"/etc/systemd/system/*.service "$FILES"/etc/systemd/system/*.slice "$R/etc/systemd/system/"
install -m 0644 "$FILES"/etc/systemd/system/kubelet.service.d/* "$R/etc/systemd/system/kubelet.service.d/"
rm -f "$R/etc/systemd/system/containerd-fuse-overlayfs.service"
# This host has no CAP_SYS_RESOURCE: runc cannot set a pod's oom_score_adj below its parent's, so
# containerd must only raise it (the same setting as the local cluster's containerd).
sed -e 's/^\(\s*restrict_oom_score_adj\s*=\s*\)false/\1true/' \
  -e '/^\[proxy_plugins\]/,/^$/d' "$FILES/etc/containerd/config.toml" >"$R/etc/containerd/config.toml"
grep -q 'restrict_oom_score_adj = true' "$R/etc/containerd/config.toml"
# kind's base spec: containerd's default spec, plus the hook that mounts the node's product_uuid, minus rlimits.
chroot "$R" ctr oci spec |
  jq '.hooks.createContainer[.hooks.createContainer|length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
  jq 'del(.process.rlimits)' >"$R/etc/containerd/cri-base.json"

echo "== containerd, runc and CNI plugins where kind's units and config expect them"
for b in containerd ctr containerd-shim-runc-v2; do ln -sf "/usr/bin/$b" "$R/usr/local/bin/$b"; done
mkdir -p "$R/usr/local/sbin" "$R/opt/cni"
ln -sf /usr/sbin/runc "$R/usr/local/sbin/runc"
rm -rf "$R/opt/cni/bin" && ln -s /usr/lib/cni "$R/opt/cni/bin"
mkdir -p "$R/etc/cni/net.d"
install -m 0644 "$HERE/10-berth-bridge.conflist" "$R/etc/cni/net.d/10-berth-bridge.conflist"

echo "== systemd as kind's base image sets it up"
find "$R/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
rm -f "$R"/lib/systemd/system/multi-user.target.wants/* "$R"/etc/systemd/system/*.wants/* \
  "$R"/lib/systemd/system/local-fs.target.wants/* "$R"/lib/systemd/system/sockets.target.wants/*udev* \
  "$R"/lib/systemd/system/sockets.target.wants/*initctl* "$R"/lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >>"$R/etc/systemd/journald.conf"
# Debian's sysctl defaults (kernel.pid_max, fs.protected_*) are not per network namespace: a privileged
# node would change them for the whole host. Only kind's own net.* settings stay.
rm -f "$R"/usr/lib/sysctl.d/50-pid-max.conf "$R"/usr/lib/sysctl.d/99-protect-links.conf
ln -sf /lib/systemd/systemd "$R/sbin/init"
systemctl --root="$R" enable kubelet.service containerd.service undo-mount-hacks.service
systemctl --root="$R" mask systemd-binfmt.service
# The image's own machine-id would be shared by every node; systemd makes one at boot when it is empty.
: >"$R/etc/machine-id"

echo "== Kubernetes binaries"
install -m 0755 "$KBIN/kubeadm" "$BIN/kubelet" "$BIN/kubectl" "$R/usr/bin/"
install -m 0755 "$KBIN/crictl" "$R/usr/local/bin/crictl"
echo "$K8S_VERSION" >"$R/kind/version"
mkdir -p "$R/kind/manifests"
# kind applies these two after kubeadm init: networking comes from the static bridge conflist above,
# storage from berth's local-path addon (the offline images are preloaded below).
install -m 0644 "$HERE/default-cni.yaml" "$R/kind/manifests/default-cni.yaml"
(
  set -a
  # shellcheck source=../../local-cluster/versions.env
  source "$REPO/hack/local-cluster/versions.env"
  # shellcheck disable=SC2034 # exported by set -a, for envsubst
  LOCAL_PATH_DIR=/var/local-path-provisioner
  set +a
  # The local cluster pins its addons to its node 1 (berth-local); kind's one node has another name.
  envsubst '${LOCAL_PATH_PROVISIONER_IMAGE} ${BUSYBOX_IMAGE} ${LOCAL_PATH_DIR}' \
    <"$REPO/hack/local-cluster/addons/local-path.yaml" | sed '/nodeSelector: {kubernetes.io\/hostname: berth-local}/d' \
    >"$R/kind/manifests/default-storage.yaml"
)
if grep -q 'berth-local' "$R/kind/manifests/default-storage.yaml"; then
  echo "default-storage.yaml still names node berth-local: update the sed above to the addon's nodeSelector" >&2
  exit 1
fi

echo "== preload images into the node's containerd (namespace k8s.io)"
S=$W/containerd && mkdir -p "$S"
cat >"$S/config.toml" <<EOF
version = 2
root = "$R/var/lib/containerd"
state = "$S/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$S/containerd.sock"
EOF
containerd --config "$S/config.toml" >"$S/containerd.log" 2>&1 &
CPID=$!
trap 'kill $CPID 2>/dev/null; wait $CPID 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -S "$S/containerd.sock" ] && break; sleep 0.1; done
for t in "$@"; do
  echo "import $t"
  ctr --address "$S/containerd.sock" -n k8s.io images import "$t"
done
# Pinned, as kind pins its preloaded images: kubelet's image garbage collection leaves them alone.
for ref in $(ctr --address "$S/containerd.sock" -n k8s.io images ls -q); do
  ctr --address "$S/containerd.sock" -n k8s.io images label "$ref" io.cri-containerd.pinned=pinned >/dev/null
done
ctr --address "$S/containerd.sock" -n k8s.io images ls
kill $CPID && wait $CPID 2>/dev/null || true
trap - EXIT

echo "== pack the image"
tar --numeric-owner --xattrs --xattrs-include='*' -C "$R" -cf "$W/rootfs.tar" .
"$KBIN/imgtool" -tag "$KIND_NODE_IMAGE" -out "$KCACHE/node-image.tar" -layer-tar "$W/rootfs.tar" \
  -env container=docker -stopsignal SIGRTMIN+3 -entrypoint /usr/local/bin/entrypoint -entrypoint /sbin/init
rm -rf "$W"
ls -l "$KCACHE/node-image.tar"
