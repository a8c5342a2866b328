#!/usr/bin/env bash
# Builds every binary and container image the local test cluster needs, offline (Go module proxy +
# Debian packages only), cached by version under ${BERTH_CACHE_DIR:-$HOME/.cache/berth}:
#   bin/               kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl
#                      coredns local-path-provisioner traefik ferretdb demo-web imgtool pause
#   images/*.tar       docker-format image tarballs for `ctr -n k8s.io images import`
#   images/index.txt   "<tarball> <image ref>" per line, for the current versions
#   logs/build-<component>.log, stamps/<component> (cache keys), gomod/, gobuild/
#
# Usage:
#   build.sh                 build everything that is missing or out of date ("cached" lines otherwise)
#   build.sh COMPONENT...    build only these (see COMPONENTS below)
#   build.sh import          import images/index.txt into containerd namespace k8s.io
#                            (socket: $CONTAINERD_ADDRESS, default /run/containerd/containerd.sock)
#   build.sh list            print the component names
# Versions live in versions.env next to this script.
# shellcheck disable=SC2016 # the bash -c '...' helpers expand "$1"/"$@" in the child on purpose
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=versions.env
source "$HERE/versions.env"
# shellcheck source=../cached-step.sh
source "$HERE/../cached-step.sh"

CACHE=${BERTH_CACHE_DIR:-$HOME/.cache/berth}
BIN=$CACHE/bin
IMAGES=$CACHE/images
LOGS=$CACHE/logs
STAMPS=$CACHE/stamps
mkdir -p "$BIN" "$IMAGES" "$LOGS" "$STAMPS"

export GOMODCACHE=$CACHE/gomod GOCACHE=$CACHE/gobuild
export CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
GO=$(command -v go || echo /usr/local/go/bin/go)
[ -x "$GO" ] || { echo "build.sh: no Go toolchain (looked on PATH and /usr/local/go/bin/go)" >&2; exit 1; }
# -p 2: CI has 2 cores, and the Go linker of the big binaries needs GBs of memory each.
GOBUILD=("$GO" build -p 2 -trimpath -ldflags "-s -w")

IMGDIR=$HERE/images
K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
COMPONENTS=(imgtool pause k8s ferretdb demo-web addons busybox coredns-image local-path-provisioner-image traefik)

# hash_of FUNCTIONS DIR...: cache key over the recipe (the bash functions named, space-separated),
# the Go version and the sources/go.mod/go.sum under DIR, so changing any of them rebuilds.
# Paths are hashed relative to the repository, so another checkout of the same sources hits the cache.
hash_of() {
  local fns=$1 d; shift
  # shellcheck disable=SC2086
  { declare -f $fns; "$GO" version
    for d in "$@"; do
      echo "${d#"$REPO"/}"
      (cd "$d" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum -o -name '*.html' \) -print0 \
        | sort -z | xargs -0 -r sha256sum)
    done; } | sha256sum | cut -c1-16
}

now() { date +%s; }

# run_step NAME KEY OUTPUT... -- COMMAND...: a cached step (hack/cached-step.sh) with its output
# in logs/build-NAME.log and its time in logs/build-times.txt.
run_step() {
  local name=$1 key=$2
  shift 2
  cached_step build.sh "$STAMPS" "$LOGS/build-$name.log" "$LOGS/build-times.txt" "$name" "$key" "$@"
}

