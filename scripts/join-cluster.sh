#!/usr/bin/env bash
# Makes this host a node of a Slipway cluster: installs what it lacks (its engine and its own
# build of the images: hosts may be another CPU kind), joins the swarm, says it takes
# sandboxes, and starts its agent. cluster-init.sh on the manager prints this command.
#   join-cluster.sh --manager IP:2377 --token TOKEN --credentials BASE64 [--address IP] [--node-net CIDR]
source "$(dirname "$0")/lib.sh"
source "$SLIPWAY_ROOT/scripts/cluster-node.sh"
need_root "Joining a cluster"
MANAGER="" TOKEN="" CREDS="" ADDRESS="" NODE_NET=""
while [ $# -gt 0 ]; do
  case "$1" in
    --manager) MANAGER=$2; shift 2 ;;
    --token) TOKEN=$2; shift 2 ;;
    --credentials) CREDS=$2; shift 2 ;;
    --address) ADDRESS=$2; shift 2 ;;
    --node-net) NODE_NET=$2; shift 2 ;;
    *) die "unknown option $1 (see the top of this script)" ;;
  esac
done
[ -n "$MANAGER" ] && [ -n "$TOKEN" ] && [ -n "$CREDS" ] || die "--manager, --token and --credentials are needed (cluster-init.sh prints them)"
node_prepare "$ADDRESS" "$NODE_NET" true
mkdir -p "$TLS" && chmod 700 "$TLS"
echo "$CREDS" | base64 -d | tar -C "$TLS" -xzf -
if [ "$(docker -H "unix://$SOCK" info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  step "Joining the swarm at $MANAGER"
  docker -H "unix://$SOCK" swarm join --token "$TOKEN" --advertise-addr "$ADDRESS" "$MANAGER" >/dev/null
fi
node_finish
step "This host is a node of the cluster: new sandboxes may start here."
