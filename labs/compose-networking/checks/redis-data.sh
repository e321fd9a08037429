# redis has a named volume declared as redis-data at /data; the project was taken down
# (its networks removed) after that volume was created; and the Redis that runs now loaded
# keys from it when it started.
svc() { compose_container /root/app "$1"; }
need() { compose_running /root/app "$1"; }
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
vol=$(mount_source "$redis" /data)
label=$(docker volume inspect -f '{{index .Labels "com.docker.compose.volume"}}' "$vol" 2>/dev/null)
if [ "$vol" != redis-data ] && [ "$label" != redis-data ]; then
  [[ "$vol" =~ ^[0-9a-f]{64}$ ]] && vol="an anonymous volume"
  fail "redis has no volume declared as redis-data at /data${vol:+ (it has $vol)}."
fi
created=$(date -d "$(docker volume inspect -f '{{.CreatedAt}}' "$vol")" +%s)
project=$(docker container inspect -f '{{index .Config.Labels "com.docker.compose.project"}}' "$redis")
downs=$(docker events --since 0 --until "$(date +%s)" --filter type=network --filter event=destroy \
  --format '{{.Time}} {{.Actor.Attributes.name}}' 2>/dev/null |
  awk -v t="$created" -v p="${project}_" '$1 > t && index($2, p) == 1' | wc -l)
if [ "$downs" = 0 ]; then
  docker events --since 0 --until "$(date +%s)" --filter type=volume --filter event=destroy \
    --format '{{.Actor.ID}}' 2>/dev/null | grep -qx "$vol" &&
    fail "The volume $vol was removed at some point (docker compose down -v removes volumes) and this one is new. Count some hits, then take the project down and up again without -v."
fi
[ "$downs" -gt 0 ] || fail "The project has not been taken down (with docker compose down) since the volume $vol was created."
loaded=$(docker exec "$redis" redis-cli INFO persistence 2>/dev/null | tr -d '\r' | sed -n 's/^rdb_last_load_keys_loaded://p')
[ -n "$loaded" ] || fail "Redis in $redis does not answer yet."
[ "$loaded" -gt 0 ] || fail "This Redis started with an empty /data: nothing was loaded from $vol. Count some hits first, then take the project down and up again."
hits=$(docker exec "$redis" redis-cli GET hits 2>/dev/null | tr -d '\r')
[ -n "$hits" ] || fail "Redis has no \"hits\" key: count some hits with /hits."
pass "The counter survived down and up: hits = $hits."
