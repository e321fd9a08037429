# postgres: healthy via a pg_isready healthcheck, data in the named volume postgres_data,
# on the dedicated network.
svc() { docker ps -aq --filter label=com.docker.compose.project=dagster --filter "label=com.docker.compose.service=$1" | head -n 1; }
insp() { docker inspect -f "$1" "$2" 2>/dev/null; }

id=$(svc postgres)
[ -n "$id" ] || fail "The Compose project \"dagster\" has no \"postgres\" container yet (work in /root/dagster, then docker compose up)."
img=$(insp '{{.Config.Image}}' "$id")
case "$img" in
  postgres | postgres:*) ;;
  *) fail "\"postgres\" runs the image $img, not postgres:17." ;;
esac
st=$(insp '{{.State.Status}}' "$id")
if [ "$st" != running ]; then
  fail "\"postgres\" is $st (exit code $(insp '{{.State.ExitCode}}' "$id")), not running: docker compose logs postgres shows why."
fi
[ "$(insp '{{range .Mounts}}{{if eq .Destination "/var/lib/postgresql/data"}}{{.Type}} {{.Name}}{{end}}{{end}}' "$id")" = "volume dagster_postgres_data" ] \
  || fail "\"postgres\" keeps its data at /var/lib/postgresql/data, but the volume postgres_data is not mounted there."
insp '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$id" | grep -q pg_isready \
  || fail "\"postgres\" has no healthcheck that runs pg_isready."
insp '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$id" | grep -qw dagster_dagster_network \
  || fail "\"postgres\" is not on the network dagster_network."
health=$(insp '{{.State.Health.Status}}' "$id")
[ "$health" = healthy ] || fail "\"postgres\" has its healthcheck, but its health is \"$health\", not healthy yet."
pass
