state=$(container_state writer)
[ -n "$state" ] || fail "There is no container named \"writer\" right now."
case "$(container_image writer)" in
  writer | writer:latest) ;;
  *) fail "The container \"writer\" runs $(container_image writer), not the writer image." ;;
esac
src=$(mount_source writer /data)
[ -n "$src" ] || fail "\"writer\" has nothing mounted at /data."
[ "$src" = app-data ] || fail "\"writer\" has \"$src\" mounted at /data, not the volume \"app-data\"."
if [ "$state" != running ]; then
  code=$(docker container inspect -f '{{.State.ExitCode}}' writer)
  fail "\"writer\" is $state (exit code $code), not running."
fi
uid=$(docker exec writer id -u 2>/dev/null) || fail "\"writer\" is not answering yet."
[ "$uid" = 1000 ] || fail "\"writer\" now runs as UID $uid. It must keep running as UID 1000, the user its image sets."
owner=$(docker exec writer stat -c %u /data 2>/dev/null)
[ "$owner" = 1000 ] || fail "\"writer\" runs, but /data in \"app-data\" still belongs to UID $owner, not to writer's user."
docker exec writer test -s /data/heartbeat.log 2>/dev/null || fail "\"writer\" runs, but /data/heartbeat.log is not there yet."
pass
