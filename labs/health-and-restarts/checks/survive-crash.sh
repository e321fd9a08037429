# Task survive-crash: "keeper" with unless-stopped, restarted by Docker after a crash from inside.
state=$(container_state keeper)
[ -n "$state" ] || fail "There is no container named \"keeper\" yet."
case "$(container_image keeper)" in
  flaky | flaky:latest) ;;
  *) fail "The container \"keeper\" runs $(container_image keeper), not the flaky image." ;;
esac
read -r policy count < <(docker container inspect -f '{{.HostConfig.RestartPolicy.Name}} {{.RestartCount}}' keeper)
[ "$policy" = unless-stopped ] || fail "\"keeper\" has the restart policy \"${policy:-no}\", not unless-stopped."
case "$state" in
  running) ;;
  restarting) fail "\"keeper\" is being restarted right now. Check again in a moment." ;;
  *) fail "\"keeper\" is $state, not running: Docker did not bring it back. Was it stopped from outside?" ;;
esac
[ "$count" -ge 1 ] || fail "\"keeper\" is running, but Docker has not had to restart it yet (its restart count is 0)."
pass
