# keep-data, proven from state that lasts: the running "cache" found the key in the volume when
# its Redis started (keys loaded from the snapshot, not stored again), and it is a new container,
# not the first one restarted: a restart saves the snapshot after the container was created and
# before it started again, a replacement's snapshot is older than the container itself.
[ -n "$(container_state cache)" ] || fail "There is no \"cache\" container yet: the tasks above create it."
require_running cache
[ "$(mount_source cache /data)" = redis-data ] || fail "This \"cache\" does not have the volume \"redis-data\" at /data."
persistence=$(docker exec cache redis-cli INFO persistence 2>/dev/null | tr -d '\r') \
  || fail "Redis in \"cache\" does not answer yet."
case "$persistence" in *$'\n'loading:1*) fail "Redis in \"cache\" is still loading its data." ;; esac
loaded=$(sed -n 's/^rdb_last_load_keys_loaded://p' <<<"$persistence")
[ "${loaded:-0}" -ge 1 ] || fail "This \"cache\" started with an empty volume, so a key in it was stored after it started. Replace the container so that the new one finds the key in the volume: Redis must save it first (docker rm -f kills Redis before it can save)."
times=$(docker inspect -f '{{.Created}} {{.State.StartedAt}}' cache) || fail "Redis in \"cache\" does not answer yet."
created=$(date -d "${times% *}" +%s.%N) started=$(date -d "${times#* }" +%s.%N)
saved=$(docker exec cache stat -c %.9Y /data/dump.rdb 2>/dev/null) || saved=0
if awk -v c="$created" -v s="$saved" -v t="$started" 'BEGIN { exit !(c < s && s < t) }'; then
  fail "\"cache\" was restarted, not replaced: remove the container, then start a new one with the same volume."
fi
value=$(docker exec cache redis-cli GET lesson 2>/dev/null) || fail "Redis in \"cache\" does not answer yet."
[ "$value" = fundamentals ] || fail "The new \"cache\" found data in the volume, but no \"lesson\" key holding \"fundamentals\"."
pass
