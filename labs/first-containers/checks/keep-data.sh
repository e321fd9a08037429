container_was_removed cache || fail "The first \"cache\" container has not been removed yet."
require_running cache
[ "$(mount_source cache /data)" = redis-data ] || fail "The new \"cache\" does not have the volume \"redis-data\" at /data."
value=$(docker exec cache redis-cli GET lesson 2>/dev/null) || fail "Redis in the new \"cache\" does not answer yet."
[ "$value" = fundamentals ] || fail "The new \"cache\" has no \"lesson\" key: was it saved before the old container was removed? (docker rm -f kills Redis before it can save.)"
pass
