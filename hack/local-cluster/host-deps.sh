#!/usr/bin/env bash
# Installs the Debian packages the local cluster runs on, once. Idempotent:
# a machine that has them all skips apt entirely.
set -euo pipefail
pkgs=(containerd runc etcd-server containernetworking-plugins iptables busybox-static conntrack socat jq openssl)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "host-deps: all present (${pkgs[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "host-deps: missing ${missing[*]}; run as root or install them with apt-get" >&2
  exit 1
fi
echo "host-deps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts containerd as a service on install; berth runs its own instance.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now containerd >/dev/null 2>&1 || true; fi
