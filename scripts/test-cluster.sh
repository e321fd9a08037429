#!/usr/bin/env bash
# A Docker Swarm cluster of N nodes on this one machine, for the cluster tests: each node is a
# user-namespaced engine in a network namespace of its own (the recipe in the project notes),
# joined into one swarm, labelled for sandboxes, holding the images, with its node agent.
#
#   test-cluster.sh up      make it (removing any earlier one first); prints where it is
#   test-cluster.sh down    remove everything it made: engines, agents, namespaces, bridge,
#                           firewall rules, data (stopped by pid, never by name)
#   test-cluster.sh env     the settings a runner uses for it (source-able)
#   test-cluster.sh agents  restart the node agents (after a change to their code)
#   test-cluster.sh stop-node I / start-node I   stop node I's engine (by its pid), start it again
#
# TEST_CLUSTER_NODES (default 3), TEST_CLUSTER_IMAGES (default: the sandbox image and the
# course images of the labs the cluster tests use; `all` for every course image).
source "$(dirname "$0")/lib.sh"
need_root "A test cluster"

N="${TEST_CLUSTER_NODES:-3}"
NET=10.210.0             # the nodes' own network (a bridge on this machine)
BRIDGE=slwc0
POOL=10.240.0.0/16       # overlay networks (one per sandbox)
GWBRIDGE=172.18.0.0/16   # each node's docker_gwbridge: sandboxes' way out
RUN=/run/slwc            # short: containerd's socket paths must fit
DATA=/var/lib/slipway/test-cluster
TLS="$DATA/tls"
AGENT_PORT=7443
MAIN_SOCK="${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}"
FW_COMMENT=slipway-test-cluster

node_ip() { echo "$NET.$((10 + $1))"; }
sock() { echo "$RUN/n$1.sock"; }
ns() { echo "slwc-n$1"; }
in_ns() { local i=$1; shift; nsenter --net="/var/run/netns/$(ns "$i")" "$@"; }
dk() { local i=$1; shift; docker -H "unix://$(sock "$i")" "$@"; }

stop_pid() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  step "Removing the test cluster"
  for i in $(seq 1 9); do
    stop_pid "$RUN/agent-n$i.pid"
    # Sandboxes first, so the engine stops cleanly; then the engine (by its pidfile).
    if [ -S "$(sock "$i")" ]; then
      dk "$i" ps -aq 2>/dev/null | xargs -r docker -H "unix://$(sock "$i")" rm -f >/dev/null 2>&1 || true
    fi
    stop_pid "$RUN/n$i.pid"
    ip netns del "$(ns "$i")" 2>/dev/null || true
    ip link del "slwcv$i" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  while iptables -S FORWARD 2>/dev/null | grep -q "$FW_COMMENT"; do
    rule=$(iptables -S FORWARD | grep "$FW_COMMENT" | head -n 1 | sed 's/^-A /-D /')
    eval "iptables $rule"
  done
  # Mounts the node engines left under their data roots (overlay, netns), then the data.
  grep " $DATA/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  grep " $RUN/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$DATA" "$RUN"
  info "no test cluster left"
}

engine() {
  local i=$1
  local log="$DATA/n$i.log"
  mkdir -p "$DATA/n$i" "$RUN/n$i"
  # Services name their image; a node uses its own copy and never tries to pull it.
  in_ns "$i" env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 nohup dockerd \
    --host "unix://$(sock "$i")" \
    --data-root "$DATA/n$i" \
    --exec-root "$RUN/n$i" \
    --pidfile "$RUN/n$i.pid" \
    --userns-remap default \
    --default-cgroupns-mode private \
    --seccomp-profile "$DATA/seccomp-allow.json" \
    --cgroup-parent "slwc-n$i" \
    --label slipway.sandboxes=true --label "slipway.name=n$i" \
    --log-level warn >>"$log" 2>&1 &
}

