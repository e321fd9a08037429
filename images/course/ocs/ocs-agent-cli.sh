#!/bin/sh
exec python3 /app/ocs/agent_cli.py "$@"
