#!/usr/bin/env bash
# Everything Slipway needs on this machine, installed only where missing. Safe to run again.
#   setup.sh          to run the platform
#   setup.sh --test   also what the tests need (Chromium)
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/ensure-packages.sh" "$@"
bash "$SLIPWAY_ROOT/scripts/ensure-node.sh"
bash "$SLIPWAY_ROOT/scripts/ensure-engine.sh"
bash "$SLIPWAY_ROOT/images/build.sh"
