# redis has a redis-cli ping health check and is healthy; web depends on it with
# condition service_healthy (Compose records that in a label) and is healthy too.
# A web that Compose holds back for an unhealthy redis is reported by compose_running, with
# redis's health as the reason (its own logs are empty).
need() { compose_running /root/app "$1"; }
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
test=$(docker container inspect -f '{{with .Config.Healthcheck}}{{join .Test " "}}{{end}}' "$redis")
[ -n "$test" ] && [ "$test" != NONE ] || fail "redis has no health check yet."
grep -qi 'redis-cli' <<<"$test" && grep -qi 'ping' <<<"$test" ||
  fail "The health check of redis runs \"${test#CMD }\", not a PING with redis-cli."
case "$(container_health "$redis")" in
  healthy) ;;
  unhealthy) fail "\"redis\" ($redis) is unhealthy: its health check fails. docker inspect $redis shows what the check answered (State.Health)." ;;
  *) fail "\"redis\" ($redis) is still starting: its health check has not passed yet." ;;
esac
deps=$(docker container inspect -f '{{index .Config.Labels "com.docker.compose.depends_on"}}' "$web")
grep -Eq '(^|,)redis:service_healthy:' <<<"$deps" || fail "web does not wait for redis to be healthy: its depends_on has no such condition for redis (was the change applied?)."
status=$(container_health "$web")
[ "$status" = healthy ] || fail "web is ${status:-without a health check}, not healthy yet."
pass
