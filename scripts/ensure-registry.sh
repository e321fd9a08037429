#!/usr/bin/env bash
# Runs the classroom mirror (slipway/registry) on Slipway's engine, unless it already runs as
# it should. One per engine, shared by every runner instance; its volume keeps pushed images.
#
# The mirror is READ-ONLY: nginx lets only pulls through to a read-only registry, and its
# volume is mounted read-only. Only the image build writes, through a short-lived writer of
# its own (images/build.sh). A mirror left by an older setup (writable, or from an older
# image) is replaced, and the new one rejoins the sandbox networks the old one served.
source "$(dirname "$0")/lib.sh"
export DOCKER_HOST="unix://${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}"
NAME="${SLIPWAY_REGISTRY_CONTAINER:-slipway-registry}"
PORT="${SLIPWAY_REGISTRY_PORT:-5055}"
IMAGE=slipway/registry:latest
VOLUME=slipway-registry-data
ALIAS=mirror # what sandboxes call it (lab-runner/src/sandbox/docker/docker-provider.ts)

image=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null) \
  || die "there is no $IMAGE image on $DOCKER_HOST (run images/build.sh registry)"
# What a mirror started by this script looks like: its label, today's image, its volume
# read-only.
want="read-only $image false"
have=$(docker container inspect -f \
  '{{index .Config.Labels "slipway.mirror"}} {{.Image}} {{range .Mounts}}{{if eq .Destination "/var/lib/docker-registry"}}{{.RW}}{{end}}{{end}}' \
  "$NAME" 2>/dev/null || true)
state=$(docker container inspect -f '{{.State.Status}}' "$NAME" 2>/dev/null || true)

if [ "$state" = running ] && [ "$have" = "$want" ]; then
  info "classroom mirror $NAME is running, read-only (127.0.0.1:$PORT)"
  exit 0
fi

# Sandbox networks the running mirror serves (the runner connects it to each one as
# "mirror"): the new one joins them again, so running sandboxes keep pulling.
networks=()
if [ -n "$state" ]; then
  while read -r net aliases; do
    [[ ",$aliases," == *",$ALIAS,"* ]] && networks+=("$net")
  done < <(docker container inspect -f \
    '{{range $net, $e := .NetworkSettings.Networks}}{{$net}} {{join $e.Aliases ","}}{{"\n"}}{{end}}' "$NAME")
  if [ "$state" = running ]; then
    info "replacing $NAME: it was not started as a read-only mirror of the current $IMAGE"
  fi
  docker rm -f "$NAME" >/dev/null
fi

step "Starting the classroom mirror $NAME (read-only) on 127.0.0.1:$PORT"
docker run -d --name "$NAME" --restart unless-stopped \
  --label slipway.app=slipway --label slipway.kind=registry --label slipway.mirror=read-only \
  --security-opt no-new-privileges \
  --mount "type=volume,source=$VOLUME,target=/var/lib/docker-registry,readonly" \
  -p "127.0.0.1:$PORT:5000" "$IMAGE" >/dev/null
for net in "${networks[@]}"; do
  docker network connect --alias "$ALIAS" "$net" "$NAME" 2>/dev/null \
    || info "could not rejoin network $net (its sandbox is gone?)"
done
[ ${#networks[@]} -eq 0 ] || info "rejoined ${#networks[@]} sandbox network(s)"
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && { info "mirror ready"; exit 0; }
  sleep 0.2
done
docker logs --tail 20 "$NAME" >&2
die "the classroom mirror did not answer on 127.0.0.1:$PORT"
