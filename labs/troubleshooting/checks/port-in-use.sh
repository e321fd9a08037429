state=$(container_state api)
[ -n "$state" ] || fail "There is no container named \"api\" yet."
case "$(container_image api)" in
  nginx | nginx:latest) ;;
  *) fail "The container \"api\" runs $(container_image api), not the nginx image." ;;
esac
[ "$state" = created ] && fail "\"api\" was created but never started: its port could not be published."
[ "$state" = running ] || fail "The container \"api\" exists but is $state, not running."
port=$(host_port api 80/tcp)
[ -n "$port" ] || fail "\"api\" is running, but its port 80 is not published."
[ "$port" = 8080 ] || fail "\"api\" answers on port $port, but clients expect it on port 8080."
[ "$(http_status http://localhost:8080/)" = 200 ] || fail "\"api\" publishes port 8080, but nothing answers on http://localhost:8080 yet."
pass
