#!/bin/sh
# Entry point, named like the real image's; starts the Grafana stand-in.
exec python3 /usr/share/grafana/grafana.py "$@"
