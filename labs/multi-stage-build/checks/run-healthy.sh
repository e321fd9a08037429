# "web" runs app:multi, published on 8000, as UID 1000, and its health check says healthy.
state=$(container_state web)
[ -n "$state" ] || fail "There is no container named \"web\" yet."
if [ "$state" = exited ]; then
  fail "\"web\" has exited with code $(docker container inspect -f '{{.State.ExitCode}}' web): docker logs web shows why."
fi
if [ "$state" = created ]; then
  why=$(docker container inspect -f '{{.State.Error}}' web 2>/dev/null)
  [ -z "$why" ] || fail "\"web\" was created but could not start: $why"
  fail "\"web\" was created but never started."
fi
[ "$state" = running ] || fail "\"web\" is $state, not running."
image=$(container_image web)
if [ "$image" != app:multi ]; then
  # Another name for the same image (its ID, or a second tag) will do.
  [ "$(docker container inspect -f '{{.Image}}' web)" = "$(docker image inspect -f '{{.Id}}' app:multi 2>/dev/null)" ] || {
    case "$image" in
      sha256:*) fail "\"web\" runs an image that is no longer tagged app:multi (an older build): start it again from the current app:multi." ;;
      *) fail "\"web\" runs $image, not app:multi." ;;
    esac
  }
fi
[ "$(host_port web 8000/tcp)" = 8000 ] || fail "\"web\" is running, but its port 8000 is not published on port 8000 of the sandbox."
uid=$(docker exec web id -u 2>/dev/null) || fail "Could not ask \"web\" who it runs as (docker exec web id -u failed)."
[ "$uid" = 1000 ] || fail "The process in \"web\" runs as UID $uid, not 1000."
health=$(container_health web)
case "$health" in
  healthy) ;;
  "")
    case "$(docker container inspect -f '{{with .Config.Healthcheck}}{{index .Test 0}}{{end}}' web 2>/dev/null)" in
      NONE) fail "\"web\" has no health check: it was switched off when the container was created." ;;
      *) fail "\"web\" has no health check: its image has no HEALTHCHECK." ;;
    esac ;;
  starting) fail "The health check of \"web\" has not passed yet (starting). Give it a few seconds." ;;
  *)
    last=$(docker container inspect -f '{{with .State.Health}}{{range .Log}}{{.Output}}{{end}}{{end}}' web | grep -v '^[[:space:]]*$' | tail -n 1)
    fail "\"web\" is $health. Its last probe said: ${last:-nothing}" ;;
esac
[ "$(http_status http://localhost:8000/health)" = 200 ] || fail "Nothing answers on http://localhost:8000/health."
pass
