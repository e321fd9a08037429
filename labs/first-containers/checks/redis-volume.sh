state=$(container_state cache)
[ -n "$state" ] || fail "There is no container named \"cache\" yet."
case "$(container_image cache)" in
  redis | redis:latest) ;;
  *) fail "The container \"cache\" runs $(container_image cache), not the redis image." ;;
esac
volume_exists redis-data || fail "There is no volume named \"redis-data\" yet."
src=$(mount_source cache /data)
[ -n "$src" ] || fail "\"cache\" has nothing mounted at /data."
[ "$src" = redis-data ] || fail "\"cache\" has \"$src\" mounted at /data, not the volume \"redis-data\"."
[ "$state" = running ] || fail "\"cache\" has the right volume but is $state, not running."
pass
