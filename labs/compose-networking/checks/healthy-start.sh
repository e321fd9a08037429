# redis has a redis-cli ping health check and is healthy; web depends on it with
# condition service_healthy (Compose records that in a label) and is healthy too.
svc() { compose_container /root/app "$1"; }
need() { compose_running /root/app "$1"; }
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
test=$(docker container inspect -f '{{with .Config.Healthcheck}}{{join .Test " "}}{{end}}' "$redis")
[ -n "$test" ] && [ "$test" != NONE ] || fail "redis has no health check yet."
grep -qi 'redis-cli' <<<"$test" && grep -qi 'ping' <<<"$test" ||
  fail "The health check of redis runs \"${test#CMD }\", not a PING with redis-cli."
status=$(docker container inspect -f '{{.State.Health.Status}}' "$redis")
[ "$status" = healthy ] || fail "redis is $status, not healthy yet."
deps=$(docker container inspect -f '{{index .Config.Labels "com.docker.compose.depends_on"}}' "$web")
grep -Eq '(^|,)redis:service_healthy:' <<<"$deps" || fail "web does not wait for redis to be healthy: its depends_on has no such condition for redis (was the change applied?)."
status=$(docker container inspect -f '{{with .State.Health}}{{.Status}}{{end}}' "$web")
[ "$status" = healthy ] || fail "web is ${status:-without a health check}, not healthy yet."
pass
