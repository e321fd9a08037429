#!/usr/bin/env bash
# Runs the classroom mirror (slipway/registry) on Slipway's engine, unless it already runs.
# One per engine, shared by every runner instance; its volume keeps pushed images.
source "$(dirname "$0")/lib.sh"
export DOCKER_HOST="unix://${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}"
NAME="${SLIPWAY_REGISTRY_CONTAINER:-slipway-registry}"
PORT="${SLIPWAY_REGISTRY_PORT:-5055}"

state=$(docker container inspect -f '{{.State.Status}}' "$NAME" 2>/dev/null || true)
if [ "$state" = running ]; then
  info "classroom mirror $NAME is running (127.0.0.1:$PORT)"
  exit 0
fi
[ -n "$state" ] && docker rm -f "$NAME" >/dev/null
step "Starting the classroom mirror $NAME on 127.0.0.1:$PORT"
docker run -d --name "$NAME" --restart unless-stopped \
  --label slipway.app=slipway --label slipway.kind=registry \
  --mount type=volume,source=slipway-registry-data,target=/var/lib/docker-registry \
  -p "127.0.0.1:$PORT:5000" slipway/registry:latest >/dev/null
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && { info "mirror ready"; exit 0; }
  sleep 0.2
done
docker logs --tail 20 "$NAME" >&2
die "the classroom mirror did not answer on 127.0.0.1:$PORT"
