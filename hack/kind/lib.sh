# shellcheck shell=bash
# Shared settings and helpers of the offline kind scripts (sourced).
# shellcheck disable=SC2034 # the settings are for the scripts that source this file
KIND_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$KIND_DIR/../.." && pwd)
# Versions: the local cluster's (Kubernetes, images) and kind's own.
# shellcheck source=../local-cluster/versions.env
source "$REPO/hack/local-cluster/versions.env"
# shellcheck source=versions.env
source "$KIND_DIR/versions.env"
# shellcheck source=../cached-step.sh
source "$REPO/hack/cached-step.sh"
CACHE=${BERTH_CACHE_DIR:-$HOME/.cache/berth}
BIN=$CACHE/bin           # hack/local-cluster/build.sh's binaries
IMAGES=$CACHE/images     # ... and image tarballs
STAMPS=$CACHE/stamps
KCACHE=$CACHE/kind
KBIN=$KCACHE/bin
KIMAGES=$KCACHE/images
KSTAMPS=$KCACHE/stamps
KLOGS=$KCACHE/logs
mkdir -p "$KBIN" "$KIMAGES" "$KSTAMPS" "$KLOGS" "$KCACHE/rootfs"

log() { printf '[berth-kind %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf '[berth-kind %s] ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }
now() { date +%s; }

# hash_of FUNCTIONS DIR...: cache key over the recipe (bash functions), the Go version and the files under DIR.
hash_of() {
  local fns=$1 d; shift
  # shellcheck disable=SC2086
  { declare -f $fns; go version 2>/dev/null
    for d in "$@"; do
      echo "${d#"$REPO"/}"
      (cd "$d" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
    done; } | sha256sum | cut -c1-16
}

# run_step NAME KEY OUTPUT... -- COMMAND...: a cached step (hack/cached-step.sh) with its output
# in logs/NAME.log and its time in logs/times.txt.
run_step() {
  local name=$1 key=$2
  shift 2
  cached_step hack/kind "$KSTAMPS" "$KLOGS/$name.log" "$KLOGS/times.txt" "$name" "$key" "$@"
}

# image NAME REF KEY imgtool-args...: one docker-format image tarball in $KIMAGES.
image() {
  local name=$1 ref=$2 key=$3; shift 3
  local tar=$KIMAGES/$name-${ref##*:}.tar
  run_step "image-$name" "$ref $key $(echo "$*" | sha256sum | cut -c1-8)" "$tar" -- \
    "$KBIN/imgtool" -tag "$ref" -out "$tar" "$@"
}
