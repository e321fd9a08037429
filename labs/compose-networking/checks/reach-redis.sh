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
    fail "web answers $code on /ready: ${detail:-it does not reach Redis}" ;;
esac
host=$(jq -r '.redis // empty' <<<"$body" 2>/dev/null)
host=${host%:*}
if [[ "$host" =~ ^[0-9.]+$ ]]; then
  fail "web reaches Redis by its IP address $host. That address changes when the container is recreated: use a name."
fi
pass "web reaches Redis at $host:6379."
