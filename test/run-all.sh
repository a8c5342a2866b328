#!/usr/bin/env bash
# Every test berth has, on a fresh machine: unit tests, then a real local
# cluster (built offline and cached), the cluster/integration/e2e tests, then
# a real kind cluster (offline node image, berth cluster create --kind) with
# the demo's synth/deploy/verify on it; always a teardown of each cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

# The unit tests need shellcheck (lint) and jq (the kind runtime wrapper's test); a fresh Debian machine has neither.
missing=()
for tool in shellcheck jq; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]})) && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Each jest stage writes its results here; finish() prints the failures last, after any teardown,
# so the end of the log says what failed even when only the end is kept.
results="${TMPDIR:-/tmp}/berth-test-results"
rm -rf "$results" && mkdir -p "$results"
stage="unit tests"
teardown=""
finish() {
  local rc=$?
  case $teardown in
    cluster)
      echo "== teardown"
      npm run --silent cluster:down -- --purge || true
      ;;
    kind)
      echo "== kind teardown"
      npm run --silent kind:down || true
      ;;
  esac
  echo "== summary"
  if ((rc == 0)); then
    echo "all stages passed"
  else
    echo "failed in stage: $stage (exit $rc)"
    node test/failure-summary.js "$results"/*.json || true
  fi
  exit "$rc"
}
trap finish EXIT

echo "== unit tests"
npm test -- --json --outputFile="$results/unit.json"

echo "== local cluster"
# The tests get a cluster of their own, started from empty state and purged at the end: what a dev
# cluster or a killed earlier run left in etcd (apps in `default`, claims) must not decide a result.
# cluster:up refuses to start beside a running dev cluster (same bridge, ports and pod IPs).
export BERTH_STATE_DIR="${BERTH_TEST_STATE_DIR:-/var/lib/berth-test}" BERTH_RUN_DIR="${BERTH_TEST_RUN_DIR:-/run/berth-test}"
stage="local cluster start"
npm run --silent cluster:down -- --purge
teardown=cluster
# Two nodes: test/integration/nodes/ (node drain and node failure) needs a second node; every
# other cluster test runs the same on it. One cluster start is shared by all tests.
BERTH_NODES="${BERTH_NODES:-2}" npm run cluster:up

echo "== cluster tests (integration + e2e)"
stage="cluster tests"
export KUBECONFIG="$BERTH_STATE_DIR/kubeconfig"
npm run test:cluster -- --json --outputFile="$results/cluster.json"

# kind reuses the Kubernetes binaries and images cluster:up built. The local cluster goes first:
# both want memory, and kind's node would otherwise share this host's CPU with a cluster nobody uses now.
echo "== local cluster teardown"
teardown=""
npm run --silent cluster:down -- --purge || echo "== local cluster teardown failed (see above); the kind stage runs anyway"

echo "== kind cluster"
stage="kind cluster start"
teardown=kind
npm run kind:up

echo "== kind tests"
stage="kind tests"
KUBECONFIG="${BERTH_KIND_STATE_DIR:-/var/lib/berth-kind}/kubeconfig" BERTH_KIND_REQUIRED=1 npm run test:kind -- --json --outputFile="$results/kind.json"
