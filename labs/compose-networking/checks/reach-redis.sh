# web's /ready (which pings Redis and changes nothing) answers 200, and web names Redis by a
# name, not an IP address.
# svc NAME: the container of Compose service NAME in the project in /root/app, or nothing.
svc() {
  docker ps -a --format "{{.Names}}" --filter label=com.docker.compose.project.working_dir=/root/app \
    --filter label=com.docker.compose.oneoff=False --filter "label=com.docker.compose.service=$1" | head -n 1
}
# need SERVICE: the name of its running container; otherwise fails (use as: x=$(need s) || fail "$x").
need() {
  local c s
  c=$(svc "$1")
  [ -n "$c" ] || fail "There is no Compose service named \"$1\" in /root/app yet (docker compose ps shows what runs)."
  s=$(container_state "$c")
  [ "$s" = running ] || fail "The container of service \"$1\" ($c) is $s, not running. docker compose logs $1 shows why."
  printf "%s" "$c"
}
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
answer=$(curl -s -m 5 -w '\n%{http_code}' http://localhost:8000/ready 2>/dev/null) || true
code=$(tail -n 1 <<<"$answer")
body=$(sed '$d' <<<"$answer")
case "$code" in
  200) ;;
  000 | "") fail "Nothing answers on http://localhost:8000 yet." ;;
  *)
    detail=$(jq -r '.detail // empty' <<<"$body" 2>/dev/null)
    fail "web answers $code on /ready: ${detail:-it does not reach Redis}" ;;
esac
host=$(jq -r '.redis // empty' <<<"$body" 2>/dev/null)
host=${host%:*}
if [[ "$host" =~ ^[0-9.]+$ ]]; then
  fail "web reaches Redis by its IP address $host. That address changes when the container is recreated: use a name."
fi
pass "web reaches Redis at $host:6379."
