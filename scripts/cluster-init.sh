#!/usr/bin/env bash
# Makes this host the first node of a Slipway cluster: the swarm's manager, where the platform
# runs. Then prints the one command to run on every further host. Safe to run again.
#   cluster-init.sh [--address IP] [--node-net CIDR] [--no-sandboxes]
#     --address     this host's address on the network between the hosts (default: its
#                   address toward the outside)
#     --node-net    that network (default: the /24 around --address)
#     --no-sandboxes  this host runs the platform only, no sandboxes
source "$(dirname "$0")/lib.sh"
source "$SLIPWAY_ROOT/scripts/cluster-node.sh"
need_root "Making a cluster"
ADDRESS="" NODE_NET="" SANDBOXES=true
while [ $# -gt 0 ]; do
  case "$1" in
    --address) ADDRESS=$2; shift 2 ;;
    --node-net) NODE_NET=$2; shift 2 ;;
    --no-sandboxes) SANDBOXES=false; shift ;;
    *) die "unknown option $1 (see the top of this script)" ;;
  esac
done
node_prepare "$ADDRESS" "$NODE_NET" "$SANDBOXES"
if [ "$(docker -H "unix://$SOCK" info --format '{{.Swarm.ControlAvailable}}')" != true ]; then
  step "Starting the swarm (manager at $ADDRESS)"
  docker -H "unix://$SOCK" swarm init --advertise-addr "$ADDRESS" \
    --default-addr-pool "$POOL" --default-addr-pool-mask-length 24 >/dev/null
fi
bash "$SLIPWAY_ROOT/scripts/cluster-credentials.sh" "$TLS"
node_finish
cat >/etc/slipway/runner.env <<ENV
SLIPWAY_PROVIDER=swarm
SLIPWAY_DOCKER_SOCKET=$SOCK
SLIPWAY_AGENT_TLS_DIR=$TLS
ENV
token=$(docker -H "unix://$SOCK" swarm join-token -q worker)
creds=$(tar -C "$TLS" -czf - ca.pem agent.pem agent-key.pem | base64 -w0)
step "This host is the cluster's manager. \`make up\` runs the platform on it (settings in /etc/slipway/runner.env)."
cat <<MSG
On every further host, from a clone of this repository at the same commit, run (as root):

  bash scripts/join-cluster.sh --manager $ADDRESS:2377 --token $token --credentials $creds

Between the hosts, open TCP 2377 (to this manager), TCP and UDP 7946, UDP 4789 (the swarm's
own traffic) and TCP 7443 (from this host to every node's agent). The join command holds the
agents' key and the swarm's token: treat it like a password.
MSG
