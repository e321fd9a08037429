#!/usr/bin/env bash
# The cluster layer of `make test` (and `make test-cluster`): makes a 3-node Swarm cluster on
# this machine, runs the cluster tests (Vitest) and the cluster E2E test (Chromium) against it,
# and removes it again, whatever happened.
source "$(dirname "$0")/lib.sh"
cd "$SLIPWAY_ROOT"
export PATH="$SLIPWAY_ROOT/node_modules/.bin:$PATH"
trap 'bash scripts/test-cluster.sh down' EXIT
bash scripts/test-cluster.sh up >/dev/null
TEST_CLUSTER=keep vitest run --project cluster
playwright test --project cluster
