# redis-data, proven from state that lasts:
# - redis has a named volume declared as redis-data at /data;
# - the project was taken down and up since that volume was created: its network is newer
#   than the volume (docker compose down removes the network and keeps the volume, up makes
#   a new network before it makes or finds the volume; restart, stop/start or a recreate keep
#   the network, and down -v makes the volume anew along with the network);
# - the Redis that runs now found the counter in the volume when it started (keys loaded),
#   saved there before its container was made, not by itself before a restart.
need() { compose_running /root/app "$1"; }
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
vol=$(mount_source "$redis" /data)
read -r label vol_created < <(docker volume inspect -f '{{or (index .Labels "com.docker.compose.volume") "-"}} {{.CreatedAt}}' "$vol" 2>/dev/null)
if [ "$vol" != redis-data ] && [ "${label:-}" != redis-data ]; then
  [[ "$vol" =~ ^[0-9a-f]{64}$ ]] && vol="an anonymous volume"
  fail "redis has no volume declared as redis-data at /data${vol:+ (it has $vol)}."
fi
vol_created=$(date -d "${vol_created:-}" +%s 2>/dev/null) || fail "The volume $vol does not answer yet."

# redis's container: created, started, its project and its networks.
read -r created started project nets < <(docker container inspect -f \
  '{{.Created}} {{.State.StartedAt}} {{index .Config.Labels "com.docker.compose.project"}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$redis")
created=$(date -d "$created" +%s.%N) started=$(date -d "$started" +%s.%N)
# The newest network of the project that redis is on (Compose's own; one declared external
# outlives down, so then the containers' creation time stands in for it).
made=$(docker network inspect -f '{{index .Labels "com.docker.compose.project"}} {{.Created.Unix}}' $nets 2>/dev/null |
  while read -r p t; do [ "$p" = "$project" ] && printf '%s\n' "$t"; done | sort -n | tail -n 1)
awk -v m="${made:-$created}" -v v="$vol_created" 'BEGIN { exit !(int(m) > v) }' || {
  awk -v m="${made:-$created}" -v v="$vol_created" 'BEGIN { exit !(v - int(m) <= 2) }' &&
    fail "The volume $vol was created when the project last came up, so nothing in it has been through a down and up yet (docker compose down -v removes volumes too). Count some hits, then take the project down and up again."
  fail "The project has not been taken down and brought up again since the volume $vol was created: a restart or a recreated container does not count."
}

# One exec: what Redis loaded at start, the counter, and when the snapshot was last written.
persistence=$(docker exec "$redis" sh -c 'redis-cli INFO persistence && echo "hits:$(redis-cli GET hits)" &&
  echo "saved:$(stat -c %.9Y /data/dump.rdb 2>/dev/null || echo 0)"' 2>/dev/null | tr -d '\r') ||
  fail "Redis in $redis does not answer yet."
case "$persistence" in *$'\n'loading:1*) fail "Redis in $redis is still loading its data." ;; esac
loaded=$(sed -n 's/^rdb_last_load_keys_loaded://p' <<<"$persistence")
[ -n "$loaded" ] || fail "Redis in $redis does not answer yet."
[ "$loaded" -gt 0 ] || fail "This Redis started with an empty /data: it found nothing in $vol. Count some hits first, then take the project down and up again."
saved=$(sed -n 's/^saved://p' <<<"$persistence")
if awk -v c="$created" -v s="${saved:-0}" -v t="$started" 'BEGIN { exit !(c < s && s < t) }'; then
  fail "This Redis found the counter that it saved itself before a restart: take the project down and up again, so that a new Redis finds it in $vol."
fi
hits=$(sed -n 's/^hits://p' <<<"$persistence")
[ -n "$hits" ] || fail "Redis has no \"hits\" key: count some hits with /hits."
pass "The counter survived down and up: hits = $hits."
