#!/usr/bin/env bash
# Every test berth has, on a fresh machine: unit tests, then a real local
# cluster (built offline and cached), the cluster/integration/e2e tests, and
# always a teardown of the cluster at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== unit tests"
npm test

echo "== local cluster"
trap 'echo "== teardown"; npm run --silent cluster:down || true' EXIT
npm run cluster:up

echo "== cluster tests (integration + e2e)"
export KUBECONFIG="${BERTH_STATE_DIR:-/var/lib/berth-local}/kubeconfig"
npm run test:cluster
