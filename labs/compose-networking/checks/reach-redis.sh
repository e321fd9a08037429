# web's /ready (which pings Redis and changes nothing) answers 200, and web names Redis by a
# name, not an IP address.
svc() { compose_container /root/app "$1"; }
need() { compose_running /root/app "$1"; }
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
    detail=${detail%.}
    # A fix made in .env but not applied yet: the container still has the old value.
    now=$(docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$web" | sed -n 's/^REDIS_HOST=//p')
    want=$(sed -n 's/^REDIS_HOST=//p' /root/app/.env 2>/dev/null | tail -n 1)
    note=""
    [ -z "$want" ] || [ "$now" = "$want" ] ||
      note=" web still runs with REDIS_HOST=$now: the change to /root/app/.env has not been applied yet."
    fail "web answers $code on /ready: ${detail:-it does not reach Redis}.$note" ;;
esac
host=$(jq -r '.redis // empty' <<<"$body" 2>/dev/null)
host=${host%:*}
if [[ "$host" =~ ^[0-9.]+$ ]]; then
  fail "web reaches Redis by its IP address $host. That address changes when the container is recreated: use a name."
fi
pass "web reaches Redis at $host:6379."
