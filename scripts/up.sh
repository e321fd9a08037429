#!/usr/bin/env bash
# `make up`: set up what is missing, build the site, run the platform in the foreground.
source "$(dirname "$0")/lib.sh"
cd "$SLIPWAY_ROOT"
bash scripts/setup.sh
export PATH="$SLIPWAY_ROOT/node_modules/.bin:$PATH" ASTRO_TELEMETRY_DISABLED=1
step "Building the site"
timed "astro build" npm run --silent build >/tmp/slipway-build.log 2>&1 || { tail -n 40 /tmp/slipway-build.log >&2; die "the site build failed (log: /tmp/slipway-build.log)"; }
# On a cluster's manager, scripts/cluster-init.sh wrote the runner's cluster settings here.
if [ -f /etc/slipway/runner.env ]; then
  set -a
  # shellcheck disable=SC1091
  source /etc/slipway/runner.env
  set +a
  info "cluster settings from /etc/slipway/runner.env (SLIPWAY_PROVIDER=$SLIPWAY_PROVIDER)"
fi
step "Starting Slipway (Ctrl-C stops it; sandboxes keep running and are adopted next time)"
exec node lab-runner/src/main.ts
