#!/usr/bin/env bash
# `make test`: set up what is missing, then run every test layer in order, fastest first.
source "$(dirname "$0")/lib.sh"
cd "$SLIPWAY_ROOT"
t0=$(date +%s)
bash scripts/setup.sh --test
export PATH="$SLIPWAY_ROOT/node_modules/.bin:$PATH" ASTRO_TELEMETRY_DISABLED=1 CI="${CI:-1}"

layers=(
  "site build|npm run --silent build"
  "type check|npm run --silent typecheck"
  "lint and format|npm run --silent lint"
  "unit tests|npm run --silent test:unit"
  "integration tests (real engine)|npm run --silent test:integration"
  "labs:test (every lab solved in a fresh sandbox)|npm run --silent labs:test"
  "end-to-end tests (Chromium)|npm run --silent test:e2e"
  "cluster tests (a 3-node swarm on this machine)|bash scripts/test-cluster-suite.sh"
)
summary=()
rm -rf test-results/diagnosis
for layer in "${layers[@]}"; do
  name="${layer%%|*}"; cmd="${layer#*|}"
  step "$name"
  s=$(date +%s)
  if ! bash -c "$cmd"; then
    # What a failed E2E lab left behind, last, where a log cut to its tail still shows it.
    for f in test-results/diagnosis/*.txt; do
      [ -f "$f" ] && head -c 2000 "$f"
    done
    die "$name failed"
  fi
  summary+=("$(printf '%-52s %4ss' "$name" "$(( $(date +%s) - s ))")")
done
step "All tests passed in $(( $(date +%s) - t0 ))s"
printf '    %s\n' "${summary[@]}"
