# A Compose project in /root/app runs web (built there, settings from .env, 8000 published)
# and redis (the redis image); web answers /health on the published port.
svc() { compose_container /root/app "$1"; }
need() { compose_running /root/app "$1"; }
if [ -z "$(svc web)" ]; then
  other=$(docker ps -a --filter label=com.docker.compose.service=web --format '{{.Label "com.docker.compose.project.working_dir"}}' | head -n 1)
  [ -z "$other" ] || fail "A service \"web\" exists, but its compose file is in $other, not in /root/app."
  [ -n "$(ls /root/app/compose.y*ml /root/app/docker-compose.y*ml 2>/dev/null)" ] || fail "There is no /root/app/compose.yaml yet."
fi
web=$(need web) || fail "$web"
redis=$(need redis) || fail "$redis"
case "$(container_image "$redis")" in
  redis | redis:latest) ;;
  *) fail "The service \"redis\" runs $(container_image "$redis"), not the redis image." ;;
esac
[ "$(host_port "$web" 8000/tcp)" = 8000 ] || fail "\"web\" runs, but its port 8000 is not published on port 8000 of the sandbox."
docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$web" | grep -q '^ENVIRONMENT=' ||
  fail "\"web\" does not get the settings from /root/app/.env: ENVIRONMENT is not set in its container."
[ "$(http_status http://localhost:8000/health)" = 200 ] || fail "Nothing answers on http://localhost:8000/health yet."
pass
