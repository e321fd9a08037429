#!/usr/bin/env bash
# Starts Slipway's own Docker engine for sandboxes, unless it already answers.
#
# Why a dedicated engine: sandboxes run a real dockerd inside, which needs SYS_ADMIN and an
# unconfined seccomp profile. On an engine with --userns-remap, root inside a sandbox maps
# to an unprivileged host uid, so the known escapes (core_pattern, host devices, cgroup
# limits) are denied. It runs beside any other engine on the host, with its own socket,
# data root, bridge and containerd namespace, and never touches the other one. With
# --live-restore, sandboxes keep running while this engine restarts (an upgrade, a crash).
source "$(dirname "$0")/lib.sh"

SOCK="${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}"
DATA="${SLIPWAY_ENGINE_DATA:-/var/lib/slipway/docker}"
EXEC="${SLIPWAY_ENGINE_EXEC:-/run/slipway/exec}"
BRIDGE="${SLIPWAY_ENGINE_BRIDGE:-slw0}"
BRIDGE_CIDR="${SLIPWAY_ENGINE_BRIDGE_CIDR:-10.200.0.1/24}"
POOL="${SLIPWAY_ENGINE_POOL:-10.201.0.0/16}"
LOG="${SLIPWAY_ENGINE_LOG:-/var/log/slipway-dockerd.log}"
PIDFILE="$(dirname "$SOCK")/dockerd.pid"
STORE="${SLIPWAY_ENGINE_STORE:-xfs}"
STORE_FILE="${SLIPWAY_ENGINE_STORE_FILE:-/var/lib/slipway/engine-store.xfs}"

# New sandboxes start from a copy of a prepared engine store holding their lab's images (the
# runner's image seeds). On XFS with reflink that copy shares blocks with the seed: ~0.2 s
# and no data written, instead of ~100 MB written per sandbox (1-3 s on this ext4 disk).
# So the data root lives on an XFS file system in a sparse file, unless it is already a
# mount point or already holds an engine's data (which stays where it is, copied in full).
ensure_store() {
  [ "$STORE" = xfs ] || return 0
  mountpoint -q "$DATA" && return 0
  if [ -n "$(ls -A "$DATA" 2>/dev/null)" ]; then
    info "$DATA already holds data on its own file system: sandboxes are seeded by a full copy"
    return 0
  fi
  command -v mkfs.xfs >/dev/null || { info "no mkfs.xfs: sandboxes are seeded by a full copy"; return 0; }
  if [ ! -f "$STORE_FILE" ]; then
    # Sparse: it takes disk only as it fills; at most 4/5 of the free space, at most 64 GiB.
    local free_kib size_kib
    free_kib=$(df --output=avail -k "$(dirname "$STORE_FILE")" | tail -1)
    size_kib=$(( free_kib * 4 / 5 )); [ "$size_kib" -gt 67108864 ] && size_kib=67108864
    step "Creating the engine store: XFS with reflink in $STORE_FILE ($(( size_kib / 1048576 )) GiB, sparse)"
    truncate -s "${size_kib}K" "$STORE_FILE"
    mkfs.xfs -q -m reflink=1 "$STORE_FILE" || { rm -f "$STORE_FILE"; info "mkfs.xfs failed: full copies"; return 0; }
  fi
  mount -o loop,discard "$STORE_FILE" "$DATA" || info "could not mount $STORE_FILE: sandboxes are seeded by a full copy"
}

# A cluster node (scripts/cluster-init.sh, join-cluster.sh) runs its engine in cluster mode:
# Swarm refuses --live-restore; services cannot set seccomp (before Engine 25) or the cgroup
# namespace, so the engine's defaults do; its labels say it takes sandboxes and its name; and it
# never pulls a service's image (each node runs its own build).
CLUSTER_ENV=/etc/slipway/cluster.env
# shellcheck disable=SC1090
[ -f "$CLUSTER_ENV" ] && source "$CLUSTER_ENV"
MODE_ARGS=(--live-restore)
if [ "${SLIPWAY_ENGINE_MODE:-single}" = cluster ]; then
  mkdir -p /etc/slipway
  echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}' >/etc/slipway/seccomp-allow.json
  MODE_ARGS=(--seccomp-profile /etc/slipway/seccomp-allow.json --default-cgroupns-mode private
    --label "slipway.sandboxes=${SLIPWAY_NODE_SANDBOXES:-true}"
    --label "slipway.name=${SLIPWAY_NODE_NAME:-$(hostname)}")
  export DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1
fi

answers() { docker -H "unix://$SOCK" version >/dev/null 2>&1; }
# Rootless sandboxes (SLIPWAY_ISOLATION=rootless) open the TUN device as their unprivileged
# learner, for slirp4netns; 0666 is Debian's own default for it.
host_devices() { if [ -c /dev/net/tun ]; then chmod 0666 /dev/net/tun; fi; }

if answers; then
  info "Slipway engine answers at unix://$SOCK"
  bash "$(dirname "$0")/ensure-firewall.sh"
  host_devices
  exit 0
fi
need_root "Starting the sandbox engine"
command -v dockerd >/dev/null || die "dockerd not found: run scripts/ensure-packages.sh first"

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  info "dockerd (pid $(cat "$PIDFILE")) is starting; waiting for it"
else
  step "Starting the Slipway sandbox engine (userns-remap) at unix://$SOCK"
  rm -f "$PIDFILE"
  mkdir -p "$(dirname "$SOCK")" "$DATA" "$EXEC"
  ensure_store
  # Its own bridge: with only --bip a second engine would take over docker0.
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  nohup dockerd \
    --host "unix://$SOCK" \
    --data-root "$DATA" \
    --exec-root "$EXEC" \
    --pidfile "$PIDFILE" \
    --bridge "$BRIDGE" \
    --default-address-pool "base=$POOL,size=24" \
    --userns-remap default \
    "${MODE_ARGS[@]}" \
    --cgroup-parent /slipway \
    --containerd-namespace slipway \
    --containerd-plugins-namespace slipway-plugins \
    --log-opt max-size=10m --log-opt max-file=2 \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE.launch"
fi

for _ in $(seq 1 120); do
  if answers; then
    info "engine ready (log: $LOG)"
    bash "$(dirname "$0")/ensure-firewall.sh"
    host_devices
    exit 0
  fi
  sleep 0.5
done
tail -n 20 "$LOG" >&2 || true
die "the sandbox engine did not answer within 60s; see $LOG"
