# web and redis are both on the network the compose file declares as rag-network (a bridge),
# and web still reaches Redis.
svc() { compose_container /root/app "$1"; }
need() { compose_running /root/app "$1"; }
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
# on_rag CONTAINER: prints the name of its network declared as rag-network, if any.
on_rag() {
  local n
  for n in $(docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$1"); do
    if [ "$n" = rag-network ] ||
      [ "$(docker network inspect -f '{{index .Labels "com.docker.compose.network"}}' "$n" 2>/dev/null)" = rag-network ]; then
      printf '%s' "$n"
      return 0
    fi
  done
  return 1
}
nets() { docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$1"; }
net=$(on_rag "$web") || fail "web is not on a network declared as rag-network; it is on: $(nets "$web")"
on_rag "$redis" >/dev/null || fail "redis is not on a network declared as rag-network; it is on: $(nets "$redis")"
driver=$(docker network inspect -f '{{.Driver}}' "$net")
[ "$driver" = bridge ] || fail "The network $net uses the $driver driver, not bridge."
code=$(http_status http://localhost:8000/ready)
[ "$code" = 200 ] || fail "Both are on $net, but web does not reach Redis any more (/ready answers $code)."
pass "web and redis share $net."
