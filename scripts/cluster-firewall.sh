#!/usr/bin/env bash
# On a cluster node: sandboxes may not open connections to the node itself (its engine's and
# agent's ports, Swarm's) nor to the other nodes, only out past them. Run after the node's
# engine started (it makes the DOCKER-USER chain). Safe to run again.
#   cluster-firewall.sh NETNS|- NODE_NET SANDBOX_NET...
#     NETNS     the node's network namespace (the test cluster), or - for this host's own
#     NODE_NET  the nodes' network, e.g. 10.0.5.0/24
#     SANDBOX_NET  where sandbox traffic comes from: the node's docker_gwbridge and the overlay pool
source "$(dirname "$0")/lib.sh"
NETNS="${1:?usage: cluster-firewall.sh NETNS|- NODE_NET SANDBOX_NET...}"
NODE_NET="${2:?the network of the nodes}"
shift 2
ipt() {
  if [ "$NETNS" = - ]; then iptables "$@"; else nsenter --net="/var/run/netns/$NETNS" iptables "$@"; fi
}
rule() { ipt -C "$@" 2>/dev/null || ipt -I "$@"; }
for net in "$@"; do
  rule INPUT -s "$net" -m conntrack --ctstate NEW -j DROP -m comment --comment slipway-cluster
  rule DOCKER-USER -s "$net" -d "$NODE_NET" -j DROP -m comment --comment slipway-cluster
done
