# compose.override.yaml exists and was merged into the running project: web's containers carry
# it in their config_files label and have LOG_LEVEL=debug, which compose.yaml alone does not
# set. A debug service has the debug profile (absent from the model without it, present with
# it; --no-interpolate would drop the profile filter), runs, and, probed by this check, reaches
# cache with redis-cli from inside.
D=/root/stack
[ -f $D/compose.override.yaml ] || fail "There is no /root/stack/compose.override.yaml yet."
web=$(compose_running $D web) || fail "$web"
files=$(docker container inspect -f '{{index .Config.Labels "com.docker.compose.project.config_files"}}' "$web")
case ",$files," in
  *,$D/compose.override.yaml,*) ;;
  *) fail "web was last started from ${files:-unknown files}, without /root/stack/compose.override.yaml." ;;
esac
docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$web" | grep -qx 'LOG_LEVEL=debug' ||
  fail "web does not run with LOG_LEVEL=debug."
base=$(cd $D && docker compose -f compose.yaml config --no-interpolate --format json 2>/dev/null) ||
  fail "docker compose cannot read /root/stack/compose.yaml on its own: $(cd $D && docker compose -f compose.yaml config -q 2>&1 | tail -n 1)"
jq -e '.services.web.environment.LOG_LEVEL? // empty' <<<"$base" >/dev/null &&
  fail "LOG_LEVEL is set in compose.yaml itself, so every environment gets it: it belongs in compose.override.yaml."
plain=$(cd $D && docker compose config --format json 2>/dev/null) ||
  fail "docker compose cannot read the compose files in /root/stack: $(cd $D && docker compose config -q 2>&1 | tail -n 1)"
debugging=$(cd $D && docker compose --profile debug config --format json 2>/dev/null)
jq -e '.services.debug' <<<"$debugging" >/dev/null 2>&1 || fail "The compose files have no service called debug."
jq -e '.services.debug' <<<"$plain" >/dev/null 2>&1 &&
  fail "debug has no debug profile: a plain docker compose up starts it too."
jq -e '.services.debug.profiles // [] | index("debug")' <<<"$debugging" >/dev/null 2>&1 ||
  fail "debug is not in the debug profile."
debug=$(compose_container $D debug)
[ -n "$debug" ] || fail "debug is not running: a service with a profile starts only when its profile is active."
debug=$(compose_running $D debug) || fail "$debug"
answer=$(docker exec "$debug" redis-cli -h cache ping 2>&1 | tr -d '\r')
[ "$answer" = PONG ] || fail "From inside debug, redis-cli -h cache ping answers: ${answer:-nothing}."
pass "The override is merged, and debug runs only with its profile."
