# web answers to the name app on frontend and not on backend, proven from the engine's DNS
# names of each of its network endpoints; proxy's configuration sends requests to app.
# Probes: app resolves in proxy, to web's address on frontend, and not in cache; the proxy
# answers on 8080.
D=/root/stack
web=$(compose_running $D web) || fail "$web"
cache=$(compose_running $D cache) || fail "$cache"
# web's endpoints: NETWORK DECLARED-AS IP ALIASES DNS-NAMES (lists comma-separated).
declare -A ip=() aliases=() dns=()
while read -r n addr al dn; do
  # The template ends in an empty line; an empty key would be an error that ends the check.
  [ -n "$n" ] || continue
  d=$(docker network inspect -f '{{or (index .Labels "com.docker.compose.network") "-"}}' "$n" 2>/dev/null)
  [ -n "$d" ] || continue
  ip[$d]=$addr aliases[$d]=$al dns[$d]=$dn
done < <(docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.IPAddress}} ,{{join $v.Aliases ","}}, ,{{join $v.DNSNames ","}},{{println}}{{end}}' "$web")
[ -n "${ip[frontend]:-}" ] && [ -n "${ip[backend]:-}" ] ||
  fail "web is not on both networks declared as frontend and backend yet (the first task)."
case "${dns[frontend]}" in
  *,app,*) ;;
  *) fail "web does not answer to app on frontend: proxy cannot find it by that name." ;;
esac
case "${dns[backend]}" in
  *,app,*)
    case "${aliases[backend]}" in
      *,app,*) fail "web answers to app on backend too: the alias belongs under frontend only." ;;
      *) fail "web answers to app on backend too: a hostname or container name is registered on every network the container joins. An alias under one network gives the name there only." ;;
    esac ;;
esac
proxy=$(compose_running $D proxy) || fail "$proxy"
docker exec "$proxy" nginx -T 2>/dev/null | grep -Eq '^[[:space:]]*set[[:space:]]+\$upstream[[:space:]]+app;' ||
  fail "proxy's configuration does not send requests to app yet (the set \$upstream line in /root/stack/proxy/default.conf)."
hit=$(docker exec "$proxy" getent hosts app 2>/dev/null)
[ "${hit%% *}" = "${ip[frontend]}" ] ||
  fail "Inside proxy, app resolves to ${hit%% *}${hit:+, }not to web's address on frontend (${ip[frontend]})."
if hit=$(docker exec "$cache" getent hosts app 2>/dev/null); then
  fail "Inside cache, app resolves (to ${hit%% *}): the name should exist on frontend only."
fi
code=$(http_status http://localhost:8080/)
[ "$code" = 200 ] || fail "The proxy answers $code on http://localhost:8080/: it does not reach app. docker compose logs proxy shows why."
pass "On frontend, app is web (${ip[frontend]}); on backend the name does not exist."
