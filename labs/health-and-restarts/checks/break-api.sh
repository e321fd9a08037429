# Task break-api: a Compose service "api" with a healthcheck (2 s, 3 retries, a start period),
# published on port 8001, broken on purpose until Docker reports it unhealthy.
# lone_curl_without_fail TEST: the test is one curl command without -f/--fail, which exits 0
# on any HTTP answer, an error included, so the health check could never fail.
lone_curl_without_fail() {
  local t=${1%" || exit 1"} re=' (-[A-Za-z]*f[A-Za-z]*|--fail|--fail-with-body) '
  case "$t" in curl\ *) ;; *) return 1 ;; esac
  case "$t" in *'|'* | *'&'* | *';'*) return 1 ;; esac
  [[ ! " $t " =~ $re ]]
}
id=$(docker ps -q --filter label=com.docker.compose.service=api | head -n 1)
[ -n "$id" ] || id=$(docker ps -aq --filter label=com.docker.compose.service=api | head -n 1)
[ -n "$id" ] || fail "There is no Compose service named \"api\" yet."
name=$(docker container inspect -f '{{slice .Name 1}}' "$id")
image=$(container_image "$id")
case "$image" in
  flaky | flaky:latest) ;;
  *) fail "The service \"api\" runs $image, not the flaky image." ;;
esac
docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$id" | grep -qx 'START_DELAY=8' \
  || fail "\"$name\" does not have START_DELAY=8 in its environment."
test=$(docker container inspect -f '{{with .Config.Healthcheck}}{{join .Test " "}}{{end}}' "$id")
test=${test#CMD-SHELL }
test=${test#CMD }
case "$test" in
  "" | NONE*) fail "The service \"api\" has no healthcheck." ;;
  */health*) ;;
  *) fail "The healthcheck of \"api\" runs \"$test\", which does not ask the /health endpoint." ;;
esac
! lone_curl_without_fail "$test" || fail "The healthcheck of \"api\" runs curl without -f (--fail): curl exits 0 even when /health answers with an error, so Docker would never see it fail."
read -r interval retries start_ns < <(docker container inspect \
  -f '{{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Retries}} {{printf "%d" .Config.Healthcheck.StartPeriod}}' "$id")
[ "$interval" = 2s ] || fail "The healthcheck of \"api\" runs every ${interval/#0s/30s (the default)}, not every 2 seconds."
[ "$retries" = 3 ] || [ "$retries" = 0 ] || fail "The healthcheck of \"api\" allows $retries retries, not 3."
[ "$start_ns" -ge 10000000000 ] || fail "The healthcheck of \"api\" has a start period of $((start_ns / 1000000000)) s: too short for a service that needs 8 s to start."
state=$(container_state "$id")
[ "$state" = running ] || fail "\"$name\" is $state, not running."
[ "$(host_port "$id" 8000/tcp)" = 8001 ] ||
  fail "\"$name\" does not publish its port 8000 on port 8001 of the sandbox."
health=$(docker container inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")
case "$health" in
  starting) fail "\"$name\" is still starting." ;;
  healthy) fail "\"$name\" is healthy. Now break it on purpose and wait until Docker notices." ;;
  unhealthy) ;;
  *) fail "Docker reports no health status for \"$name\" yet." ;;
esac
last=$(docker container inspect -f '{{with .State.Health}}{{range .Log}}{{.ExitCode}} {{end}}{{end}}' "$id" | awk '{print $NF}')
[ -n "$last" ] && [ "$last" != 0 ] || fail "\"$name\" is marked unhealthy, but its last check passed: it is recovering."
pass
