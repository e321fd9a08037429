# "writer" (the writer image) runs as UID 1000 with the volume app-data at /data, which UID
# 1000 owns, and keeps appending to /data/heartbeat.log (it writes every 5 seconds).
state=$(container_state writer)
[ -n "$state" ] || fail "There is no container named \"writer\" right now."
case "$(container_image writer)" in
  writer | writer:latest) ;;
  *)
    [ "$(docker container inspect -f '{{.Image}}' writer 2>/dev/null)" = "$(docker image inspect -f '{{.Id}}' writer 2>/dev/null)" ] ||
      fail "The container \"writer\" runs $(container_image writer), not the writer image." ;;
esac
src=$(mount_source writer /data)
[ -n "$src" ] || fail "\"writer\" has nothing mounted at /data."
[ "$src" = app-data ] || fail "\"writer\" has \"$src\" mounted at /data, not the volume \"app-data\"."
if [ "$state" != running ]; then
  code=$(docker container inspect -f '{{.State.ExitCode}}' writer)
  fail "\"writer\" is $state (exit code $code), not running: docker logs writer shows why."
fi
# shellcheck disable=SC2016 # expanded by the container's shell
facts=$(docker exec writer sh -c 'id -u; stat -c %u /data
  if [ -s /data/heartbeat.log ]; then echo $(( $(date +%s) - $(stat -c %Y /data/heartbeat.log) )); else echo none; fi' 2>/dev/null) ||
  fail "\"writer\" is not answering yet."
{ read -r uid; read -r owner; read -r age; } <<<"$facts"
[ "$uid" = 1000 ] || fail "\"writer\" now runs as UID $uid. It must keep running as UID 1000, the user its image sets."
[ "$owner" = 1000 ] || fail "\"writer\" runs, but /data in \"app-data\" still belongs to UID $owner, not to writer's user."
[ "$age" != none ] || fail "\"writer\" runs, but /data/heartbeat.log is not there yet."
[ "$age" -le 15 ] || fail "\"writer\" runs, but nothing has been added to /data/heartbeat.log for $age seconds: is it running its own command?"
pass
