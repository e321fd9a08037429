#!/usr/bin/env bash
# This host's node agent (lab-runner/src/agent/): start (unless it runs) or stop it, by its pid.
#   cluster-agent.sh start|stop
# Reads /etc/slipway/cluster.env (written by cluster-init.sh or join-cluster.sh).
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
source /etc/slipway/cluster.env 2>/dev/null || die "this host is not a cluster node (no /etc/slipway/cluster.env)"
PIDFILE=/run/slipway/agent.pid
LOG=/var/log/slipway-agent.log
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
case "${1:-}" in
  start)
    if running; then info "node agent runs (pid $(cat "$PIDFILE"))"; exit 0; fi
    mkdir -p /run/slipway
    SLIPWAY_AGENT_SOCKET="${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}" \
      SLIPWAY_AGENT_ADDRESS="$SLIPWAY_NODE_ADDRESS" SLIPWAY_AGENT_NODE="${SLIPWAY_NODE_NAME:-$(hostname)}" \
      SLIPWAY_AGENT_TLS_DIR="${SLIPWAY_AGENT_TLS_DIR:-/var/lib/slipway/cluster/tls}" \
      nohup "$SLIPWAY_ROOT/node_modules/.bin/node" "$SLIPWAY_ROOT/lab-runner/src/agent/main.ts" \
      </dev/null >>"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
    for _ in $(seq 1 100); do tail -n 5 "$LOG" | grep -q listening && break; sleep 0.1; done
    running || { tail -n 20 "$LOG" >&2; die "the node agent did not start (log: $LOG)"; }
    info "node agent listens on $SLIPWAY_NODE_ADDRESS:${SLIPWAY_AGENT_PORT:-7443} (log: $LOG)"
    ;;
  stop)
    if running; then kill -TERM "$(cat "$PIDFILE")"; fi
    rm -f "$PIDFILE"
    ;;
  *) die "usage: cluster-agent.sh start|stop" ;;
esac
