# proxy on frontend only, web on frontend and backend, cache on backend only, and backend
# internal (frontend not), proven from state. Then probes that this check runs itself, between
# the lab's own containers: proxy cannot resolve cache; web reaches cache (through the proxy);
# and cache cannot reach the sandbox machine's address on frontend (proxy's published port
# 8080), which web, as a control, can.
D=/root/stack
proxy=$(compose_running $D proxy) || fail "$proxy"
web=$(compose_running $D web) || fail "$web"
cache=$(compose_running $D cache) || fail "$cache"
nets() { docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$1"; }
proxy_nets=$(nets "$proxy") web_nets=$(nets "$web") cache_nets=$(nets "$cache")
# Each network: the key the compose file declares it under (- when Compose did not make it),
# whether it is internal, and its gateway (the sandbox machine's own address on it).
declare -A declared=() internal=() gateway=() real=()
while read -r n d i g; do
  declared[$n]=$d internal[$n]=$i gateway[$n]=${g:-}
  [ "$d" = - ] || real[$d]=$n
done < <(docker network inspect -f '{{.Name}} {{or (index .Labels "com.docker.compose.network") "-"}} {{.Internal}} {{range .IPAM.Config}}{{.Gateway}}{{end}}' \
  $(printf '%s\n' $proxy_nets $web_nets $cache_nets | sort -u) 2>/dev/null)
# has SERVICE-NETWORKS KEY: the container is on the network declared as KEY.
has() { local n; for n in $1; do [ "${declared[$n]:-}" = "$2" ] && return 0; done; return 1; }
others() { # NETWORKS KEY...: the networks not declared as one of KEY...
  local n k out=""
  for n in $1; do
    for k in "${@:2}"; do [ "${declared[$n]:-}" = "$k" ] && continue 2; done
    out+="${out:+, }$n"
  done
  printf '%s' "$out"
}
for k in frontend backend; do
  has "$web_nets" $k || fail "web is not on a network declared as $k; it is on: ${web_nets% }. It must be on both frontend and backend, as it talks to proxy and to cache."
done
has "$proxy_nets" frontend || fail "proxy is not on a network declared as frontend; it is on: ${proxy_nets% }."
has "$cache_nets" backend || fail "cache is not on a network declared as backend; it is on: ${cache_nets% }."
has "$proxy_nets" backend && fail "proxy is on ${real[backend]} too: from there it could reach cache directly. proxy belongs on frontend only."
has "$cache_nets" frontend && fail "cache is on ${real[frontend]} too: everything on frontend, proxy included, could reach it. cache belongs on backend only."
for s in proxy web cache; do
  v=${s}_nets
  extra=$(others "${!v}" frontend backend)
  [ -z "$extra" ] || fail "$s is also on $extra: with the split, each service should be only on frontend, backend or both."
done
[ "${internal[${real[backend]}]}" = true ] ||
  fail "The network ${real[backend]} (backend) is not internal. If compose.yaml already says internal: true, note that docker compose up does not change a network that exists: take the project down and up again."
[ "${internal[${real[frontend]}]}" = false ] ||
  fail "The network ${real[frontend]} (frontend) is internal too: only backend should be."

# Probes, run by this check inside the lab's containers.
if hit=$(docker exec "$proxy" getent hosts cache 2>/dev/null); then
  fail "proxy can still resolve cache (${hit%% *}): the split did not take effect."
fi
answer=$(curl -s -m 5 http://localhost:8080/ 2>/dev/null)
[ "$(jq -r '.cache // empty' <<<"$answer" 2>/dev/null)" = PONG ] ||
  fail "Through the proxy, web does not reach cache any more: http://localhost:8080/ answers: ${answer:-nothing}"
gw=${gateway[${real[frontend]}]}
[ -n "$gw" ] || fail "The network ${real[frontend]} has no gateway address."
probe="timeout 2 bash -c '</dev/tcp/$gw/8080' 2>/dev/null"
docker exec "$web" bash -c "$probe" ||
  fail "web cannot reach the sandbox's address on frontend ($gw:8080), so the isolation of cache cannot be tested: is proxy published on port 8080?"
if docker exec "$cache" bash -c "$probe"; then
  fail "cache can reach out of its network (it connected to $gw:8080, the sandbox's address on frontend): backend is not isolated."
fi
pass "cache is on ${real[backend]} only, which is internal; proxy cannot see it."
