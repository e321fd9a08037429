if ! container_was_removed cache; then
  [ -n "$(container_state cache)" ] || fail "There is no \"cache\" container yet: the tasks above create it."
  fail "\"cache\" is still the first container: remove it, then start a new one with the same volume."
fi
require_running cache
[ "$(mount_source cache /data)" = redis-data ] || fail "The new \"cache\" does not have the volume \"redis-data\" at /data."
value=$(docker exec cache redis-cli GET lesson 2>/dev/null) || fail "Redis in the new \"cache\" does not answer yet."
[ "$value" = fundamentals ] || fail "The new \"cache\" has no \"lesson\" key: was it saved before the old container was removed? (docker rm -f kills Redis before it can save.)"
pass
