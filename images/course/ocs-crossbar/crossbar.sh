#!/bin/sh
# `crossbar start` / `crossbar version`, as in the real image; runs the stand-in router.
case "${1:-start}" in
  start) exec python3 /app/crossbar/crossbar.py ;;
  version) echo "Crossbar stand-in for simonsobs/ocs-crossbar (Slipway course): WAMP v2 JSON router" ;;
  *) echo "usage: crossbar start | crossbar version" >&2; exit 2 ;;
esac
