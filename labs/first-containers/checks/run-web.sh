require_running web
case "$(container_image web)" in
  nginx | nginx:latest) ;;
  *) fail "The container \"web\" runs $(container_image web), not the nginx image." ;;
esac
[ "$(host_port web 80/tcp)" = 8080 ] || fail "\"web\" is running, but its port 80 is not published on port 8080."
[ "$(http_status http://localhost:8080/)" = 200 ] || fail "Nothing answers on http://localhost:8080 yet."
pass
