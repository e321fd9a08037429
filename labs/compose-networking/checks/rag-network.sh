# web and redis are both on the network the compose file declares as rag-network (a bridge),
# on no other network (instead of the project's default one), and web still reaches Redis.
need() { compose_running /root/app "$1"; }
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
nets() { docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$1"; }
web_nets=$(nets "$web") redis_nets=$(nets "$redis")
# Each network of either container, as: NAME DECLARED-AS DRIVER (DECLARED-AS is - when Compose
# did not make it).
declare -A declared=() driver=()
while read -r n d drv; do
  declared[$n]=$d driver[$n]=$drv
done < <(docker network inspect -f '{{.Name}} {{or (index .Labels "com.docker.compose.network") "-"}} {{.Driver}}' \
  $(printf '%s\n' $web_nets $redis_nets | sort -u) 2>/dev/null)
# on_rag NAME NETWORKS: prints the network declared as rag-network among NETWORKS; fails with
# a reason unless it is the only one.
on_rag() {
  local n rag="" others=""
  for n in $2; do
    if [ "$n" = rag-network ] || [ "${declared[$n]:-}" = rag-network ]; then rag=$n; else others+="${others:+, }$n"; fi
  done
  [ -n "$rag" ] || fail "$1 is not on a network declared as rag-network; it is on: ${others:-no network}."
  [ -z "$others" ] || fail "$1 is on $rag, but also on $others: it should be on rag-network instead of the project's default network, not as well."
  printf '%s' "$rag"
}
net=$(on_rag web "$web_nets") || fail "$net"
out=$(on_rag redis "$redis_nets") || fail "$out"
[ "$out" = "$net" ] || fail "web is on $net and redis on $out: they should share one network."
[ "${driver[$net]:-}" = bridge ] || fail "The network $net uses the ${driver[$net]:-unknown} driver, not bridge."
code=$(http_status http://localhost:8000/ready)
[ "$code" = 200 ] || fail "Both are on $net, but web does not reach Redis any more (/ready answers $code)."
pass "web and redis share $net."
