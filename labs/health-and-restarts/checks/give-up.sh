# Task give-up: "crashy" crashes (CRASH_AFTER=1), on-failure:3 restarts it 3 times, then it stays exited.
state=$(container_state crashy)
[ -n "$state" ] || fail "There is no container named \"crashy\" yet."
case "$(container_image crashy)" in
  flaky | flaky:latest) ;;
  *) fail "The container \"crashy\" runs $(container_image crashy), not the flaky image." ;;
esac
read -r policy max count code < <(docker container inspect \
  -f '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.RestartCount}} {{.State.ExitCode}}' crashy)
case "$policy:$max" in
  on-failure:3) ;;
  on-failure:0) fail "\"crashy\" restarts on failure, but without a maximum: it would retry forever." ;;
  on-failure:*) fail "\"crashy\" restarts on failure at most $max times, not 3." ;;
  *) fail "\"crashy\" has the restart policy \"${policy:-no}\": it should retry a failing container at most 3 times." ;;
esac
case "$state" in
  running | restarting)
    if [ "$count" = 0 ]; then
      docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' crashy | grep -q '^CRASH_AFTER=' \
        || fail "\"crashy\" is running and has not crashed: it has no CRASH_AFTER setting."
      fail "\"crashy\" has not crashed yet."
    fi
    fail "\"crashy\" is still in its crash loop: Docker has restarted it $count time(s) so far." ;;
  exited) ;;
  *) fail "\"crashy\" is $state." ;;
esac
[ "$count" = 3 ] || fail "\"crashy\" has exited with code $code after $count restart(s), not after giving up on the 3rd."
[ "$code" != 0 ] || fail "\"crashy\" exited with code 0: that is not a failure."
pass