up() {
  down >/dev/null
  step "Making a $N-node Swarm cluster on this machine ($NET.0/24)"
  mkdir -p "$DATA" "$RUN" /var/run/netns
  # Services cannot set seccomp before Engine 25: the node engines run sandboxes only, so their
  # default profile lets everything through, as `seccomp=unconfined` does for one host.
  echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}' >"$DATA/seccomp-allow.json"
  ip link add "$BRIDGE" type bridge
  ip addr add "$NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT -m comment --comment "$FW_COMMENT"
  for i in $(seq 1 "$N"); do
    ip netns add "$(ns "$i")"
    ip link add "slwcv$i" type veth peer name eth0 netns "$(ns "$i")"
    ip link set "slwcv$i" master "$BRIDGE" up
    in_ns "$i" ip addr add "$(node_ip "$i")/24" dev eth0
    in_ns "$i" ip link set lo up
    in_ns "$i" ip link set eth0 up
    in_ns "$i" ip route add default via "$NET.1"
    engine "$i"
  done
  for i in $(seq 1 "$N"); do
    for _ in $(seq 1 300); do dk "$i" version >/dev/null 2>&1 && break; sleep 0.1; done
    dk "$i" version >/dev/null 2>&1 || { tail -n 20 "$DATA/n$i.log" >&2; die "node $i's engine did not start"; }
  done
  info "$N engines answer"

  dk 1 swarm init --advertise-addr "$(node_ip 1)" --listen-addr "$(node_ip 1):2377" \
    --default-addr-pool "$POOL" --default-addr-pool-mask-length 24 >/dev/null
  local token
  token=$(dk 1 swarm join-token -q worker)
  for i in $(seq 2 "$N"); do
    dk "$i" swarm join --token "$token" --advertise-addr "$(node_ip "$i")" "$(node_ip 1):2377" >/dev/null
  done
  info "swarm: $(dk 1 node ls --format '{{.ID}} {{.Status}} {{.ManagerStatus}}' | tr '\n' ';')"

  local images="${TEST_CLUSTER_IMAGES:-slipway/sandbox:latest slipway/course-nginx:latest slipway/course-redis:latest slipway/course-debian:latest}"
  [ "$images" = all ] && images="slipway/sandbox:latest $(docker -H "unix://$MAIN_SOCK" image ls --format '{{.Repository}}:{{.Tag}}' 'slipway/course-*' | tr '\n' ' ')"
  step "Loading images into every node ($(echo "$images" | wc -w) images)"
  local t0; t0=$(date +%s)
  # shellcheck disable=SC2086
  docker -H "unix://$MAIN_SOCK" save $images >"$DATA/images.tar"
  local loads=()
  for i in $(seq 1 "$N"); do
    dk "$i" load -q -i "$DATA/images.tar" >/dev/null &
    loads+=($!)
  done
  for p in "${loads[@]}"; do wait "$p" || die "loading images into a node failed"; done
  rm -f "$DATA/images.tar"
  info "loaded in $(( $(date +%s) - t0 ))s"

  bash "$SLIPWAY_ROOT/scripts/cluster-credentials.sh" "$TLS" >/dev/null
  for i in $(seq 1 "$N"); do
    bash "$SLIPWAY_ROOT/scripts/cluster-firewall.sh" "$(ns "$i")" "$NET.0/24" "$GWBRIDGE" "$POOL"
  done
  agents
  env_lines
}

# (Re)starts every node's agent (after a change to its code, say).
agents() {
  for i in $(seq 1 "$N"); do
    stop_pid "$RUN/agent-n$i.pid"
    # nsenter execs env, which execs node: $! is the agent's own pid.
    nsenter --net="/var/run/netns/$(ns "$i")" env SLIPWAY_AGENT_SOCKET="$(sock "$i")" \
      SLIPWAY_AGENT_ADDRESS="$(node_ip "$i")" SLIPWAY_AGENT_PORT="$AGENT_PORT" \
      SLIPWAY_AGENT_TLS_DIR="$TLS" SLIPWAY_AGENT_NODE="n$i" \
      "$SLIPWAY_ROOT/node_modules/.bin/node" "$SLIPWAY_ROOT/lab-runner/src/agent/main.ts" \
      </dev/null >"$DATA/agent-n$i.log" 2>&1 &
    echo $! >"$RUN/agent-n$i.pid"
  done
  for i in $(seq 1 "$N"); do
    for _ in $(seq 1 100); do grep -q listening "$DATA/agent-n$i.log" 2>/dev/null && break; sleep 0.1; done
    grep -q listening "$DATA/agent-n$i.log" || { cat "$DATA/agent-n$i.log" >&2; die "node $i's agent did not start"; }
  done
  info "agents listen on $NET.11-$((10 + N)):$AGENT_PORT"
}

env_lines() {
  cat <<ENV
SLIPWAY_PROVIDER=swarm
SLIPWAY_DOCKER_SOCKET=$(sock 1)
SLIPWAY_AGENT_TLS_DIR=$TLS
SLIPWAY_AGENT_PORT=$AGENT_PORT
SLIPWAY_MIRROR_CONTAINER=none
ENV
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  agents) agents ;;
  stop-node) stop_pid "$RUN/n${2:?which node}.pid"; info "node $2's engine stopped" ;;
  start-node)
    engine "${2:?which node}"
    for _ in $(seq 1 300); do dk "$2" version >/dev/null 2>&1 && break; sleep 0.1; done
    dk "$2" version >/dev/null 2>&1 || die "node $2's engine did not start"
    info "node $2's engine answers"
    ;;
  env) env_lines ;;
  *) die "usage: test-cluster.sh up|down|env|agents|stop-node I|start-node I" ;;
esac