# image NAME REF STEPKEY imgtool-args...: one image tarball, keyed by its ref and inputs.
image() {
  local name=$1 ref=$2 key=$3; shift 3
  local tar=$IMAGES/$name-${ref##*:}.tar args
  args=$(echo "$*" | sha256sum | cut -c1-8) # the image config (env, user, files) is part of the key
  run_step "image-$name" "$ref $key $args" "$tar" -- "$BIN/imgtool" -tag "$ref" -out "$tar" "$@"
}

# --- components --------------------------------------------------------------------------------

build_imgtool() { # the image tool and the pause binary (same tiny module)
  run_step imgtool "$(hash_of build_imgtool "$IMGDIR/imgtool")" "$BIN/imgtool" "$BIN/pause" -- \
    bash -c 'cd "$1" && shift && "$@"' _ "$IMGDIR/imgtool" "${GOBUILD[@]}" -o "$BIN/" . ./pause
}

build_pause() {
  image pause "$PAUSE_IMAGE" "$(cat "$STAMPS/imgtool")" \
    -file "$BIN/pause:/pause:0755" -entrypoint /pause -user 65535:65535
}

k8s_build() {
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local ld="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
  ld+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  ld+=" -X k8s.io/component-base/version.gitTreeState=clean"
  local pkgs=() b
  for b in "${K8S_BINS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  cd "$IMGDIR/k8s" && "$GO" build -p 2 -trimpath -ldflags "$ld" -o "$BIN/" "${pkgs[@]}"
}

build_k8s() {
  local key outs=() b
  key="$K8S_VERSION $(hash_of k8s_build "$IMGDIR/k8s")"
  for b in "${K8S_BINS[@]}"; do outs+=("$BIN/$b"); done
  # Binaries built before stamps existed (or by hand with the same module): trust their --version.
  if [ ! -e "$STAMPS/k8s" ] && [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kubectl" ] &&
    "$BIN/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes $K8S_VERSION"; then
    echo "$key" >"$STAMPS/k8s"
  fi
  run_step k8s "$key" "${outs[@]}" -- k8s_build
}

ferretdb_build() {
  # FerretDB panics at start unless build/version/version.txt (absent from the module zip) holds its version.
  local src
  src=$(module_copy "$IMGDIR/ferretdb" github.com/FerretDB/FerretDB "$FERRETDB_VERSION") || return 1
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  (cd "$src" && "${GOBUILD[@]}" -o "$BIN/ferretdb" ./cmd/ferretdb) && "$BIN/ferretdb" --version
}

build_ferretdb() {
  run_step ferretdb "$FERRETDB_VERSION $(hash_of "ferretdb_build module_copy" "$IMGDIR/ferretdb")" "$BIN/ferretdb" -- ferretdb_build
  # FerretDB listens on all interfaces; SQLite files (one per database) and its state live on the /data/db volume.
  image ferretdb "$FERRETDB_IMAGE" "$(cat "$STAMPS/ferretdb") $(cat "$STAMPS/imgtool")" \
    -etc -file "$BIN/ferretdb:/usr/local/bin/ferretdb:0755" -dir /data/db:0777:65532:65532 \
    -entrypoint /usr/local/bin/ferretdb \
    -env FERRETDB_HANDLER=sqlite -env FERRETDB_SQLITE_URL=file:/data/db/ -env FERRETDB_STATE_DIR=/data/db \
    -env FERRETDB_LISTEN_ADDR=:27017 -env FERRETDB_TELEMETRY=disable \
    -user 65532:65532 -workdir /data/db
}

build_demo_web() {
  local src=$REPO/apps/demo/web
  run_step demo-web "$DEMO_WEB_VERSION $(hash_of build_demo_web "$src")" "$BIN/demo-web" -- \
    bash -c 'cd "$1" && shift && "$@"' _ "$src" "${GOBUILD[@]}" -o "$BIN/demo-web" .
  image demo-web "$DEMO_WEB_IMAGE" "$(cat "$STAMPS/demo-web") $(cat "$STAMPS/imgtool")" \
    -etc -file "$BIN/demo-web:/usr/local/bin/demo-web:0755" -entrypoint /usr/local/bin/demo-web \
    -env PORT=8080 -user 65532:65532 -workdir /home/nonroot
}

build_addons() { # CoreDNS (chosen plugins) + local-path-provisioner: one module, shared k8s.io deps
  run_step addons "$COREDNS_VERSION $LOCAL_PATH_PROVISIONER_VERSION $(hash_of build_addons "$IMGDIR/addons")" \
    "$BIN/coredns" "$BIN/local-path-provisioner" -- \
    bash -c 'cd "$1" && shift && "$@"' _ "$IMGDIR/addons" "$GO" build -p 2 -trimpath \
    -ldflags "-s -w -X main.VERSION=$LOCAL_PATH_PROVISIONER_VERSION" -o "$BIN/" ./coredns github.com/rancher/local-path-provisioner
}

build_coredns_image() {
  image coredns "$COREDNS_IMAGE" "$(cat "$STAMPS/addons") $(cat "$STAMPS/imgtool")" \
    -etc -file "$BIN/coredns:/coredns:0755" -entrypoint /coredns
}

build_local_path_provisioner_image() {
  image local-path-provisioner "$LOCAL_PATH_PROVISIONER_IMAGE" "$(cat "$STAMPS/addons") $(cat "$STAMPS/imgtool")" \
    -etc -file "$BIN/local-path-provisioner:/usr/bin/local-path-provisioner:0755" \
    -entrypoint /usr/bin/local-path-provisioner
}

build_busybox() { # helper image for local-path-provisioner: needs sh, mkdir, rm
  if [ ! -x /bin/busybox ]; then
    echo "build.sh: /bin/busybox missing, installing Debian busybox-static"
    apt-get install -y busybox-static >"$LOGS/build-busybox-apt.log" 2>&1 ||
      { echo "build.sh: FAILED to install busybox-static (see $LOGS/build-busybox-apt.log)" >&2; exit 1; }
  fi
  local links=() a
  for a in sh mkdir rm rmdir ls cat echo chmod chown sleep test true false du df mv cp touch find env; do
    links+=(-symlink "/bin/$a:busybox")
  done
  image busybox "$BUSYBOX_IMAGE" "$(sha256sum /bin/busybox | cut -c1-16) $(cat "$STAMPS/imgtool")" \
    -etc -file /bin/busybox:/bin/busybox:0755 "${links[@]}" -cmd sh
}

# module_copy PINDIR MODULE VERSION: download MODULE@VERSION (checked against PINDIR's go.sum) and print
# a fresh writable copy of its source under $CACHE/src, for modules that must be built inside their own tree.
module_copy() {
  local pin=$1 mod=$2 ver=$3 dir dst
  dir=$(cd "$pin" && "$GO" mod download -json "$mod@$ver" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "could not download $mod@$ver" >&2; return 1; }
  dst=$CACHE/src/$(echo "$mod" | tr / _)@$ver
  rm -rf "$dst" && mkdir -p "$CACHE/src" && cp -r "$dir" "$dst" && chmod -R u+w "$dst" && echo "$dst"
}

traefik_build() {
  # Traefik's go.mod has local replace directives, so it only builds inside its own source tree.
  local src ld="-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION"
  src=$(module_copy "$IMGDIR/traefik" github.com/traefik/traefik/v3 "$TRAEFIK_VERSION") || return 1
  (cd "$src" && "$GO" build -p 2 -trimpath -ldflags "$ld" -o "$BIN/traefik" ./cmd/traefik) && "$BIN/traefik" version
}

build_traefik() {
  run_step traefik "$TRAEFIK_VERSION $(hash_of "traefik_build module_copy" "$IMGDIR/traefik")" "$BIN/traefik" -- traefik_build
  image traefik "$TRAEFIK_IMAGE" "$(cat "$STAMPS/traefik") $(cat "$STAMPS/imgtool")" \
    -etc -file "$BIN/traefik:/usr/local/bin/traefik:0755" -entrypoint /usr/local/bin/traefik
}

# --- main --------------------------------------------------------------------------------------

import_images() {
  local addr=${CONTAINERD_ADDRESS:-/run/containerd/containerd.sock} tar ref
  [ -s "$IMAGES/index.txt" ] || { echo "build.sh import: $IMAGES/index.txt missing; run build.sh first" >&2; exit 1; }
  while read -r tar ref; do
    printf 'import  %s\n' "$ref"
    ctr --address "$addr" -n k8s.io images import "$tar" >/dev/null ||
      { echo "build.sh import: FAILED to import $tar ($ref) into containerd at $addr" >&2; exit 1; }
  done <"$IMAGES/index.txt"
}

write_index() {
  # Every image of the current versions whose tarball exists (all of them after a full build).
  local name ref n=0 tar
  : >"$IMAGES/index.txt.tmp"
  while read -r name ref; do
    tar=$IMAGES/$name-${ref##*:}.tar
    [ -e "$tar" ] && echo "$tar $ref" >>"$IMAGES/index.txt.tmp" && n=$((n + 1))
  done <<EOF_IMAGES
pause $PAUSE_IMAGE
coredns $COREDNS_IMAGE
local-path-provisioner $LOCAL_PATH_PROVISIONER_IMAGE
busybox $BUSYBOX_IMAGE
traefik $TRAEFIK_IMAGE
ferretdb $FERRETDB_IMAGE
demo-web $DEMO_WEB_IMAGE
EOF_IMAGES
  mv "$IMAGES/index.txt.tmp" "$IMAGES/index.txt"
  echo "index   $IMAGES/index.txt ($n images)"
}

case "${1:-all}" in
  import) import_images; exit 0 ;;
  list) printf '%s\n' "${COMPONENTS[@]}"; exit 0 ;;
esac

T0=$(now)
if [ $# -eq 0 ] || [ "$1" = all ]; then
  targets=("${COMPONENTS[@]}")
else
  targets=("$@")
fi
for c in "${targets[@]}"; do
  case $c in
    pause | busybox | coredns-image | local-path-provisioner-image | ferretdb | demo-web | traefik) build_imgtool ;;
  esac
  case $c in
    imgtool) build_imgtool ;;
    pause) build_pause ;;
    k8s) build_k8s ;;
    ferretdb) build_ferretdb ;;
    demo-web) build_demo_web ;;
    addons) build_addons ;;
    busybox) build_busybox ;;
    coredns-image) build_addons && build_coredns_image ;;
    local-path-provisioner-image) build_addons && build_local_path_provisioner_image ;;
    traefik) build_traefik ;;
    *) echo "build.sh: unknown component '$c' (known: ${COMPONENTS[*]}, import, list)" >&2; exit 2 ;;
  esac
done
write_index
echo "done in $(($(now) - T0))s (cache: $CACHE)"
