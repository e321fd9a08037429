#!/usr/bin/env bash
# Shared by cluster-init.sh and join-cluster.sh: makes this host's engine a cluster node's
# (cluster mode, restarted if it ran otherwise), and once it is in the swarm, its firewall and
# its agent. Sourced, never run. Sets SOCK and TLS.
#   node_prepare ADDRESS|'' NODE_NET|'' SANDBOXES   set up, configure, engine in cluster mode
#   node_finish                                      firewall and agent
# shellcheck disable=SC2034 # used by the scripts that source this one
SOCK="${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}"
# shellcheck disable=SC2034
TLS=/var/lib/slipway/cluster/tls
POOL=10.240.0.0/16       # the swarm's overlay networks, one per sandbox
GWBRIDGE=172.18.0.0/16   # docker_gwbridge: a sandbox's way out on its node

node_config() {
  mkdir -p /etc/slipway
  cat >/etc/slipway/cluster.env <<ENV
SLIPWAY_ENGINE_MODE=cluster
SLIPWAY_NODE_NAME=$1
SLIPWAY_NODE_ADDRESS=$2
SLIPWAY_NODE_NET=$3
SLIPWAY_NODE_SANDBOXES=$4
ENV
  info "wrote /etc/slipway/cluster.env (node $1 at $2)"
}

# The engine in cluster mode; one that runs in single-host mode is restarted (its sandboxes
# stop: a host becomes a node before a class, not during one).
node_engine() {
  local sock="${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}" pidfile
  pidfile="$(dirname "$sock")/dockerd.pid"
  if docker -H "unix://$sock" info --format '{{.LiveRestoreEnabled}}' 2>/dev/null | grep -q true; then
    step "Restarting Slipway's engine in cluster mode"
    kill -TERM "$(cat "$pidfile")"
    for _ in $(seq 1 300); do kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null || break; sleep 0.1; done
  fi
  bash "$SLIPWAY_ROOT/scripts/ensure-engine.sh"
}

node_finish() {
  # shellcheck disable=SC1091
  source /etc/slipway/cluster.env
  bash "$SLIPWAY_ROOT/scripts/cluster-firewall.sh" - "$SLIPWAY_NODE_NET" "$GWBRIDGE" "$POOL"
  bash "$SLIPWAY_ROOT/scripts/cluster-agent.sh" start
}

# Sets ADDRESS and NODE_NET (defaults: the host's outward address, its /24).
node_prepare() {
  ADDRESS="${1:-$(default_address)}"
  [ -n "$ADDRESS" ] || die "could not tell this host's address: pass --address IP"
  NODE_NET="${2:-${ADDRESS%.*}.0/24}"
  bash "$SLIPWAY_ROOT/scripts/setup.sh"
  node_config "$(hostname)" "$ADDRESS" "$NODE_NET" "$3"
  node_engine
}

default_address() { ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}'; }
