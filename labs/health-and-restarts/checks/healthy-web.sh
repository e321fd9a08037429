# Task healthy-web: "web" from flaky, port 8000, a health check on /health every 2 s, healthy.
# lone_curl_without_fail TEST: the test is one curl command without -f/--fail, which exits 0
# on any HTTP answer, an error included, so the health check could never fail.
lone_curl_without_fail() {
  local t=${1%" || exit 1"} re=' (-[A-Za-z]*f[A-Za-z]*|--fail|--fail-with-body) '
  case "$t" in curl\ *) ;; *) return 1 ;; esac
  case "$t" in *'|'* | *'&'* | *';'*) return 1 ;; esac
  [[ ! " $t " =~ $re ]]
}
state=$(container_state web)
[ -n "$state" ] || fail "There is no container named \"web\" yet."
case "$(container_image web)" in
  flaky | flaky:latest) ;;
  *) fail "The container \"web\" runs $(container_image web), not the flaky image." ;;
esac
test=$(docker container inspect -f '{{with .Config.Healthcheck}}{{join .Test " "}}{{end}}' web)
test=${test#CMD-SHELL }
test=${test#CMD }
case "$test" in
  "" | NONE*) fail "\"web\" has no health check, so Docker cannot tell whether it is healthy." ;;
  */health*) ;;
  *) fail "The health check of \"web\" runs \"$test\", which does not ask the /health endpoint." ;;
esac
! lone_curl_without_fail "$test" || fail "The health check of \"web\" runs curl without -f (--fail): curl exits 0 even when /health answers with an error, so Docker would never see it fail."
interval=$(docker container inspect -f '{{.Config.Healthcheck.Interval}}' web)
[ "$interval" = 2s ] || fail "The health check of \"web\" runs every ${interval/#0s/30s (the default)}, not every 2 seconds."
retries=$(docker container inspect -f '{{.Config.Healthcheck.Retries}}' web)
[ "$retries" = 3 ] || [ "$retries" = 0 ] || fail "The health check of \"web\" allows $retries retries, not 3."
[ "$state" = running ] || fail "The container \"web\" exists but is $state, not running."
[ "$(host_port web 8000/tcp)" = 8000 ] || fail "\"web\" is running, but its port 8000 is not published on port 8000."
health=$(docker container inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' web)
case "$health" in
  healthy) pass ;;
  starting) fail "\"web\" is still starting: no health check has passed yet. Give it a few seconds." ;;
  unhealthy) fail "\"web\" is unhealthy: its last checks failed. docker inspect shows their output." ;;
  *) fail "Docker reports no health status for \"web\" yet." ;;
esac
