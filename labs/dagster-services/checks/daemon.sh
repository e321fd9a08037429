# dagster-daemon: same image, same dependencies, same network, and its heartbeats are in the
# same Postgres the webserver uses.
svc() { docker ps -aq --filter label=com.docker.compose.project=dagster --filter "label=com.docker.compose.service=$1" | head -n 1; }
insp() { docker inspect -f "$1" "$2" 2>/dev/null; }

id=$(svc dagster-daemon)
[ -n "$id" ] || fail "The Compose project \"dagster\" has no \"dagster-daemon\" container yet."
code=$(svc user-code)
[ -n "$code" ] || fail "There is no \"user-code\" container: the tasks above create it."
if [ "$(insp '{{.Config.Image}}' "$id")" != "$(insp '{{.Config.Image}}' "$code")" ] || [ "$(insp '{{.Image}}' "$id")" != "$(insp '{{.Image}}' "$code")" ]; then
  fail "\"dagster-daemon\" runs $(insp '{{.Config.Image}}' "$id"), not the very image user-code runs ($(insp '{{.Config.Image}}' "$code"))."
fi
insp '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' "$id" | grep -q dagster-daemon \
  || fail "\"dagster-daemon\" does not run the dagster-daemon command."
compose_waits_healthy dagster-daemon "$id" postgres user-code
st=$(insp '{{.State.Status}}' "$id")
if [ "$st" != running ]; then
  fail "\"dagster-daemon\" is $st (exit code $(insp '{{.State.ExitCode}}' "$id")), not running: docker compose logs dagster-daemon shows why."
fi
insp '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$id" | grep -qw dagster_dagster_network \
  || fail "\"dagster-daemon\" is not on the network dagster_network."
pg=$(svc postgres)
[ -n "$pg" ] || fail "There is no \"postgres\" container."
env=$(insp '{{range .Config.Env}}{{println .}}{{end}}' "$pg")
user=$(printf '%s\n' "$env" | sed -n 's/^POSTGRES_USER=//p')
db=$(printf '%s\n' "$env" | sed -n 's/^POSTGRES_DB=//p')
# Fresh heartbeats, and from this container (the daemon writes its host name into each one):
# a daemon started by hand in another container does not count.
host=$(insp '{{.Config.Hostname}}' "$id")
read -r all mine < <(docker exec "$pg" psql -U "${user:-postgres}" -d "${db:-${user:-postgres}}" -tAF ' ' -c \
  "SELECT count(*), count(*) FILTER (WHERE body::json->>'host' = '$host') FROM daemon_heartbeats
   WHERE timestamp > timezone('utc', now()) - interval '60 seconds'" 2>/dev/null)
[ "${all:-0}" -gt 0 ] 2>/dev/null || fail "\"dagster-daemon\" runs, but Postgres holds no heartbeat of it from the last minute."
[ "${mine:-0}" -gt 0 ] 2>/dev/null || fail "Postgres holds fresh daemon heartbeats, but none written by the \"dagster-daemon\" container."
pass
