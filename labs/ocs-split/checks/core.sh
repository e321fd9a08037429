# Task: influxdb and crossbar run in the project started from /root/ocs/core, on ocs-net,
# with pinned tags, answering on their published ports.
need_service() { # need_service SERVICE DIR: sets C to its running container, or fails
  C=$(compose_container "$2" "$1")
  if [ -z "$C" ]; then
    local elsewhere
    elsewhere=$(docker ps -a --filter "label=com.docker.compose.service=$1" \
      --format '{{.Label "com.docker.compose.project.working_dir"}}' | head -n 1)
    [ -z "$elsewhere" ] || fail "$1 runs from a Compose project in $elsewhere, not from $2."
    fail "No Compose service called $1 runs from $2 yet."
  fi
  local s image nets
  s=$(container_state "$C")
  [ "$s" = running ] || fail "The $1 service exists but is $s, not running: look at its logs."
  nets=$(docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$C")
  case " $nets" in
    *" ocs-net "*) ;;
    *) fail "$1 is running on ${nets% }, not on ocs-net. (After changing the networks of a file, recreate its containers: Compose keeps running ones.)" ;;
  esac
  image=$(container_image "$C")
  case "${image##*/}" in
    *:latest) fail "$1 runs $image: pin a version tag instead of latest." ;;
    *:* | *@*) ;;
    *) fail "$1 runs $image without a tag, which means latest: pin a version tag." ;;
  esac
}
need_service influxdb /root/ocs/core
need_service crossbar /root/ocs/core
bind=$(docker container inspect -f '{{range index .NetworkSettings.Ports "8001/tcp"}}{{.HostIp}} {{end}}' "$C")
[ "$bind" = "127.0.0.1 " ] || fail "crossbar's port 8001 must be published on 127.0.0.1 only, as in the original file."
[ "$(http_status http://127.0.0.1:8086/ping)" = 204 ] || fail "InfluxDB does not answer on http://127.0.0.1:8086/ping yet."
# Any HTTP answer will do: /ws wants a WebSocket upgrade and says so.
[ "$(http_status http://127.0.0.1:8001/ws)" != 000 ] || fail "crossbar does not answer on http://127.0.0.1:8001 yet."
pass
