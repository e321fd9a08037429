# A Compose project in /root/app runs web (built there, settings from .env through env_file,
# 8000 published) and redis (the redis image); web answers /health on the published port.
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
# The settings come from .env through env_file, not written out under environment: (the next
# task fixes one of them in .env). The container's variables cannot tell the two apart, so ask
# Compose for the project's model, from the files web was started with (--no-interpolate, as
# Compose 2.26 otherwise reads env_file into environment and drops it from the model).
files=$(docker container inspect -f '{{index .Config.Labels "com.docker.compose.project.config_files"}}' "$web")
args=()
IFS=, read -ra config_files <<<"$files"
for f in "${config_files[@]}"; do
  [ -f "$f" ] || { args=(); break; } # moved or renamed since: let Compose find the file
  args+=(-f "$f")
done
model=$(cd /root/app && docker compose "${args[@]}" config --no-interpolate --format json 2>/dev/null) ||
  fail "docker compose config cannot read the compose file in /root/app: $(cd /root/app && docker compose "${args[@]}" config -q 2>&1 | tail -n 1)"
jq -e '.services.web.env_file // [] | map(if type == "string" then . else .path end) | any(. == "/root/app/.env")' \
  <<<"$model" >/dev/null 2>&1 ||
  fail "\"web\" does not take its settings from the .env file: the compose file does not hand /root/app/.env to it with env_file."
env=$(docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$web")
for key in $(sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' /root/app/.env); do
  grep -q "^$key=" <<<"$env" ||
    fail "The container of \"web\" does not have $key from /root/app/.env (was the change applied?)."
done
[ "$(http_status http://localhost:8000/health)" = 200 ] || fail "Nothing answers on http://localhost:8000/health yet."
pass
