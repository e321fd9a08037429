#!/bin/bash
# PID 1 (under tini) of a learner's sandbox: make cgroups writable, then run containerd and
# dockerd. Writes progress to /run/slipway/state so the runner can tell why a start failed.
set -u
mkdir -p /run/slipway
state() { echo "$*" >/run/slipway/state; }
log() { echo "slipway-entrypoint: $*" >&2; }

state cgroups
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  # cgroup v2: move ourselves into a leaf and hand the controllers to children.
  mkdir -p /sys/fs/cgroup/init
  echo $$ >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true
  sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers \
    >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || log "cannot enable cgroup v2 controllers"
else
  # cgroup v1: Docker mounts each controller read-only; with --cgroupns private a fresh
  # mount is rooted at this container's own cgroup, so remount each one read-write.
  for dir in /sys/fs/cgroup/*; do
    [ -d "$dir" ] && [ ! -L "$dir" ] || continue
    ctrl=$(basename "$dir")
    opts="$ctrl"
    case "$ctrl" in
      unified) continue ;;
      systemd) opts="none,name=systemd" ;;
    esac
    umount "$dir" 2>/dev/null || true
    mount -t cgroup -o "$opts" cgroup "$dir" || log "cannot mount cgroup $ctrl"
  done
  # The runner (host root) hands this cgroup to our remapped root right after start; the
  # inner engine cannot create its containers' cgroups before that, so wait for it.
  # (It comes within a few ms of start; a short poll keeps that off the start time.)
  for _ in $(seq 1 500); do
    [ "$(stat -c %u /sys/fs/cgroup/memory/cgroup.procs 2>/dev/null)" = 0 ] && break
    sleep 0.02
  done
fi

# On a cluster the node's agent readies the sandbox after it starts (a prepared store of its
# images in /var/lib/docker, then its cgroups): the engine starts only once it says so.
if [ -n "${SLIPWAY_WAIT_HANDOVER_S:-}" ]; then
  state handover
  for _ in $(seq 1 $(( SLIPWAY_WAIT_HANDOVER_S * 20 ))); do
    [ -e /run/slipway/handed-over ] && break
    sleep 0.05
  done
fi

# The learner's shell (under slipway-tty) keeps its socket here.
mkdir -p /run/slipway/tty

# The engine also listens in its data volume, which the sandbox's checker (a container beside
# it, with tools the learner cannot touch) mounts read-only: its way to this engine's API.
api=/var/lib/docker/.slipway-api
rm -rf "$api" && mkdir -m 0711 "$api"

# The engine's Go daemons (dockerd, containerd, a shim per container) collect garbage sooner:
# with containerd's CRI plugin off too, an idle sandbox holds ~45 MiB of anonymous memory
# instead of ~56, and an inner `docker run` costs no measurable extra CPU (GOGC=25 saved
# 3 MiB more but cost ~15% more CPU per container started).
export GOGC=50

if [ "${SLIPWAY_ISOLATION:-userns}" = rootless ]; then
  # The learner is not root here: their engine runs as them through RootlessKit (its own user
  # namespace, slirp4netns networking), with its data on the sandbox's /var/lib/docker volume.
  state dockerd
  chown learner: /root /run/slipway/tty
  chmod 0711 /var/lib/docker
  install -d -o learner -g learner -m 0700 /run/user/1000 /var/lib/docker/rootless
  chown learner: "$api"
  install -d -o learner -g learner /root/.config /root/.config/docker
  cp /etc/docker/daemon.json /root/.config/docker/daemon.json
  chown learner: /root/.config/docker/daemon.json
  # shellcheck disable=SC2086
  su learner -s /bin/bash -c "export XDG_RUNTIME_DIR=/run/user/1000 HOME=/root GOGC=$GOGC; exec /usr/share/docker.io/contrib/dockerd-rootless.sh --data-root /var/lib/docker/rootless -H unix:///run/user/1000/docker.sock -H unix://$api/docker.sock ${SLIPWAY_DOCKERD_ARGS:-}" \
    >/var/log/dockerd.log 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 400); do
    if docker version >/dev/null 2>&1; then state ready; break; fi
    kill -0 "$dockerd_pid" 2>/dev/null || { state "failed: dockerd exited"; break; }
    sleep 0.05
  done
  wait "$dockerd_pid"
  state "failed: dockerd exited with code $?"
  tail -n 20 /var/log/dockerd.log >&2
  exit 1
fi

state containerd
containerd >/var/log/containerd.log 2>&1 &
for _ in $(seq 1 100); do
  [ -S /run/containerd/containerd.sock ] && break
  sleep 0.05
done

state dockerd
# Extra flags (e.g. a classroom registry mirror) come from the runner.
# shellcheck disable=SC2086
dockerd --containerd=/run/containerd/containerd.sock -H unix:///var/run/docker.sock -H "unix://$api/docker.sock" ${SLIPWAY_DOCKERD_ARGS:-} >/var/log/dockerd.log 2>&1 &
dockerd_pid=$!
# Its API's _ping through curl: far cheaper to ask than the docker CLI, so it can be asked often.
for _ in $(seq 1 400); do
  if curl -sf --unix-socket /var/run/docker.sock http://engine/_ping >/dev/null 2>&1; then
    state ready
    break
  fi
  kill -0 "$dockerd_pid" 2>/dev/null || { state "failed: dockerd exited"; break; }
  sleep 0.025
done
wait "$dockerd_pid"
state "failed: dockerd exited with code $?"
tail -n 20 /var/log/dockerd.log >&2
exit 1
