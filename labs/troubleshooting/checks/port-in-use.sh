# "api" runs nginx, started, with its port 80 published on port 8080 of the sandbox, and
# answers there. Whatever held 8080 before may be stopped or removed: it cannot hold it now.
state=$(container_state api)
[ -n "$state" ] || fail "There is no container named \"api\" yet."
case "$(container_image api)" in
  nginx | nginx:latest) ;;
  *)
    # Another name for the nginx image (its ID, or docker.io/library/nginx) will do.
    [ "$(docker container inspect -f '{{.Image}}' api 2>/dev/null)" = "$(docker image inspect -f '{{.Id}}' nginx 2>/dev/null)" ] ||
      fail "The container \"api\" runs $(container_image api), not the nginx image." ;;
esac
if [ "$state" = created ]; then
  # A docker run whose start failed leaves the error; a docker create leaves none.
  why=$(docker container inspect -f '{{.State.Error}}' api 2>/dev/null)
  case "$why" in
    "") fail "\"api\" was created but never started." ;;
    *[Pp]ort* | *[Bb]ind*) fail "\"api\" was created but could not start: its port could not be published." ;;
    *) fail "\"api\" was created but could not start: $why" ;;
  esac
fi
[ "$state" = running ] || fail "The container \"api\" exists but is $state, not running."
port=$(host_port api 80/tcp)
[ -n "$port" ] || fail "\"api\" is running, but its port 80 is not published."
[ "$port" = 8080 ] || fail "\"api\" answers on port $port, but clients expect it on port 8080."
[ "$(http_status http://localhost:8080/)" = 200 ] || fail "\"api\" publishes port 8080, but nothing answers on http://localhost:8080 yet."
pass
